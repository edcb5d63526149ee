"""Mandatory assignments, the obligations derived from them, and reminders sent.

An ``Assignment`` is a rule: a module, who it targets, when it is due,
whether completions expire. ``Obligation`` rows are the rule applied to
people — one open row per assignment and person, maintained by set-based
statements in ``lms.services.assignments.rules``. Rows are closed, never deleted,
so history survives people leaving and rules changing.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.models.base import Base, TimestampMixin, utcnow
from lms.models.content import Module
from lms.models.progress import ModuleCompletion
from lms.models.users import Cohort, Department, User

TARGET_KINDS = ("everyone", "departments", "cohorts", "role", "people")
DUE_KINDS = ("date", "after_assigned", "after_joined")
DEFAULT_REMIND_DAYS_BEFORE = [14, 3, 0]
DEFAULT_OVERDUE_EVERY_DAYS = 7
DEFAULT_ESCALATE_AFTER_DAYS = 14

assignment_departments = Table(
    "assignment_departments",
    Base.metadata,
    Column("assignment_id", ForeignKey("assignments.id", ondelete="CASCADE"), primary_key=True),
    Column("department_id", ForeignKey("departments.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)

assignment_cohorts = Table(
    "assignment_cohorts",
    Base.metadata,
    Column("assignment_id", ForeignKey("assignments.id", ondelete="CASCADE"), primary_key=True),
    Column("cohort_id", ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)

assignment_people = Table(
    "assignment_people",
    Base.metadata,
    Column("assignment_id", ForeignKey("assignments.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


# Obligations look up "this person's latest completion of this module" for
# thousands of people at once; with this index each lookup is one index
# probe (equality on both columns, already ordered by time) on SQLite and
# PostgreSQL alike, whatever the planner's statistics.
Index("ix_module_completions_user_module_completed", ModuleCompletion.user_id,
      ModuleCompletion.module_id, ModuleCompletion.completed_at)


# The compliance people list walks people in name order within one due-date group and
# stops after a page, instead of sorting everyone assigned.
Index("ix_users_name_id", User.name, User.id)


def new_counts_version() -> str:
    """A token no earlier state of an assignment's counts had (``Assignment.counts_version``)."""
    return secrets.token_hex(6)


class Assignment(Base, TimestampMixin):
    """A module made mandatory for a group of people, with a due rule.

    ``target_kind`` says which of the target lists applies: everyone, the
    listed departments (optionally with their sub-departments), cohorts, one
    role or named people. ``due_kind`` is ``date`` (``due_on``) or a number
    of days (``due_days``) after the person was assigned or joined.
    ``recertify_months`` makes a completion expire, after which the module
    is due again. Deleting sets ``deleted_at``; obligations and reminders stay.
    """

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"),
                                           index=True)
    target_kind: Mapped[str] = mapped_column(String(20))
    include_subdepartments: Mapped[bool] = mapped_column(default=True)
    target_role: Mapped[str | None] = mapped_column(String(32))
    due_kind: Mapped[str] = mapped_column(String(20), default="date")
    due_on: Mapped[date | None]
    due_days: Mapped[int | None]
    recertify_months: Mapped[int | None]
    # Reminder schedule: days before the due date (0 = on the day), then every
    # N days while overdue, and the department lead is told after M days overdue.
    remind_days_before: Mapped[list[int]] = mapped_column(
        JSON, default=lambda: list(DEFAULT_REMIND_DAYS_BEFORE))
    overdue_every_days: Mapped[int] = mapped_column(default=DEFAULT_OVERDUE_EVERY_DAYS)
    escalate_after_days: Mapped[int | None] = mapped_column(default=DEFAULT_ESCALATE_AFTER_DAYS)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    deleted_at: Mapped[datetime | None] = mapped_column(index=True)
    # A new random token whenever this assignment's ``ObligationCount`` rows are rewritten
    # (in the same transaction): compliance keeps figures worked out from the counts under
    # the tokens they were read with (``lms.services.assignments.counts``).
    counts_version: Mapped[str] = mapped_column(String(12), default=new_counts_version,
                                                server_default="")

    module: Mapped[Module] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    departments: Mapped[list[Department]] = relationship(secondary=assignment_departments,
                                                         order_by="Department.name")
    cohorts: Mapped[list[Cohort]] = relationship(secondary=assignment_cohorts,
                                                 order_by="Cohort.name")
    people: Mapped[list[User]] = relationship(secondary=assignment_people,
                                              order_by="User.name")

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def __repr__(self) -> str:
        return f"<Assignment {self.id} m{self.module_id} {self.target_kind}>"


