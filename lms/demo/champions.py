"""Demo ally champions in three departments, one with a logged activity. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from lms import localtime
from lms.extensions import db
from lms.models import ChampionActivity, User
from lms.services.champions import champions

CHAMPIONS = ("mentor.one@example.edu", "learner4@example.edu", "learner9@example.edu")


def load_champions_demo() -> None:
    admin = db.session.execute(select(User).where(
        User.email == "admin@example.edu")).scalar_one()
    for email in CHAMPIONS:
        user = db.session.execute(select(User).where(User.email == email)).scalar_one()
        if user.department is not None and champions.find(user, user.department) is None:
            champions.assign(actor=admin, user=user, department=user.department)
            if email == CHAMPIONS[0] and not db.session.execute(select(
                    ChampionActivity.id).where(ChampionActivity.user_id == user.id)).first():
                champions.log_activity(user, localtime.today() - timedelta(days=6),
                                       "Hosted the department's monthly allyship lunch")
    db.session.flush()
