"""``flask users create-admin`` and ``flask demo load``."""

from __future__ import annotations

from sqlalchemy import func, select

from lms.demo.people import DEMO_PASSWORD, PEOPLE
from lms.extensions import db
from lms.models import Cohort, Department, User
from lms.services.accounts import passwords


def _user(email):
    return db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()


def test_create_admin_with_options(runner):
    result = runner.invoke(args=["users", "create-admin", "--email", "Office@Example.edu",
                                 "--name", "Programme Office",
                                 "--password", "a long enough passphrase"])
    assert result.exit_code == 0, result.output
    assert "Created admin office@example.edu." in result.output
    admin = _user("office@example.edu")
    assert admin.role_names == {"admin", "learner"}
    assert passwords.check_password(admin, "a long enough passphrase")


def test_create_admin_prompts(runner):
    result = runner.invoke(args=["users", "create-admin", "--password",
                                 "a long enough passphrase"],
                           input="office@example.edu\nProgramme Office\n")
    assert result.exit_code == 0, result.output
    assert _user("office@example.edu") is not None


def test_create_admin_refuses_bad_input(runner, make_user):
    make_user(email="taken@example.edu")
    cases = [
        (["--email", "office@example.edu", "--name", "Office", "--password", "short"],
         "at least 12 characters"),
        (["--email", "not an email", "--name", "Office", "--password", "long enough pass"],
         "not a valid email address"),
        (["--email", "TAKEN@example.edu", "--name", "Office", "--password", "long enough pass"],
         "An account with this email already exists."),
        (["--email", "office@example.edu", "--name", "  ", "--password", "long enough pass"],
         "Give the person's name."),
    ]
    for args, message in cases:
        result = runner.invoke(args=["users", "create-admin", *args])
        assert result.exit_code == 1, result.output
        assert message in result.output
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_demo_load_is_idempotent(runner):
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "admin@example.edu" in first.output and DEMO_PASSWORD in first.output
    counts = (db.session.scalar(select(func.count(User.id))),
              db.session.scalar(select(func.count(Department.id))),
              db.session.scalar(select(func.count(Cohort.id))))
    assert counts[0] >= len(PEOPLE)  # areas add demo staff of their own

    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0, second.output
    assert (db.session.scalar(select(func.count(User.id))),
            db.session.scalar(select(func.count(Department.id))),
            db.session.scalar(select(func.count(Cohort.id)))) == counts

    admin = _user("admin@example.edu")
    assert admin.has_role("admin")
    assert passwords.check_password(admin, DEMO_PASSWORD)
    assert _user("mentor.one@example.edu").has_role("mentor")
    assert _user("learner@example.edu").role_names == {"learner"}


def test_demo_accounts_can_sign_in(runner, client):
    runner.invoke(args=["demo", "load"])
    for email in ("admin@example.edu", "mentor.one@example.edu", "learner@example.edu"):
        response = client.post("/auth/login", data={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        client.post("/auth/logout")


def test_demo_load_refused_in_production(app, runner):
    app.config["LMS_ENV"] = "production"
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 1
    assert "Refusing to load demo data in production." in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0
