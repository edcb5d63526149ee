"""``challenge``: a guided reflection form of ordered prompts (types in ``prompts.py``)."""

from __future__ import annotations

from typing import Any

from lms.content.checker import PROMPT_ID, Checker
from lms.content.kinds import StepKind
from lms.content.kinds.prompts import check_prompt
from lms.content.yamlio import LineDict

MODES = ("individual", "group")
REVIEW_MODES = ("required", "optional")


def check(c: Checker, s: LineDict, where: str) -> dict[str, Any]:
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
                                invalid=f"{where}prompt 'id' must be snake_case text",
                                duplicate=f"{where}duplicate prompt id '{p.get('id')}'")
        p_where = f"{where}prompt '{prompt_id}': "
        prompts.append(check_prompt(c, p, p_where))
    config["prompts"] = prompts
    rubric = []
    if "rubric" in s:
        for r in c.mapping_list(s, "rubric", where=where):
            c.unknown_keys(r, {"criterion", "levels", "description"}, where + "rubric: ")
            levels = c.text_list(r, "levels", required=True, where=where + "rubric: ")
            if levels and len(levels) < 2:
                c.error(r.line_of("levels"), f"{where}rubric levels need at least two entries")
            rubric.append({"criterion": c.text(r, "criterion", required=True,
                                               where=where + "rubric: "),
                           "description": c.text(r, "description", where=where + "rubric: "),
                           "levels": levels})
    config["rubric"] = rubric
    return config


KIND = StepKind("challenge", frozenset({"intro", "mode", "review", "allow_private",
                                        "guiding_questions", "prompts", "rubric"}), check,
                label="Challenge",
                help="A guided reflection: ordered prompts, guiding questions, a rubric.")
