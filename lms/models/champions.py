"""Ally champions: named per department, with a record of their participation."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.models.base import Base, TimestampMixin
from lms.models.users import Department, User

# Champion.source
BY_ADMIN, BY_APPLICATION = "admin", "application"
CHAMPION_SOURCES = (BY_ADMIN, BY_APPLICATION)


class Champion(Base, TimestampMixin):
    """``user`` is an ally champion of ``department`` since ``since``."""

    __tablename__ = "champions"
    __table_args__ = (UniqueConstraint("user_id", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    department_id: Mapped[int] = mapped_column(
        ForeignKey("departments.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(20), default=BY_ADMIN)
    since: Mapped[datetime]
    assigned_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    department: Mapped[Department] = relationship()

    def __repr__(self) -> str:
        return f"<Champion {self.user_id} of {self.department_id}>"


class ChampionActivity(Base, TimestampMixin):
    """Something a champion did for the programme, with its date and a short note."""

    __tablename__ = "champion_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    happened_on: Mapped[date]
    note: Mapped[str] = mapped_column(String(300))

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<ChampionActivity {self.user_id} {self.happened_on}>"
