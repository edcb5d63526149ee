"""The pages under load: who asks for what, what a good answer contains, and the targets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from bench.load.client import Session
from bench.load.prepare import Manifest

DRAFT_TEXT = ("When a colleague is interrupted in a meeting I can bring the conversation "
              "back to them, name what happened afterwards in private, and ask what support "
              "they would like next time. ") * 3
# Register and cancel alternate over this many offerings per learner, so the two
# requests for one seat are a whole round apart (see register_cycle).
OFFERINGS_PER_LEARNER = 8


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None


@dataclass(frozen=True)
class Target:
    share: float  # of the ceiling's requests per second, at least
    p99_ms: float  # at most

    def text(self) -> str:
        return f"≥{self.share:.0%} of ceiling, p99 <{self.p99_ms:.0f} ms"


DASHBOARD_TARGET = Target(0.20, 100)
PAGE_TARGET = Target(0.10, 250)


@dataclass
class Page:
    """One row of the table: requests per wrk thread, and what every answer must be."""

    name: str
    threads: list[list[Request]]
    expect: str | None
    target: Target | None
    status: int = 200
    # Runs before each wrk run, to put the data back where the requests expect it.
    reset: Callable[[], None] | None = None
    # The requests checked one by one before timing (default: a spread of them all).
    checks: list[Request] | None = None

    @property
    def requests(self) -> list[Request]:
        return [r for thread in self.threads for r in thread]


def split(requests: list[Request], threads: int) -> list[list[Request]]:
    """Deal requests to threads in turn; a short list is shared by every thread."""
    if len(requests) < threads:
        return [requests] * threads
    return [requests[n::threads] for n in range(threads)]


def get(path: str, session: Session | None = None) -> Request:
    return Request("GET", path, {"Cookie": session.cookie} if session else {})


def htmx_post(path: str, session: Session, fields: dict[str, str], *, page: str,
              target: str) -> Request:
    """A POST as htmx sends it from ``page``: form fields, CSRF header and HX-* headers."""
    headers = {"Cookie": session.cookie, "X-CSRFToken": session.csrf, "HX-Request": "true",
               "HX-Current-URL": page, "HX-Target": target,
               "Content-Type": "application/x-www-form-urlencoded"}
    return Request("POST", path, headers, urlencode({"csrf_token": session.csrf, **fields}))


def hello_page(threads: int) -> Page:
    return Page("hello world (ceiling)", split([get("/")], threads), "Hello, world!", None)


def app_pages(m: Manifest, learners: list[Session], mentor: Session, admin: Session,
              draft_answer: dict[str, str], threads: int,
              reset_registrations: Callable[[list[Request]], None]) -> list[Page]:
    """Every page of the benchmark, in the order they run."""
    module = f"/learn/{m.module_slug}"
    step = f"{module}/{m.challenge_step_slug}"
    draft = {"part": "1", **draft_answer}
    pages = [
        Page("learner dashboard /", split([get("/", s) for s in learners], threads),
             "Welcome, ", DASHBOARD_TARGET),
        Page("module page", split([get(module, s) for s in learners], threads),
             f'href="{step}', PAGE_TARGET),
        Page("challenge step", split([get(step, s) for s in learners], threads),
             f'action="{step}/draft"', PAGE_TARGET),
        # No draft_version: each learner's saves would otherwise need the version the
        # last answer returned, which wrk cannot carry between requests. The save runs
        # the same conditional UPDATE either way.
        Page("autosave draft (htmx POST)", split(
            [htmx_post(f"{step}/draft", s, draft, page=step, target="save-status")
             for s in learners], threads), "Draft saved", PAGE_TARGET),
        Page("mentor review queue", split([get("/review/", mentor)], threads),
             "Review queue", PAGE_TARGET),
        Page("compliance, all assignments", split([get("/assignments/compliance", admin)],
                                                  threads), "<h1>Compliance", PAGE_TARGET),
    ]
    if m.assignment_id:
        pages.append(Page("compliance, one assignment", split(
            [get(f"/assignments/compliance?assignment={m.assignment_id}", admin)], threads),
            "<h1>Compliance", PAGE_TARGET))
    pages += [
        Page("scorecard", split([get("/scorecard", admin)], threads), "Programme scorecard",
             PAGE_TARGET),
        Page("live sessions list", split([get("/events/", s) for s in learners], threads),
             "<h1>Live sessions</h1>", PAGE_TARGET),
        register_cycle(m, learners, threads, reset_registrations),
        Page("calendar feed .ics", split(
            [get(f"/events/feed/{token}.ics") for token in m.feed_tokens], threads),
            "BEGIN:VCALENDAR", PAGE_TARGET),
    ]
    return pages


def register_cycle(m: Manifest, learners: list[Session], threads: int,
                   reset: Callable[[list[Request]], None]) -> Page:
    """Register, then later cancel, each learner's place at a few offerings, over and over.

    Each thread registers all its (learner, offering) pairs before it cancels
    them, so the two requests for one seat are many requests apart and never
    overlap; every answer is a success message, not "already registered".
    """
    offerings = m.offering_ids[:OFFERINGS_PER_LEARNER]
    pairs = [(s, o) for s in learners for o in offerings]
    per_thread = []
    for mine in split_pairs(pairs, threads):
        def action(verb: str, session: Session, offering: int) -> Request:
            return htmx_post(f"/events/offerings/{offering}/{verb}", session,
                             {"next": "/events/"}, page="/events/",
                             target=f"offering-{offering}-action")
        per_thread.append([action("register", s, o) for s, o in mine]
                          + [action("cancel", s, o) for s, o in mine])
    cancels = [r for thread in per_thread for r in thread if r.path.endswith("/cancel")]
    first = per_thread[0]
    return Page("register / cancel (htmx POST)", per_thread, "flash-success", PAGE_TARGET,
                reset=lambda: reset(cancels), checks=[first[0], first[len(first) // 2]])


def split_pairs(pairs: list, threads: int) -> list[list]:
    """Pairs of one learner stay on one thread: two threads never act for one person."""
    learners = list(dict.fromkeys(session for session, _ in pairs))
    if len(learners) < threads:
        raise RuntimeError(f"registration needs at least {threads} learners, one per thread")
    return [[p for p in pairs if learners.index(p[0]) % threads == n] for n in range(threads)]
