"""Per-person caches of what the home page and the navigation show, and their invalidation.

Entries live in the application's Flask-Caching store (Redis when
``LMS_CACHE_REDIS_URL`` is set, so every worker shares them; otherwise each
worker keeps its own in memory). Every key names the person it belongs to:
nothing cached for one person can be served to another.

Generations live where every worker reads them: in Redis when it is set,
otherwise in a directory on this machine (``LMS_CACHE_DIR``), so a change one
worker process commits orphans the entries every other worker kept in memory.
(Several machines without Redis would each keep their own generations: set
``LMS_CACHE_REDIS_URL`` there.)

An entry is valid for one *generation* of that person's data and one
generation of the data everybody shares. Generations are random tokens kept
in the same store; moving one on orphans every entry built on it. They move:

- for the people a signal names (``module_started``, ``module_completed``,
  ``submission_submitted``, ``people_changed``), from the receivers
  connected in ``register``;
- after every commit, for each person whose rows the transaction wrote
  (rows with a ``user_id``, a ``learner_id`` or a ``mentor_id``; a
  submission's co-authors too), and for everyone when it wrote rows that
  belong to nobody in particular (modules, offerings, departments, reviews
  ...), so a change that sends no signal is never served stale either.

Generations move *after* the commit, so a page built from data read before it
is stored under the old generation and never read again. Entries also expire
after ``LMS_CACHE_SECONDS`` and the day is part of the key (due dates are
shown in words: "due tomorrow").
"""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
from collections.abc import Callable, Iterable

from cachelib import FileSystemCache
from flask import Flask, current_app, g, has_app_context, has_request_context
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from lms.extensions import cache, db
from lms.services import duedates

EVERYONE = "gen:all"
# Tables whose rows never show on a home page or in a navigation count: writing them
# moves no generation (they are written on every sign-in, page view or sent message).
QUIET_TABLES = frozenset({
    "audit_events", "outbox_messages", "password_failures", "sso_seen_assertions",
    "assignment_reminders", "reflection_accesses", "data_exports", "survey_pending_answers",
    "survey_responses", "survey_participations",
})
# Rows that change what other people see than the ones they name (a review changes every
# mentor's queue of that learner; a department link gives many learners a mentor).
SHARED_TABLES = frozenset({"reviews", "mentor_links"})
# A reflection's status changes its mentors' queues; its draft text only its authors' pages.
SUBMISSION_SHARED_FIELDS = ("status", "submitted_at")
# Set-based writes to these tables move nobody's generation: whoever they concern is told
# otherwise (obligations change with a module started or completed, people changed, a rule
# saved — each a signal or an ORM write of its own; ``status.reconcile`` forgets everyone
# when it repairs rows).
PERSONAL_BULK_TABLES = frozenset({"obligations"})
PENDING_KEY = "personal_cache.pending"
GENERATIONS_KEY = "lms.cache_generations"
PEOPLE_OPTION = "personal_cache_people"
READ_KEY = "_personal_cache_generations"  # on ``g``: what this request read of them


def _person_key(user_id: int) -> str:
    return f"gen:u{user_id}"


def _token() -> str:
    return secrets.token_hex(6)


def _generations():
    """The store of generations: Redis when configured, else this machine's directory."""
    if current_app.config.get("LMS_CACHE_REDIS_URL"):
        return cache
    return current_app.extensions[GENERATIONS_KEY]


def generation(user_id: int) -> str:
    """The person's and everyone's generation, read together (one round trip) once per
    request: a page may look up several entries (its body, the navigation's counts)."""
    read = g.setdefault(READ_KEY, {}) if has_request_context() else {}
    if user_id not in read:
        store = _generations()
        mine, shared = store.get_many(_person_key(user_id), EVERYONE)
        if mine is None or shared is None:
            mine = mine or _token()
            shared = shared or _token()
            store.set_many({_person_key(user_id): mine, EVERYONE: shared}, timeout=0)
        read[user_id] = f"{shared}.{mine}"
    return read[user_id]


def _forget_read() -> None:
    """Generations are moving: what this request read of them is no longer theirs."""
    if has_app_context():
        g.pop(READ_KEY, None)


def forget_people(user_ids: Iterable[int]) -> None:
    """Everything cached for these people is stale from now on."""
    _forget_read()
    ids = {int(i) for i in user_ids if i is not None}
    if ids:
        _generations().set_many({_person_key(i): _token() for i in ids}, timeout=0)


def forget_everyone() -> None:
    _forget_read()
    _generations().set(EVERYONE, _token(), timeout=0)


def key(user_id: int, name: str, generation_token: str) -> str:
    return f"p{user_id}:{generation_token}:{duedates.today().isoformat()}:{name}"


def cached(user_id: int, name: str, compute: Callable[[], object],
           still_good: Callable[[object], bool] | None = None):
    """``compute()``'s value for this person, from the cache while nothing changed (and,
    with ``still_good``, while the kept value passes it: a list that time alone changes)."""
    entry = key(user_id, name, generation(user_id))
    value = cache.get(entry)
    if value is None or (still_good is not None and not still_good(value)):
        value = compute()
        cache.set(entry, value, timeout=current_app.config["LMS_CACHE_SECONDS"])
    return value


