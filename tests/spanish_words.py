"""English words a Spanish page never uses: any of them left on a page is interface text
that was not translated. Shared by the browser walk and the page tests in Spanish."""

from __future__ import annotations

import re

ENGLISH = {"the", "and", "your", "you", "with", "this", "that", "for", "are", "is", "of",
           "to", "what", "how", "my", "our", "save", "saved", "draft", "next", "sign", "out",
           "home", "step", "steps", "continue", "submit", "review", "due", "goal", "goals",
           "add", "open", "done", "back", "privacy", "about", "minutes", "modules", "part",
           "row", "choose", "sessions", "live", "notifications", "reflections", "profile",
           "language", "skip", "main", "content", "learning", "assigned", "completed",
           "progress", "start", "yet", "none", "check", "questions", "guiding", "when",
           "who", "can", "see", "will"}

# The programme office's pages add words of their own.
OFFICE_ENGLISH = ENGLISH | {
    "people", "department", "departments", "download", "filter", "status", "email", "name",
    "delete", "cancel", "reminders", "figures", "trained", "allies", "staff", "assignment",
    "assignments", "compliance", "cohorts", "outbox", "audit", "log", "identity", "providers",
    "certificate", "transcript", "erase", "data", "keep", "import", "active", "target",
    "below"}


def english_words(text: str, names, vocabulary: set[str] = ENGLISH) -> set[str]:
    """The words of ``vocabulary`` in ``text`` once ``names`` (content, people, titles:
    longest first, so a title is removed before a name inside it) are set aside."""
    for known in sorted(names, key=len, reverse=True):
        text = text.replace(known, " ")
    return {word.lower() for word in re.findall(r"[A-Za-z]+", text)} & vocabulary
