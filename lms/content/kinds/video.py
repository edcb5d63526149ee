"""``video``: a link and its transcript, marked done by the learner."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.content.checker import Checker, Where
from lms.content.kinds import StepKind
from lms.content.kinds.editor import Editor, Field
from lms.content.yamlio import LineDict


def check(c: Checker, s: LineDict, where: Where) -> dict[str, Any]:
    url = c.text(s, "url", required=True, where=where)
    if url and not re.match(r"^https?://", url):
        c.error(s.line_of("url"), _("'url' must start with http:// or https://"), where)
    return {"url": url, "minutes": c.integer(s, "minutes", default=None, where=where),
            "transcript_html": c.markdown_file(s, "transcript", required=True, where=where)}


KIND = StepKind("video", frozenset({"url", "minutes", "transcript"}), check, label=_l("Video"),
                help=_l("A link to a video with its transcript in Markdown."), marked_done=True,
                renewed=True, editor=Editor(fields=(
                    Field("url", _l("Video address"), hint=_l("Starts with https://"),
                          start="https://"),
                    Field("minutes", _l("Length in minutes"), "number"),
                    Field("transcript", _l("Transcript"), "markdown", file="{slug}-transcript.md",
                          start="The transcript.\n"))))
