"""Small helpers for reading responses the way a person reads the page."""

import html


def text(response) -> str:
    """The response body with HTML entities decoded (so "You're" matches)."""
    return html.unescape(response.get_data(as_text=True))
