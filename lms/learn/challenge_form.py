"""Guided reflection forms built from a challenge's YAML definition.

New challenges need no Python: each prompt type knows how to read its
answer from the posted form and how to check it. Drafts are checked only
for hard limits (length, valid choices); submission checks everything.
"""

from __future__ import annotations

from typing import Any

from lms.content.kinds import prompts as prompt_types
from lms.content.kinds.prompts import cell_name as cell_name
from lms.content.kinds.prompts import field_name as field_name
from lms.content.kinds.prompts import read_answers as read_answers
from lms.content.kinds.prompts import word_count as word_count

DEFAULT_MAX_CHARS = 20000


def validate_answers(prompts: list[dict[str, Any]], answers: dict[str, Any], *, final: bool,
                     max_chars: int = DEFAULT_MAX_CHARS) -> dict[str, list[str]]:
    """Problems per prompt id. ``final`` adds required-field and word-count checks."""
    return prompt_types.validate_answers(prompts, answers, final=final, max_chars=max_chars)
