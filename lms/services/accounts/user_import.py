"""CSV import of people with their departments: all rows or none."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import insert, select

from lms.extensions import db
from lms.models import ROLE_NAMES, Cohort, Department, User, normalise_email, utcnow
from lms.models.users import cohort_members, new_session_token, user_roles
from lms.services import audit
from lms.services.accounts import people as accounts
from lms.text import has_control_characters

REQUIRED_COLUMNS = ("email", "name", "department")
OPTIONAL_COLUMNS = ("roles", "pronouns", "cohorts")
MAX_ROWS = 20000


@dataclass
class ImportReport:
    created: list[User] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").replace("|", ";").split(";") if part.strip()]


def import_users(data: bytes, *, actor: User | None = None) -> ImportReport:
    """Validate every row of a CSV file, then create all users or none.

    Columns: email, name, department (required); roles, pronouns, cohorts
    (optional; several values separated by ``;``). Each problem is reported
    with its line number. Nothing is written when any row is bad.
    """
    report = ImportReport()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        report.errors.append(
            _("The file is not UTF-8 text (problem at byte %(byte)s). "
              "Save it as 'CSV UTF-8' and upload it again.", byte=error.start))
        return report
    # strict: a stray or unclosed quote is reported instead of silently merging cells.
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in headers]
    if missing:
        report.errors.append(
            _("Line 1: missing column(s) %(missing)s. Expected: %(expected)s.",
              missing=", ".join(missing),
              expected=", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)))
        return report
    reader.fieldnames = headers
    departments = {d.name.lower(): d for d in db.session.execute(select(Department)).scalars()}
    cohorts = {c.name.lower(): c for c in db.session.execute(select(Cohort)).scalars()}
    existing = set(db.session.execute(select(User.email)).scalars())
    seen: dict[str, int] = {}
    rows = []
    try:
        for row in reader:
            line = reader.line_num
            if len(rows) >= MAX_ROWS:
                report.errors.append(_("Line %(line)s: more than %(most)s rows; split the file.",
                                       line=line, most=MAX_ROWS))
                break
            if None in row:
                report.errors.append(_("Line %(line)s: more values than columns.", line=line))
                continue
            values = {k: (v or "").strip() for k, v in row.items()}
            if not any(values.values()):
                continue
            email = normalise_email(values.get("email"))
            if not email:
                report.errors.append(_("Line %(line)s: email is empty.", line=line))
            else:
                try:
                    validate_email(email, check_deliverability=False)
                except EmailNotValidError:
                    report.errors.append(_("Line %(line)s: '%(email)s' is not a valid email "
                                           "address.", line=line, email=email))
                if email in existing:
                    report.errors.append(_("Line %(line)s: %(email)s already has an account.",
                                           line=line, email=email))
                elif email in seen:
                    report.errors.append(
                        _("Line %(line)s: %(email)s is also on line %(first)s (duplicate email).",
                          line=line, email=email, first=seen[email]))
                seen.setdefault(email, line)
            if not values.get("name"):
                report.errors.append(_("Line %(line)s: name is empty.", line=line))
            elif len(values["name"]) > 200:
                report.errors.append(_("Line %(line)s: name is longer than 200 characters.",
                                       line=line))
            if len(values.get("pronouns", "")) > 40:
                report.errors.append(_("Line %(line)s: pronouns are longer than 40 characters.",
                                       line=line))
            # NUL and friends come from mis-saved files; line breaks would reach mail headers.
            if any(has_control_characters(v) for v in values.values()):
                report.errors.append(_("Line %(line)s: contains control characters; "
                                       "re-save the file as plain CSV text.", line=line))
            department = departments.get(values.get("department", "").lower())
            if not values.get("department"):
                report.errors.append(_("Line %(line)s: department is empty.", line=line))
            elif department is None:
                report.errors.append(
                    _("Line %(line)s: unknown department '%(name)s'; add it under "
                      "Departments first.", line=line, name=values["department"]))
            # dict.fromkeys keeps the order and drops repeats ("learner;learner").
            roles = list(dict.fromkeys(r.lower() for r in _split(values.get("roles"))))
            roles = roles or ["learner"]
            bad_roles = [r for r in roles if r not in ROLE_NAMES]
            if bad_roles:
                report.errors.append(
                    _("Line %(line)s: unknown role(s) %(roles)s; use %(known)s.", line=line,
                      roles=", ".join(bad_roles), known=", ".join(ROLE_NAMES)))
            row_cohorts = []
            for name in _split(values.get("cohorts")):
                if name.lower() not in cohorts:
                    report.errors.append(_("Line %(line)s: unknown cohort '%(name)s'.", line=line,
                                           name=name))
                elif cohorts[name.lower()] not in row_cohorts:
                    row_cohorts.append(cohorts[name.lower()])
            rows.append((email, values.get("name", ""), department, roles,
                         values.get("pronouns") or None, row_cohorts))
    except csv.Error as error:
        # DictReader.line_num lags on a failed row; the underlying reader's does not.
        report.errors.append(
            _("Line %(line)s: the file is not valid CSV (%(error)s).",
              line=reader.reader.line_num, error=error))
    if not rows and not report.errors:
        report.errors.append(_("The file has no rows to import."))
    if report.errors:
        return report
    report.created = _insert_people(rows)
    audit.record(actor, "users.import", None, count=len(report.created))
    accounts.people_changed([user.id for user in report.created])
    return report


def _insert_people(rows: list[tuple]) -> list[User]:
    """Insert validated rows with a handful of statements, whatever their number.

    ORM unit-of-work inserts go row by row on SQLite (it cannot promise the order
    of RETURNING rows), so people, roles and cohort memberships are written as
    multi-row INSERTs and the new users are read back in chunks.
    """
    role_map = accounts.ensure_roles()
    now = utcnow()
    users = User.__table__
    created = db.session.execute(
        insert(users).returning(users.c.id, users.c.email),
        [{"email": email, "name": name, "department_id": department.id,
          "pronouns": pronouns, "joined_at": now, "created_at": now, "updated_at": now,
          "is_active_account": True, "session_token": new_session_token()}
         for email, name, department, _roles, pronouns, _cohorts in rows],
    ).all()
    ids = {email: user_id for user_id, email in created}
    role_links = [{"user_id": ids[row[0]], "role_id": role_map[role].id}
                  for row in rows for role in row[3]]
    cohort_links = [{"user_id": ids[row[0]], "cohort_id": cohort.id}
                    for row in rows for cohort in row[5]]
    if role_links:
        db.session.execute(insert(user_roles), role_links)
    if cohort_links:
        db.session.execute(insert(cohort_members), cohort_links)
    id_list = sorted(ids.values())
    people: list[User] = []
    for start in range(0, len(id_list), 1000):
        chunk = id_list[start:start + 1000]
        people.extend(db.session.execute(
            select(User).where(User.id.in_(chunk)).order_by(User.id)).scalars())
    return people