class Obligation(Base):
    """One person's duty to complete one assignment's module.

    ``due_on`` is the first due date (a calendar day in the institution's
    time zone). ``satisfied_at``/``completion_id`` point at the person's
    latest completion of the module; with recertification it counts only
    while younger than the assignment's validity. ``closed_at`` is set when
    the person leaves the target group or the assignment is deleted; a later
    return opens a new row, so at most one row per pair is open.
    """

    __tablename__ = "obligations"
    __table_args__ = (
        Index("uq_obligations_open_pair", "assignment_id", "user_id", unique=True,
              sqlite_where=text("closed_at IS NULL"),
              postgresql_where=text("closed_at IS NULL")),
        Index("ix_obligations_assignment_closed", "assignment_id", "closed_at"),
        Index("ix_obligations_user_module", "user_id", "module_id"),
        # Compliance reads one assignment's open rows with their status dates.
        Index("ix_obligations_open_assignment_status", "closed_at", "assignment_id", "status",
              "next_due_on"),
        # The compliance people list pages through one (assignment, due date) group at a
        # time, and a department's rows are counted again when one of them changes.
        Index("ix_obligations_assignment_department", "assignment_id", "department_id",
              "next_due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # Copied from the assignment so completions can be matched without a join.
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"),
                                           index=True)
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_on: Mapped[date]
    satisfied_at: Mapped[datetime | None]
    completion_id: Mapped[int | None] = mapped_column(
        ForeignKey("module_completions.id", ondelete="SET NULL"), index=True)
    closed_at: Mapped[datetime | None]
    close_reason: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default="not_started",
                                        server_default="not_started")
    is_started: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    valid_until: Mapped[date | None]
    next_due_on: Mapped[date | None]
    exempt_at: Mapped[datetime | None]
    exempt_reason: Mapped[str | None] = mapped_column(String(200))
    # The last day an exemption lasts (None: until withdrawn); the nightly reconcile ends it.
    exempt_until: Mapped[date | None]
    # The person's department, copied when the row opens and whenever the person changes
    # department (``signals.people_changed``): what ``ObligationCount`` rows are grouped by.
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="SET NULL"), index=True)

    assignment: Mapped[Assignment] = relationship()
    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<Obligation a{self.assignment_id} u{self.user_id} due {self.due_on}>"


class ObligationCount(Base):
    """How many open, not exempt obligations of one assignment in one department share the
    same status facts (``lms.services.assignments.counts``).

    The facts are those of ``status.current_status`` (completed or not, started or not,
    until when a completion counts, when the module is next due), so the status of every
    group on any day is the same ``CASE`` over this much smaller table. Kept current in
    the transaction that writes obligations; ``status.reconcile`` recounts every night.
    """

    __tablename__ = "obligation_counts"
    __table_args__ = (Index("ix_obligation_counts_assignment_department", "assignment_id",
                            "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="CASCADE"), index=True)
    is_satisfied: Mapped[bool]
    is_started: Mapped[bool]
    valid_until: Mapped[date | None]
    next_due_on: Mapped[date | None]
    people: Mapped[int]

    def __repr__(self) -> str:
        return f"<ObligationCount a{self.assignment_id} d{self.department_id} {self.people}>"


class Reminder(Base):
    """A reminder or escalation that was queued: the history admins can read.

    ``dedupe_key`` makes the reminder job idempotent: the same stage of the
    same obligation is never recorded, or sent, twice.
    """

    __tablename__ = "assignment_reminders"
    __table_args__ = (Index("ix_assignment_reminders_assignment_created", "assignment_id",
                            "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"))
    # The person the reminder is about (the recipient, unless it is an escalation).
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # before / due / overdue / escalation / manual
    stage: Mapped[str] = mapped_column(String(40))
    due_on: Mapped[date]
    recipient: Mapped[str] = mapped_column(String(254))
    sent_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    outbox_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="SET NULL"), index=True)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    sent_by: Mapped[User | None] = relationship(foreign_keys=[sent_by_id])

    def __repr__(self) -> str:
        return f"<Reminder a{self.assignment_id} u{self.user_id} {self.stage}>"
