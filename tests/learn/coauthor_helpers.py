"""Complete answers for a challenge, made from its prompts (for tests that need a valid
submission without caring what it says)."""

from __future__ import annotations

from typing import Any


def _words(n: int) -> str:
    return " ".join(["together"] * max(n, 1))


def _cell(column: dict[str, Any]) -> str:
    if column["type"] in ("single_choice", "likert"):
        return (column.get("options") or column.get("scale"))[0]
    return _words(column.get("min_words", 3))


def complete_answers(step) -> dict[str, Any]:
    """Answers to every prompt of ``step`` that pass final validation."""
    answers: dict[str, Any] = {}
    for prompt in step.config["prompts"]:
        kind = prompt["type"]
        if kind in ("long_text", "short_text"):
            answers[prompt["id"]] = _words(prompt.get("min_words", 3) + 2)
        elif kind in ("single_choice", "likert"):
            answers[prompt["id"]] = (prompt.get("options") or prompt.get("scale"))[0]
        elif kind == "multi_choice":
            answers[prompt["id"]] = [prompt["options"][0]]
        elif kind == "acknowledge":
            answers[prompt["id"]] = True
        elif kind == "rows":
            answers[prompt["id"]] = [{c["id"]: _cell(c) for c in prompt["columns"]}
                                     for _ in range(prompt.get("min_rows", 1))]
    return answers
