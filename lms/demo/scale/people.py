"""Departments (nested, skewed sizes, a few tiny ones), cohorts, people, roles, mentors."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from lms.demo.scale import words
from lms.demo.scale.build import Build, email_of, token, unique_name
from lms.models import Cohort, Department
from lms.models.users import user_roles
from lms.services.accounts import people as accounts

ADMINS = 3
MENTOR_SHARE = 0.01
INACTIVE_SHARE = 0.02
NO_DEPARTMENT_SHARE = 0.01
COHORT_SHARE = 0.08
BENCH_LEARNERS = 50
FEED_PEOPLE = 20
TINY_SIZES = (1, 2, 3, 4)


def make_people(b: Build) -> None:
    """Insert departments, cohorts, people with their roles and mentor links."""
    _departments(b)
    _people(b)
    _cohorts(b)
    _mentor_links(b)
    _leads(b)


def _departments(b: Build) -> None:
    rng = b.rng("departments")
    taken = set(b.loader.connection.scalars(sa.select(Department.name)))
    base = b.loader.next_id("departments")
    count = b.department_count
    tops = max(1, round(count * 0.2))
    rows = []
    for k in range(count):
        if k < tops:
            name, parent = words.DIVISIONS[k % len(words.DIVISIONS)], None
        else:
            name = words.UNITS[(k - tops) % len(words.UNITS)]
            # Most units sit in a division; some inside another unit (three levels).
            nested = k - tops >= 3 and rng.random() < 0.25
            parent = base + (rng.randrange(tops, k) if nested else rng.randrange(tops))
        rows.append((base + k, unique_name(name, taken), parent))
    b.loader.load("departments", ["id", "name", "parent_id"], rows)
    b.departments = [row[0] for row in rows]
    b.top_departments = b.departments[:tops]


def _people(b: Build) -> None:
    rng = b.rng("people")
    n = b.people
    b.user_base = b.loader.next_id("users")
    count = len(b.departments)
    units = count - len(b.top_departments)
    tiny = min(len(TINY_SIZES), max(1, count // 10)) if units >= 2 else 0
    tiny_ids = b.departments[count - tiny:] if tiny else []
    weights = [0.0 if d in tiny_ids else rng.paretovariate(1.2) for d in b.departments]
    chosen = rng.choices(b.departments, weights=weights, k=n)
    b.department_of = [None if rng.random() < NO_DEPARTMENT_SHARE else d for d in chosen]
    admins = min(ADMINS, max(1, n // 10))
    mentors = max(2, round(n * MENTOR_SHARE))
    b.admins = list(range(admins))
    b.mentors = list(range(admins, admins + mentors))
    staff = admins + mentors
    learners = list(range(staff, n))
    # Few enough that the rest of a small institution still shows every kind of data.
    b.bench = _spread(learners, min(BENCH_LEARNERS, len(learners) // 4))
    bench = set(b.bench)
    b.feed_people = _spread([i for i in learners if i not in bench],
                            min(FEED_PEOPLE, max(1, len(learners) // 10)))
    keep_active = bench | set(b.feed_people)
    for size, department in zip(TINY_SIZES, tiny_ids, strict=False):
        for index in rng.sample([i for i in learners if i not in keep_active], size):
            b.department_of[index] = department
    b.active = [i < staff or i in keep_active or rng.random() > INACTIVE_SHARE
                for i in range(n)]

    rows = []
    for i in range(n):
        name = f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.LAST_NAMES)}"
        b.names.append(name)
        joined = b.ago(rng.randint(30 * 1440, 3000 * 1440))
        pronouns = rng.choice(words.PRONOUNS) if rng.random() < 0.6 else None
        last_login = b.ago(rng.randint(60, 90 * 1440)) if rng.random() < 0.8 else None
        rows.append((b.user_id(i), email_of(i + 1), name, pronouns, b.password_hash,
                     b.department_of[i], b.active[i], token(rng), last_login, joined, joined,
                     joined))
    b.loader.load("users", ["id", "email", "name", "pronouns", "password_hash", "department_id",
                            "is_active_account", "session_token", "last_login_at", "joined_at",
                            "created_at", "updated_at"], rows)

    roles = {name: role.id for name, role in accounts.ensure_roles().items()}
    admin_set, mentor_set = set(b.admins), set(b.mentors)
    role_rows = [(b.user_id(i), roles["learner"]) for i in range(n)]
    role_rows += [(b.user_id(i), roles["admin"]) for i in admin_set]
    role_rows += [(b.user_id(i), roles["mentor"]) for i in mentor_set]
    b.loader.load(user_roles.name, ["user_id", "role_id"], role_rows)


def _spread(items: list[int], count: int) -> list[int]:
    """Up to ``count`` items evenly spread over ``items``."""
    if len(items) <= count:
        return list(items)
    return [items[k * len(items) // count] for k in range(count)]


def _cohorts(b: Build) -> None:
    rng = b.rng("cohorts")
    taken = set(b.loader.connection.scalars(sa.select(Cohort.name)))
    count = max(1, min(len(words.COHORTS), b.people // 1500 + 1))
    base = b.loader.next_id("cohorts")
    stamp = b.ago(400 * 1440)
    rows = [(base + k, unique_name(f"{words.COHORTS[k]} {b.today.year}", taken),
             "Generated for load testing: people from several departments who meet monthly.",
             stamp, stamp) for k in range(count)]
    b.loader.load("cohorts", ["id", "name", "description", "created_at", "updated_at"], rows)
    members = [(base + k % count, b.user_id(i))
               for k, i in enumerate(i for i in range(b.people) if rng.random() < COHORT_SHARE)]
    members += [(base + k, b.user_id(b.mentors[k % len(b.mentors)])) for k in range(count)]
    b.loader.load("cohort_members", ["cohort_id", "user_id"], sorted(set(members)))


def _mentor_links(b: Build) -> None:
    """Every person gets a direct mentor (mentors are mentored by another mentor); a few
    mentors also mentor a whole department."""
    rng = b.rng("mentor-links")
    mentors = b.mentors
    mentor_set = set(mentors)
    others = sorted((i for i in range(b.people) if i not in mentor_set),
                    key=lambda i: (b.department_of[i] or 0, i))
    for k, i in enumerate(others):
        b.mentor_of[i] = mentors[k * len(mentors) // len(others)]
    for k, i in enumerate(mentors):
        b.mentor_of[i] = mentors[(k + 1) % len(mentors)]
    stamp = b.ago(365 * 1440)
    admin = b.user_id(b.admins[0])
    rows = [(b.user_id(mentor), b.user_id(i), None, stamp, admin)
            for i, mentor in sorted(b.mentor_of.items())]
    units = b.departments[len(b.top_departments):] or b.departments
    for mentor in mentors[:2]:
        rows.append((b.user_id(mentor), None, rng.choice(units), stamp + timedelta(days=1),
                     admin))
    b.loader.load("mentor_links", ["mentor_id", "learner_id", "department_id", "created_at",
                                   "created_by_id"], rows)


def _leads(b: Build) -> None:
    """Each division is led by one of its own people (leads see its compliance)."""
    first_member: dict[int, int] = {}
    for i, department in enumerate(b.department_of):
        if department is not None and i not in b.admins and b.active[i]:
            first_member.setdefault(department, i)
    leads = [{"lead": b.user_id(first_member[d]), "department": d}
             for d in b.top_departments if d in first_member]
    if leads:
        departments = Department.__table__
        b.loader.connection.execute(
            departments.update().where(departments.c.id == sa.bindparam("department"))
            .values(lead_id=sa.bindparam("lead")), leads)
