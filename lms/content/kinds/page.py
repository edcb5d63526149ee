"""``page``: Markdown to read, marked done by the learner."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from lms.content.checker import Checker, Where
from lms.content.kinds import StepKind
from lms.content.kinds.editor import Editor, Field
from lms.content.yamlio import LineDict


def check(c: Checker, s: LineDict, where: Where) -> dict[str, Any]:
    return {"body_html": c.markdown_file(s, "body", required=True, where=where)}


KIND = StepKind("page", frozenset({"body"}), check, label=_l("Page"),
                help=_l("Text in Markdown that the learner reads."), marked_done=True, renewed=True,
                editor=Editor(fields=(Field("body", _l("Page text"), "markdown", file="{slug}.md",
                                            start="Write this step here.\n"),)))
