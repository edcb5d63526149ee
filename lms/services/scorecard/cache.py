"""Recently computed scorecards, reused for ``LMS_SCORECARD_CACHE_SECONDS``.

The scorecard aggregates everyone's progress: at institution scale that is
seconds of database work for figures that move slowly, and a published page
that every member of staff may open on the same morning. Each worker process
keeps the last snapshot (per drill-down) and serves it until it is older
than the setting. A snapshot holds every view -- published and admin, both
layouts -- from one computation, so no two views a reader can open at the
same moment come from different moments (subtracting one from the other
could isolate a single person). Pages say "Figures as of …" from the
snapshot's own ``generated_at``, and the page and its CSV come from the same
snapshot. Only suppressed aggregates are kept, nothing that names a
person. 0 turns the cache off.
"""

from __future__ import annotations

import threading
import time

from flask import current_app

from lms.services.scorecard.report import Scorecard, Snapshot, build_snapshot

_results: dict[tuple, tuple[float, Snapshot]] = {}
_lock = threading.Lock()


def scorecard(*, admin: bool = False, rollup: bool = False,
              series_departments: tuple[int, ...] | None = None) -> Scorecard:
    """One view of :func:`snapshot`: ``build_scorecard`` with the same arguments, or its
    result from the last few minutes."""
    return snapshot(series_departments=series_departments).view(admin=admin, rollup=rollup)


def snapshot(*, series_departments: tuple[int, ...] | None = None) -> Snapshot:
    """``build_snapshot`` with the same arguments, or its result from the last few minutes."""
    seconds = current_app.config["LMS_SCORECARD_CACHE_SECONDS"]
    if seconds <= 0:
        return build_snapshot(series_departments=series_departments)
    # Per database too: one process may serve (or test) several applications.
    key = (current_app.config["SQLALCHEMY_DATABASE_URI"], series_departments)
    with _lock:
        kept = _results.get(key)
    if kept is not None and time.monotonic() - kept[0] < seconds:
        return kept[1]
    result = build_snapshot(series_departments=series_departments)
    with _lock:
        _results[key] = (time.monotonic(), result)
    return result


def forget() -> None:
    """Drop every kept result (the next request works the figures out again)."""
    with _lock:
        _results.clear()
