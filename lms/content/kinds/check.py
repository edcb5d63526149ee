"""``check``: a knowledge check of multiple-choice questions with feedback per option.

Everything the ``check`` kind is lives in this file (its YAML keys, validation and
sample answers); its learner partial is ``templates/learn/_step_check.html``.
"""

from __future__ import annotations

import random
from typing import Any

from lms.content.checker import ITEM_ID, Checker
from lms.content.kinds import StepKind
from lms.content.yamlio import LineDict


def check(c: Checker, s: LineDict, where: str) -> dict[str, Any]:
    questions = []
    seen: set[str] = set()
    for q in c.mapping_list(s, "questions", where=where):
        q_where = f"{where}question '{q.get('id', '?')}': "
        c.unknown_keys(q, {"id", "prompt", "options"}, q_where)
        qid = c.unique_id(q, seen, ITEM_ID, invalid=f"{q_where}'id' must be lowercase text",
                          duplicate=f"{where}duplicate question id '{q.get('id')}'")
        options = []
        for o in c.mapping_list(q, "options", where=q_where):
            c.unknown_keys(o, {"text", "correct", "feedback"}, q_where)
            options.append({"text": c.text(o, "text", required=True, where=q_where),
                            "correct": c.boolean(o, "correct", default=False, where=q_where),
                            "feedback": c.text(o, "feedback", where=q_where) or ""})
        if options and len(options) < 2:
            c.error(q.line_of("options"), f"{q_where}needs at least two options")
        if options and not any(o["correct"] for o in options):
            c.error(q.line_of("options"), f"{q_where}no option is marked correct: true")
        questions.append({"id": qid, "prompt": c.text(q, "prompt", required=True, where=q_where),
                          "options": options})
    return {"questions": questions,
            "intro_html": c.markdown_file(s, "intro", required=False, where=where),
            **_pass_rules(c, s, where, len(questions))}


CHECK_FEEDBACK = ("each_try", "when_done")


def _pass_rules(c: Checker, s: LineDict, where: str, pool: int) -> dict[str, Any]:
    """A check's ``pass_mark`` (percent), ``attempts``, ``feedback`` and ``draw`` (how many
    questions of the pool each try asks); see ``lms.services.learning.evidence``."""
    rules: dict[str, Any] = {}
    pass_mark = c.integer(s, "pass_mark", default=None, minimum=1, where=where)
    if pass_mark is not None and pass_mark > 100:
        c.error(s.line_of("pass_mark"), f"{where}'pass_mark' is a percentage from 1 to 100")
        pass_mark = None
    if pass_mark is not None:
        rules["pass_mark"] = pass_mark
    attempts = c.integer(s, "attempts", default=None, minimum=1, where=where)
    if attempts is not None:
        if "pass_mark" not in s:
            c.error(s.line_of("attempts"), f"{where}'attempts' needs a 'pass_mark'")
        rules["attempts"] = attempts
    if "feedback" in s:
        rules["feedback"] = c.choice(s, "feedback", CHECK_FEEDBACK, default="each_try",
                                     where=where)
    draw = c.integer(s, "draw", default=None, minimum=1, where=where)
    if draw is not None:
        if pool and draw > pool:
            c.error(s.line_of("draw"),
                    f"{where}'draw' asks for {draw} questions but the pool has {pool}")
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


KIND = StepKind("check", frozenset({"questions", "intro", "pass_mark", "attempts", "feedback",
                                    "draw"}), check, label="Knowledge check",
                help="Multiple-choice questions with feedback on each option.", renewed=True,
                sample=sample)