def cached_many(user_id: int, names: list[str], compute: Callable[[str], object]) -> dict:
    """Like ``cached`` for several entries of one person, read in one round trip."""
    token = generation(user_id)
    keys = [key(user_id, name, token) for name in names]
    found = dict(zip(names, cache.get_many(*keys), strict=True)) if keys else {}
    missing = {}
    for name, entry in zip(names, keys, strict=True):
        if found[name] is None:
            found[name] = missing[entry] = compute(name)
    if missing:
        cache.set_many(missing, timeout=current_app.config["LMS_CACHE_SECONDS"])
    return found


# --- invalidation --------------------------------------------------------------------------

def forget_people_named(_sender, **data) -> None:
    """Receiver of the signals in ``register``: the people they name have new data."""
    people = set(data.get("user_ids") or ())
    for name in ("user", "learner"):
        if data.get(name) is not None:
            people.add(data[name].id)
    submission = data.get("submission")
    if submission is not None:
        # The learner's mentors see a new reflection waiting: who they are is a query
        # the review area owns, so move everyone's generation (submissions are rare).
        people.add(submission.user_id)
        forget_everyone()
    forget_people(people)


def _people_of(instance) -> set[int]:
    return {value for name in ("user_id", "learner_id", "mentor_id")
            if isinstance(value := getattr(instance, name, None), int)}


def _after_flush(session: Session, _context) -> None:
    pending = session.info.setdefault(PENDING_KEY, {"people": set(), "everyone": False})
    submissions = []
    for instance in (*session.new, *session.dirty, *session.deleted):
        table = getattr(instance, "__tablename__", None)
        if table is None or table in QUIET_TABLES:
            continue
        if table == "submissions" and instance.id is not None:
            submissions.append(instance.id)
            if any(inspect(instance).attrs[name].history.has_changes()
                   for name in SUBMISSION_SHARED_FIELDS):
                pending["everyone"] = True
        people = _people_of(instance)
        if table in SHARED_TABLES:
            pending["everyone"] = True
        elif table == "users":
            pending["people"].add(instance.id)
        elif people:
            pending["people"] |= people
        else:
            pending["everyone"] = True
    if submissions:
        from lms.models.progress import submission_coauthors

        # The connection, not the session: no autoflush while flushing.
        pending["people"] |= set(session.connection().execute(
            select(submission_coauthors.c.user_id)
            .where(submission_coauthors.c.submission_id.in_(submissions))).scalars())


def only_for(statement, people: Iterable[int]):
    """``statement``, a set-based write, marked as changing only what ``people`` see: it
    moves their generations instead of everyone's."""
    return statement.execution_options(**{PEOPLE_OPTION: frozenset(people)})


def _after_bulk(state) -> None:
    """A set-based UPDATE/DELETE/INSERT through the session: who it touched is not known
    row by row, so everyone's generation moves (unless the table is a quiet one, or the
    statement names its people with ``only_for``)."""
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in QUIET_TABLES | PERSONAL_BULK_TABLES:
        return
    pending = state.session.info.setdefault(PENDING_KEY, {"people": set(), "everyone": False})
    people = state.execution_options.get(PEOPLE_OPTION)
    if people is not None:
        pending["people"] |= people
    else:
        pending["everyone"] = True


def _after_commit(session: Session) -> None:
    pending = session.info.pop(PENDING_KEY, None)
    if not pending:
        return
    try:
        # Every entry is kept under everyone's generation as well as its person's: when
        # everyone's moves, the people's need not (one write to the store, not two).
        if pending["everyone"]:
            forget_everyone()
        else:
            forget_people(pending["people"])
    except RuntimeError:  # outside an application context: nothing of ours is cached
        pass


def generations_directory(app: Flask) -> str:
    """Where this machine's worker processes keep generations when there is no Redis:
    ``LMS_CACHE_DIR``, else a folder of the temporary directory named for the database."""
    tag = hashlib.sha256(app.config["SQLALCHEMY_DATABASE_URI"].encode()).hexdigest()[:12]
    return app.config.get("LMS_CACHE_DIR") or os.path.join(
        tempfile.gettempdir(), f"ally-lms-cache-{tag}")


def register(app: Flask) -> None:
    """Connect the receivers and session hooks that keep this application's caches true."""
    from lms import signals

    # No count and no pruning: a generation that disappears is only a cache miss.
    app.extensions[GENERATIONS_KEY] = FileSystemCache(generations_directory(app),
                                                      threshold=0, default_timeout=0)

    for signal in (signals.module_started, signals.module_completed,
                   signals.submission_submitted, signals.people_changed):
        signal.connect(forget_people_named, sender=app)
    if not getattr(db, "_personal_cache_hooks", False):
        session_class = db.session.session_factory.class_
        event.listen(session_class, "after_flush", _after_flush)
        event.listen(session_class, "do_orm_execute", _after_bulk)
        # Nothing is dropped on rollback: a savepoint's rollback keeps the outer
        # transaction's writes, and forgetting too much is only a cache miss.
        event.listen(session_class, "after_commit", _after_commit)
        db._personal_cache_hooks = True
