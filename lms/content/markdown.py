"""Markdown to safe HTML: markdown-it-py renders, nh3 sanitises."""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True}).enable(
    "table")

ALLOWED_TAGS = {
    "p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "a", "blockquote",
    "code", "pre", "hr", "br", "table", "thead", "tbody", "tr", "th", "td", "img",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set(),
                      "img": {"src", "alt"}}
# Images come only from the studio's checked uploads, served by this application.
IMAGE_PATH = re.compile(r"^/studio/images/\d+/[a-z0-9-]+\.(png|jpe?g|gif|webp)$")


# In a module folder (and its zip), Markdown names an image by its place in the folder,
# ``images/dot.png``; once stored, by the address it is served at.
IMAGE_FOLDER = "images"
IMAGE_NAME = re.compile(r"^[a-z0-9-]+\.(png|jpe?g|gif|webp)$")
IN_FOLDER = re.compile(r"\]\(" + IMAGE_FOLDER + r"/(?=[a-z0-9-]+\.)")


def serve_images(text: str, base: str) -> str:
    """``text`` with its images named in the folder (``](images/dot.png``) named by their
    address under ``base`` (``](/studio/images/7/dot.png``)."""
    return IN_FOLDER.sub("](" + base, text)


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if IMAGE_PATH.match(value) else None
    return value


def render_markdown(text: str) -> str:
    """Render ``text`` to HTML with only a safe subset of tags and attributes."""
    html = _md.render(text or "")
    # Tables read better for screen readers with header scope.
    html = html.replace("<th>", '<th scope="col">')
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer",
                     attribute_filter=_attribute_filter)
