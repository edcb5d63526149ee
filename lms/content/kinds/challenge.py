"""``challenge``: a guided reflection form of ordered prompts (types in ``prompts.py``)."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select, union_all

from lms.content.checker import PROMPT_ID, Checker, Where
from lms.content.kinds import Records, StepKind, Visit
from lms.content.kinds.editor import Editor, Field, Part, Posted, commas, put
from lms.content.kinds.prompts import PROMPT_TYPES, check_prompt, validate_answers
from lms.content.yamlio import LineDict
from lms.extensions import db
from lms.models import Submission
from lms.models.progress import submission_coauthors
from lms.urlargs import query_int

MODES = ("individual", "group")
REVIEW_MODES = ("required", "optional")
SUBMITTED_STATES = ("submitted", "needs_revision", "approved")


def check(c: Checker, s: LineDict, where: Where) -> dict[str, Any]:
    config: dict[str, Any] = {
        "intro_html": c.markdown_file(s, "intro", required=False, where=where),
        "mode": c.choice(s, "mode", MODES, default="individual", where=where),
        "review": c.choice(s, "review", REVIEW_MODES, default="required", where=where),
        "allow_private": c.boolean(s, "allow_private", default=False, where=where),
        "guiding_questions": c.text_list(s, "guiding_questions", where=where),
    }
    prompts = []
    seen: set[str] = set()
    for p in c.mapping_list(s, "prompts", where=where):
        prompt_id = c.unique_id(p, seen, PROMPT_ID,
                                invalid=_("prompt 'id' must be snake_case text"),
                                duplicate=_("duplicate prompt id '%(id)s'", id=p.get("id")),
                                where=where)
        p_where = where.part("prompt", prompt_id)
        prompts.append(check_prompt(c, p, p_where))
    config["prompts"] = prompts
    rubric = []
    if "rubric" in s:
        r_where = where.part("rubric", None)
        for r in c.mapping_list(s, "rubric", where=where):
            c.unknown_keys(r, {"criterion", "levels", "description"}, r_where)
            levels = c.text_list(r, "levels", required=True, where=r_where)
            if levels and len(levels) < 2:
                c.error(r.line_of("levels"), _("rubric levels need at least two entries"), where)
            rubric.append({"criterion": c.text(r, "criterion", required=True, where=r_where),
                           "description": c.text(r, "description", where=r_where),
                           "levels": levels})
    config["rubric"] = rubric
    return config


def player_context(visit: Visit, part: int | None = None, answers: dict | None = None,
                   errors: dict | None = None, meta_form: Any = None) -> dict[str, Any]:
    """The learner's submission, the part shown (1 to the number of prompts, then the
    review part), the answers and problems to show and the form around the prompts.
    A refused draft or submission passes what was sent as ``answers``, ``errors`` and
    ``meta_form``."""
    challenges, coauthoring = visit.learning.challenges, visit.learning.coauthoring
    step, user = visit.step, visit.user
    submission = own_submission(visit)
    editable = submission is None or submission.status in challenges.EDITABLE
    group = step.config.get("mode") == "group"
    total = len(step.config["prompts"])
    if part is None or not 1 <= part <= total + 1:
        part = total + 1 if not editable else 1
    if answers is None:
        answers = dict(submission.answers) if submission else {}
    form = meta_form or visit.forms.SubmitChallengeForm()
    if meta_form is None:
        form.draft_version.data = submission.draft_version if submission else 0
        form.part.data = part
        if submission is not None:
            form.keep_private.data = submission.is_private
        if submission is not None and group:  # only a group challenge asks for co-authors
            pending = coauthoring.pending_emails(submission)
            form.coauthors.data = "\n".join([*(c.email for c in submission.coauthors), *pending])
    coauthored = (coauthoring.group_submission_for(user, step)
                  if group and (submission is None or submission.status == "draft") else None)
    return {"submission": submission, "editable": editable, "part": part, "parts": total,
            "answers": answers, "errors": errors or {}, "form": form,
            "coauthored": coauthored}


def own_submission(visit: Visit) -> Submission | None:
    """The learner's own submission of the step (any status). Progress, loaded in this
    request, credited them with it, or with none at all (so they have none); otherwise
    (nothing known, or a co-authored reflection credited) it is looked up."""
    state = visit.state
    if state is not None and state.step.id == visit.step.id and not visit.preview:
        credited = state.record
        if credited is None:
            return None
        if credited.user_id == visit.user.id:
            return credited
    return visit.learning.challenges.submission_for(visit.user, visit.step)


def part_errors(step: Any, part: int, answers: dict) -> dict[str, list[str]]:
    """What submitting would refuse in ``part`` (nothing for the review part)."""
    prompts = step.config["prompts"]
    if not 1 <= part <= len(prompts):
        return {}
    return validate_answers(prompts[part - 1:part], answers, final=True,
                            max_chars=current_app.config["LMS_MAX_ANSWER_CHARS"])


def context(visit: Visit) -> dict[str, Any]:
    """The part asked for in ``?part=``; a submitted challenge shows the prompts its
    answers were given to, and ``?check=1`` (from the review part's error summary)
    shows the problem of the part."""
    values = player_context(visit, part=query_int("part"))  # a 400 for a malformed part
    if values["submission"] is not None and not values["editable"]:
        values["answered_prompts"] = visit.learning.challenges.prompts_answered(
            values["submission"])
    if visit.args.get("check") and values["editable"]:
        values["errors"] = part_errors(visit.step, values["part"], values["answers"])
    return values


def _prompt(form: Posted, i: int) -> dict[str, Any]:
    def get(key: str) -> str:
        return form.text(f"prompt-{i}-{key}")

    kind = get("type") or "long_text"
    prompt: dict[str, Any] = {"id": get("id"), "type": kind, "label": get("label")}
    put(prompt, "help", get("help"))
    if not form.get(f"prompt-{i}-required"):
        prompt["required"] = False
    keys = PROMPT_TYPES[kind].keys if kind in PROMPT_TYPES else frozenset()
    for key in ("min_words", "max_words", "max_chars", "min_rows", "max_rows"):
        if key in keys:
            put(prompt, key, form.number(f"prompt-{i}-{key}"))
    if "produces_actions" in keys and form.get(f"prompt-{i}-produces_actions"):
        prompt["produces_actions"] = True
    for key in ("options", "scale"):
        if key in keys:
            put(prompt, key, form.lines(f"prompt-{i}-{key}"))
    if "statement" in keys:
        put(prompt, "statement", get("statement"))
    if "columns" in keys:
        columns = []
        for line in form.lines(f"prompt-{i}-columns"):
            parts = [p.strip() for p in line.split("|")]
            column: dict[str, Any] = {"id": parts[0], "label": parts[1] if len(parts) > 1 else ""}
            if len(parts) > 2 and parts[2]:
                column["type"] = parts[2]
            if len(parts) > 3:
                column["options"] = commas(parts[3])
            columns.append(column)
        prompt["columns"] = columns
    return prompt


def read_form(form: Posted) -> dict[str, Any]:
    """The rubric (one criterion a line: criterion | levels | description) and the
    prompts of the studio's form."""
    step: dict[str, Any] = {}
    rubric = []
    for line in form.lines("rubric"):
        criterion, _, rest = line.partition("|")
        levels, _, description = rest.partition("|")
        row: dict[str, Any] = {"criterion": criterion.strip(), "levels": commas(levels)}
        put(row, "description", description.strip())
        rubric.append(row)
    put(step, "rubric", rubric)
    step["prompts"] = [_prompt(form, i) for i in form.indexes("prompt")]
    return step


# Built once (the learner's pages run it on every request), its parameters bound at each
# call: own submissions, and submitted group reflections the person co-authors. The two
# are found apart and joined by id: as one OR, PostgreSQL scans every submission.
_STEPS = bindparam("step_ids", expanding=True)
CREDITED = (select(Submission).where(Submission.id.in_(union_all(
    select(Submission.id).where(Submission.step_id.in_(_STEPS),
                                Submission.user_id == bindparam("user_id")),
    select(submission_coauthors.c.submission_id)
    .join(Submission, Submission.id == submission_coauthors.c.submission_id)
    .where(submission_coauthors.c.user_id == bindparam("user_id"),
           Submission.step_id.in_(_STEPS), Submission.status.in_(SUBMITTED_STATES)))))
    .order_by(Submission.id))


def credited_submissions(user_id: int, steps: list[Any]) -> dict[int, Submission]:
    """Own submissions per step, or a group submission listing the user as co-author
    (in place of an own draft or of none), in one query."""
    step_ids = [s.id for s in steps]
    if not step_ids:
        return {}
    found = db.session.execute(CREDITED, {"user_id": user_id, "step_ids": step_ids}
                               ).scalars().all()
    credited = {s.step_id: s for s in found if s.user_id == user_id}
    for submission in found:
        mine = credited.get(submission.step_id)
        if submission.user_id != user_id and (mine is None or mine.status == "draft"):
            credited[submission.step_id] = submission
    return credited


def counts_as_done(step: Any, submission: Submission | None) -> bool:
    """Submitted counts, except that a review-required challenge waits for approval.

    A submission kept private counts once submitted: no mentor may read it,
    so nobody could ever approve it.
    """
    if submission is None:
        return False
    if step.review_required and not submission.is_private:
        return submission.status == "approved"
    return submission.status in SUBMITTED_STATES


def status(step: Any, submission: Submission | None) -> str:
    """Where the learner's submission stands, as progress shows it."""
    if submission is None:
        return "not started"
    if submission.status == "draft":
        return "draft saved"
    if submission.status == "submitted" and submission.is_private:
        return "completed, kept private"
    if submission.status == "submitted":
        return "submitted, awaiting review" if step.review_required else "submitted"
    if submission.status == "needs_revision":
        return "revision requested"
    return "approved"


EDITOR = Editor(
    fields=(Field("intro", _l("Introduction"), "markdown", file="{slug}-intro.md"),
            Field("mode", _l("Who answers"), "select", default="individual", choices=(
                ("individual", _l("Each learner alone")),
                ("group", _l("A group with co-authors")))),
            Field("review", _l("Mentor review"), "select", default="required", choices=(
                ("required", _l("Required")), ("optional", _l("Optional")))),
            Field("allow_private", _l("Learners may keep their answers private (only "
                                      "completion counts)"), "checkbox"),
            Field("guiding_questions", _l("Guiding questions"), "lines",
                  hint=_l("One question per line."))),
    parts=(Part("prompt", "prompts", _l("Prompt %(number)d"), lambda prompts: {
        "id": f"prompt_{len(prompts) + 1}", "type": "long_text", "label": _("A new prompt")}),),
    start={"prompts": [{"id": "answer", "type": "long_text", "label": "Your reflection"}]},
    read=read_form, template="studio/_kind_challenge.html")


KIND = StepKind("challenge", frozenset({"intro", "mode", "review", "allow_private",
                                        "guiding_questions", "prompts", "rubric"}), check,
                label=_l("Challenge"),
                help=_l("A guided reflection: ordered prompts, guiding questions, a rubric."),
                context=context, editor=EDITOR,
                records=Records(load=credited_submissions, done=counts_as_done, status=status))
