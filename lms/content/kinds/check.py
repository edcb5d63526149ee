"""``check``: a knowledge check of multiple-choice questions with feedback per option.

Everything the ``check`` kind is lives in this file (its YAML keys, validation and
sample answers); its learner partial is ``templates/learn/_step_check.html``.
"""

from __future__ import annotations

import random
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.content.checker import Checker, Where
from lms.content.kinds import Answered, StepKind, Visit
from lms.content.kinds.editor import Editor, Field, Part, Posted, lines, put
from lms.content.yamlio import LineDict


def check(c: Checker, s: LineDict, where: Where) -> dict[str, Any]:
    questions = []
    seen: set[str] = set()
    for q in c.mapping_list(s, "questions", where=where):
        q_where = where.part("question", q.get("id", "?"))
        c.unknown_keys(q, {"id", "prompt", "options"}, q_where)
        qid = c.item_id(q, seen, own_where=q_where, where=where,
                        duplicate=_("duplicate question id '%(id)s'", id=q.get("id")))
        options = []
        for o in c.mapping_list(q, "options", where=q_where):
            c.unknown_keys(o, {"text", "correct", "feedback"}, q_where)
            options.append({"text": c.text(o, "text", required=True, where=q_where),
                            "correct": c.boolean(o, "correct", default=False, where=q_where),
                            "feedback": c.text(o, "feedback", where=q_where) or ""})
        if options and len(options) < 2:
            c.error(q.line_of("options"), _("needs at least two options"), q_where)
        if options and not any(o["correct"] for o in options):
            c.error(q.line_of("options"), _("no option is marked correct: true"), q_where)
        questions.append({"id": qid, "prompt": c.text(q, "prompt", required=True, where=q_where),
                          "options": options})
    return {"questions": questions,
            "intro_html": c.markdown_file(s, "intro", required=False, where=where),
            **_pass_rules(c, s, where, len(questions))}


CHECK_FEEDBACK = ("each_try", "when_done")


def _pass_rules(c: Checker, s: LineDict, where: Where, pool: int) -> dict[str, Any]:
    """A check's ``pass_mark`` (percent), ``attempts``, ``feedback`` and ``draw`` (how many
    questions of the pool each try asks); see ``lms.services.learning.evidence``."""
    rules: dict[str, Any] = {}
    pass_mark = c.integer(s, "pass_mark", default=None, minimum=1, where=where)
    if pass_mark is not None and pass_mark > 100:
        c.error(s.line_of("pass_mark"), _("'pass_mark' is a percentage from 1 to 100"), where)
        pass_mark = None
    if pass_mark is not None:
        rules["pass_mark"] = pass_mark
    attempts = c.integer(s, "attempts", default=None, minimum=1, where=where)
    if attempts is not None:
        if "pass_mark" not in s:
            c.error(s.line_of("attempts"), _("'attempts' needs a 'pass_mark'"), where)
        rules["attempts"] = attempts
    if "feedback" in s:
        rules["feedback"] = c.choice(s, "feedback", CHECK_FEEDBACK, default="each_try",
                                     where=where)
    draw = c.integer(s, "draw", default=None, minimum=1, where=where)
    if draw is not None:
        if pool and draw > pool:
            c.error(s.line_of("draw"),
                    _("'draw' asks for %(draw)s questions but the pool has %(pool)s",
                      draw=draw, pool=pool), where)
        rules["draw"] = draw
    return rules


