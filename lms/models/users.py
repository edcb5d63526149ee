"""People, their roles, departments and cohorts."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint, func, inspect, select
from sqlalchemy.orm import (
    Mapped,
    lazyload,
    mapped_column,
    query_expression,
    relationship,
    validates,
    with_expression,
)

from lms.models.base import Base, TimestampMixin

ROLE_NAMES = ("learner", "mentor", "admin", "author")

user_roles = Table(
    "user_roles",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("role_id", ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True, index=True),
)

cohort_members = Table(
    "cohort_members",
    Base.metadata,
    Column("cohort_id", ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class Role(Base):
    __tablename__ = "roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)

    def __repr__(self) -> str:
        return f"<Role {self.name}>"


class Department(Base):
    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="SET NULL"), index=True
    )
    lead_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL", use_alter=True), index=True
    )

    parent: Mapped[Department | None] = relationship(remote_side=[id])
    lead: Mapped[User | None] = relationship(foreign_keys=[lead_id])

    def __repr__(self) -> str:
        return f"<Department {self.name}>"


class Cohort(Base, TimestampMixin):
    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(String(1000), default="")

    members: Mapped[list[User]] = relationship(secondary=cohort_members, back_populates="cohorts")

    def __repr__(self) -> str:
        return f"<Cohort {self.name}>"


class User(UserMixin, Base, TimestampMixin):
    """A person. ``email`` is stored lower-cased, so it is unique case-insensitively."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200))
    pronouns: Mapped[str | None] = mapped_column(String(40))
    # The institution's staff number, from its identity provider or HR system.
    employee_id: Mapped[str | None] = mapped_column(String(64))
    # A professional licence number the person chose to show on their certificates.
    licence_number: Mapped[str | None] = mapped_column(String(64))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="SET NULL"), index=True
    )
    is_active_account: Mapped[bool] = mapped_column(default=True)
    # Rotated on logout and password change: every session and remember
    # cookie carrying the old value stops working at once.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    last_login_at: Mapped[datetime | None]
    joined_at: Mapped[datetime | None]
    # The interface language the person chose ("es"); None follows their browser.
    locale: Mapped[str | None] = mapped_column(String(10))

    department: Mapped[Department | None] = relationship(foreign_keys=[department_id])
    roles: Mapped[list[Role]] = relationship(secondary=user_roles, lazy="selectin")
    # The role names, comma-separated, when a query asked for them with ``with_role_names``
    # instead of loading ``roles`` (one query for the signed-in person on every request).
    role_list: Mapped[str | None] = query_expression()
    cohorts: Mapped[list[Cohort]] = relationship(secondary=cohort_members, back_populates="members")

    @validates("email")
    def _normalise_email(self, _key: str, value: str) -> str:
        return normalise_email(value)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.is_active_account

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def role_names(self) -> set[str]:
        if self.role_list is not None and "roles" in inspect(self).unloaded:
            return set(self.role_list.split(","))
        return {role.name for role in self.roles}

    def has_role(self, *names: str) -> bool:
        return bool(self.role_names.intersection(names))

    def __repr__(self) -> str:
        return f"<User {self.email}>"


def normalise_email(value: str) -> str:
    return (value or "").strip().lower()


def with_role_names():
    """Query options: load a person's role names in the same query (``role_list``) and
    ``roles`` only if something asks for the objects."""
    names = (select(func.aggregate_strings(Role.name, ","))
             .join(user_roles, user_roles.c.role_id == Role.id)
             .where(user_roles.c.user_id == User.id).scalar_subquery())
    return with_expression(User.role_list, names), lazyload(User.roles)