def sample(config: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A learner's result: mostly right answers."""
    chosen = {}
    for question in config["questions"]:
        options = question["options"]
        right = [k for k, o in enumerate(options) if o["correct"]]
        chosen[question["id"]] = right[0] if rng.random() < 0.8 else rng.randrange(len(options))
    correct = sum(1 for q in config["questions"] if q["options"][chosen[q["id"]]]["correct"])
    return {"chosen": chosen, "correct": correct, "total": len(config["questions"])}


def context(visit: Visit, status: Any = None) -> dict[str, Any]:
    """The learner's tries at the check and the questions of their next try."""
    evidence = visit.learning.evidence
    status = status or evidence.check_status(visit.user, visit.step)
    by_id = {q["id"]: q for q in visit.step.config["questions"]}
    last = status.last
    return {"check": status,
            "questions": evidence.drawn_questions(visit.user, visit.step, status.next_number),
            "last_questions": [by_id[qid] for qid in last.question_ids if qid in by_id]
            if last else []}


def _read(visit: Visit, form: Any, number: int) -> tuple[dict[str, Any], list[str]]:
    chosen, missing = {}, []
    for question in visit.learning.evidence.drawn_questions(visit.user, visit.step, number):
        value = form.get(f"q-{question['id']}", "")
        if value.isdigit() and int(value) < len(question["options"]):
            chosen[question["id"]] = int(value)
        else:
            missing.append(question["id"])
    return chosen, missing


def read(visit: Visit, form: Any) -> tuple[dict[str, Any], list[str]]:
    """The option chosen for each question of the learner's next try (by position), and
    the ids of the questions left unanswered."""
    status = visit.learning.evidence.check_status(visit.user, visit.step)
    return _read(visit, form, status.next_number)


def accept(visit: Visit, form: Any) -> Answered:
    """A try, kept when every question is answered and a try is left; the learner comes
    back to the check's feedback. The same try sent twice keeps its first result."""
    evidence, progress = visit.learning.evidence, visit.learning.progress
    status = evidence.check_status(visit.user, visit.step)
    sent = form.get("part", "")
    number = int(sent) if sent.isdigit() and int(sent) else status.next_number
    if number < status.next_number:
        return Answered(stay=True, anchor="feedback")
    if not status.can_try:
        return Answered(message=_("You have no tries left on this check.")
                        if status.passed is None else _("You have already passed this check."),
                        category="info", stay=True)
    chosen, missing = _read(visit, form, status.next_number)
    if missing:
        return Answered(refused={"chosen": chosen, "missing": missing})
    attempt = progress.record_check(visit.user, visit.step, chosen, status.next_number)
    progress.touch(visit.user, visit.step.module, visit.step)
    mark = evidence.pass_mark(visit.step)
    if mark and not attempt.is_passed:
        return Answered(message=_("You scored %(score)d%%; this check needs %(mark)d%%.",
                                  score=attempt.score_percent, mark=mark),
                        category="warning", stay=True, anchor="feedback")
    return Answered(stay=True, anchor="feedback")


def finished(step: Any, record: dict[str, Any] | None) -> bool:
    """With a pass mark, only a passing try finishes the check (a record kept from before
    the version that set the mark does not count)."""
    return not step.config.get("pass_mark") or bool((record or {}).get("passed"))


def _question(form: Posted, i: int) -> dict[str, Any]:
    options = []
    for line in lines(form.get(f"question-{i}-options")):
        correct = line.startswith("*")
        text, _bar, feedback = line.lstrip("*").partition("|")
        option: dict[str, Any] = {"text": text.strip()}
        if correct:
            option["correct"] = True
        put(option, "feedback", feedback.strip())
        options.append(option)
    return {"id": form.text(f"question-{i}-id"), "prompt": form.text(f"question-{i}-prompt"),
            "options": options}


def read_form(form: Posted) -> dict[str, Any]:
    """The questions of the studio's form (an option a line: ``*`` before a right one,
    feedback after ``|``)."""
    return {"questions": [_question(form, i) for i in form.indexes("question")]}


EDITOR = Editor(
    fields=(Field("intro", _l("Introduction"), "markdown", file="{slug}-intro.md"),
            Field("pass_mark", _l("Pass mark (percent)"), "number", hint=_l(
                "Leave empty when any completed try finishes the check.")),
            Field("attempts", _l("Tries allowed"), "number", hint=_l(
                "Needs a pass mark. Leave empty for no limit.")),
            Field("feedback", _l("Feedback on the answers"), "select", default="each_try",
                  choices=(("each_try", _l("After every try")),
                           ("when_done", _l("Only the score until the check is passed or no "
                                            "tries are left")))),
            Field("draw", _l("Questions asked per try"), "number", hint=_l(
                "Drawn at random from the questions below. Leave empty to ask them all."))),
    parts=(Part("question", "questions", _l("Question %(number)d"), lambda questions: {
        "id": f"q{len(questions) + 1}", "prompt": _("A new question"),
        "options": [{"text": "Right", "correct": True}, {"text": "Wrong"}]}),),
    start={"questions": [{"id": "q1", "prompt": "A question", "options": [
        {"text": "Right", "correct": True, "feedback": "Yes."},
        {"text": "Wrong", "feedback": "Not quite."}]}]},
    read=read_form, template="studio/_kind_check.html")


KIND = StepKind("check", frozenset({"questions", "intro", "pass_mark", "attempts", "feedback",
                                    "draw"}), check, label=_l("Knowledge check"),
                help=_l("Multiple-choice questions with feedback on each option."), renewed=True,
                sample=sample, context=context, read=read, accept=accept, finished=finished,
                editor=EDITOR)
