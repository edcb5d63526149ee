"""``flask demo scale``: generated institution-scale data that the app's pages can use."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from lms import clock
from lms.content.kinds import KINDS
from lms.content.sync import sync_modules
from lms.demo import scale
from lms.demo.people import DEMO_PASSWORD
from lms.extensions import db
from lms.learn.challenge_form import validate_answers
from lms.models import (
    Base,
    Department,
    Enrollment,
    MentorLink,
    Module,
    Obligation,
    Offering,
    Registration,
    Review,
    Step,
    StepProgress,
    Submission,
    SubmissionRevision,
    User,
)
from lms.services.accounts import passwords
from lms.services.learning import progress as learning
from tests.db import empty_all_tables
from tests.learn.test_kind_registry import PLEDGE, pledge_module

pytestmark = pytest.mark.commits  # the loader writes over connections of its own

SMALL = ["--users", "60", "--departments", "6", "--modules", "4", "--seed", "7"]
# Every kind of row the benchmark and the pages rely on.
TABLES = ("departments", "cohorts", "cohort_members", "users", "user_roles", "mentor_links",
          "assignments", "assignment_departments", "obligations", "enrollments",
          "step_progress", "module_completions", "submissions", "submission_revisions",
          "reviews", "trainings", "offerings", "registrations", "calendar_feeds",
          "action_plans", "plan_goals", "plan_actions", "plan_check_ins", "survey_responses",
          "survey_participations")


def _sync(app) -> None:
    report = sync_modules(Path(app.config["LMS_MODULES_DIR"]))
    db.session.commit()
    assert not report.errors


@pytest.fixture
def generated(app, runner, tmp_path):
    """The real modules synced and a small institution generated through the command;
    returns the manifest."""
    _sync(app)
    path = tmp_path / "manifest.json"
    result = runner.invoke(args=["demo", "scale", *SMALL, "--manifest", str(path)])
    assert result.exit_code == 0, result.output
    assert "step_progress" in result.output and "rows in" in result.output
    db.session.remove()
    return json.loads(path.read_text())


def _count(table: str, *where: str) -> int:
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    return db.session.scalar(sa.text(f"SELECT count(*) FROM {table}{clause}"))


def _user(email: str) -> User:
    return db.session.execute(sa.select(User).where(User.email == email)).scalar_one()


def test_every_table_gets_rows_and_the_manifest_counts_them(generated):
    for table in TABLES:
        assert _count(table) > 0, table
        assert generated["counts"][table] == _count(table), table
    assert _count("users") == 60
    assert _count("departments", "parent_id IS NOT NULL") > 0
    sizes = dict(db.session.execute(sa.select(User.department_id, sa.func.count())
                                    .group_by(User.department_id)).all())
    assert any(1 <= size < 5 for size in sizes.values())  # hidden in aggregates
    assert set(db.session.scalars(sa.select(Enrollment.status).distinct())) == {
        "in_progress", "completed"}
    assert set(db.session.scalars(sa.select(Submission.status).distinct())) == {
        "draft", "submitted", "needs_revision", "approved"}
    assert set(db.session.scalars(sa.select(Review.decision).distinct())) == {
        "approve", "revise", "comment"}
    assert _count("submission_revisions", "number = 2") > 0
    assert {"registered", "waitlisted"} <= set(db.session.scalars(
        sa.select(Registration.status).distinct()))
    assert {"attended", "no_show"} <= set(db.session.scalars(
        sa.select(Registration.attendance).distinct()))
    assert {"planned", "doing", "done"} <= set(db.session.scalars(
        sa.text("SELECT DISTINCT status FROM plan_actions")))


def _schema(tables) -> dict:
    inspector = sa.inspect(db.session.connection())

    def described(items) -> list[str]:
        return sorted(json.dumps(item, default=str, sort_keys=True) for item in items)

    return {t: (described(inspector.get_indexes(t)),
                described(inspector.get_unique_constraints(t)),
                described(inspector.get_foreign_keys(t))) for t in tables}


def test_indexes_and_constraints_are_back_and_every_reference_holds(app):
    _sync(app)
    before = _schema(Base.metadata.tables)
    db.session.commit()
    scale.generate(people=40, departments=4, modules=4, seed=5)
    db.session.commit()
    assert _schema(Base.metadata.tables) == before
    # SQLite does not enforce foreign keys: check every one of them here.
    for table in Base.metadata.sorted_tables:
        for key in table.foreign_keys:
            column = key.parent
            target = key.column.table.alias("target").c[key.column.name]
            dangling = db.session.scalar(
                sa.select(sa.func.count()).select_from(table)
                .where(column.is_not(None), ~sa.exists().where(target == column)))
            assert dangling == 0, f"{table.name}.{column.name}"


def test_the_data_is_consistent_with_the_rules_of_the_app(generated):
    # Nobody is counted twice in a seat, and no offering is oversold.
    for offering in db.session.scalars(sa.select(Offering)):
        seats = _count("registrations", f"offering_id = {offering.id}", "status = 'registered'")
        assert offering.seats_taken == seats <= offering.capacity
    # Every review is by a mentor of the learner, on a submitted revision.
    reviews = db.session.execute(
        sa.select(Review.mentor_id, Submission.user_id)
        .join(Submission, Submission.id == Review.submission_id)).all()
    links = {tuple(row) for row in db.session.execute(
        sa.select(MentorLink.mentor_id, MentorLink.learner_id))}
    assert reviews and all(tuple(pair) in links for pair in reviews)
    # Submitted answers pass the checks a real submission passes.
    rows = db.session.execute(
        sa.select(SubmissionRevision.answers, Step.config)
        .join(Submission, Submission.id == SubmissionRevision.submission_id)
        .join(Step, Step.id == Submission.step_id)).all()
    assert rows
    for answers, config in rows:
        assert validate_answers(config["prompts"], answers, final=True) == {}
    # Enrollments are at the stage the app itself computes from the steps, reflections,
    # attendance and plans.
    assert _count("enrollments", "status = 'completed'") == _count("module_completions")
    enrollments = db.session.scalars(sa.select(Enrollment).order_by(Enrollment.id)).all()
    for enrollment in enrollments[::7]:
        progress = learning.module_progress(enrollment.user, enrollment.module)
        assert progress.all_required_done == (enrollment.status == "completed"), enrollment
    # Obligations come from the assignment rules, some already satisfied, some overdue.
    assert _count("obligations", "satisfied_at IS NOT NULL") > 0
    assert _count("obligations", "satisfied_at IS NULL") > 0


def test_demo_accounts_stay_untouched_and_a_second_run_is_refused(app, runner, tmp_path):
    _sync(app)
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    db.session.remove()
    before = {u.email: (u.password_hash, u.department_id, u.session_token)
              for u in db.session.scalars(sa.select(User))}
    first = runner.invoke(args=["demo", "scale", *SMALL])
    assert first.exit_code == 0, first.output
    db.session.remove()
    after = {u.email: (u.password_hash, u.department_id, u.session_token)
             for u in db.session.scalars(sa.select(User)) if u.email in before}
    assert after == before
    assert passwords.check_password(_user("learner@example.edu"), DEMO_PASSWORD)
    again = runner.invoke(args=["demo", "scale", *SMALL])
    assert again.exit_code == 1
    assert "Generated data is already present (60 people" in again.output
    assert _count("users") == len(before) + 60


def test_refuses_without_modules_and_in_production(app, runner):
    result = runner.invoke(args=["demo", "scale", *SMALL])
    assert result.exit_code == 1
    assert "run `flask modules sync` first" in result.output
    assert _count("users") == 0
    app.config["LMS_ENV"] = "production"
    result = runner.invoke(args=["demo", "scale", *SMALL])
    assert result.exit_code == 1 and "Refusing to load demo data in production" in result.output


# Salted hashes differ every time, and so do the random tokens that version an
# assignment's counts; obligation ids follow the order in which the database returns the
# people to the app's INSERT ... SELECT, which is not fixed.
UNSTABLE = {("users", "password_hash"), ("assignments", "counts_version"), ("obligations", "id")}


def _checksum() -> dict[str, str]:
    """A digest per table of every row, ids made relative to the table's first id
    (sequences differ between runs on PostgreSQL), unstable columns left out."""
    firsts = {}
    for table in Base.metadata.sorted_tables:
        if "id" in table.c and isinstance(table.c.id.type, sa.Integer):
            firsts[table.name] = db.session.scalar(sa.select(sa.func.min(table.c.id))) or 0
    digests = {}
    for table in Base.metadata.sorted_tables:
        digest = hashlib.sha256()
        columns = [c for c in table.columns if (table.name, c.name) not in UNSTABLE]
        shifts = []
        for column in columns:
            target = next(iter(column.foreign_keys)).column.table.name \
                if column.foreign_keys else table.name if column.name == "id" else None
            shifts.append(firsts.get(target, 0) if target else 0)
        rows = []
        for row in db.session.execute(sa.select(*columns)):
            rows.append(tuple(v - s if s and v is not None else v
                              for v, s in zip(row, shifts, strict=True)))
        for row in sorted(rows, key=repr):
            digest.update(f"{table.name}{row!r}".encode())
        digests[table.name] = digest.hexdigest()
    return digests


def test_the_same_seed_gives_the_same_rows(app):
    moment = datetime(2026, 3, 4, 15, 30, tzinfo=UTC)
    sums = []
    for seed in (11, 11, 12):
        with clock.frozen_at(moment):
            _sync(app)
            scale.generate(people=40, departments=5, modules=11, seed=seed)
            db.session.commit()
            sums.append(_checksum())
        db.session.remove()
        empty_all_tables(db.engine, Base.metadata)
    assert [t for t in sums[0] if sums[0][t] != sums[1][t]] == []
    assert sums[2] != sums[0]


def test_more_modules_than_synced_adds_published_page_modules(app, client, auth):
    _sync(app)
    synced = _count("modules")
    result = scale.generate(people=30, departments=3, modules=synced + 2, seed=3)
    db.session.commit()
    assert _count("modules", "is_published") == synced + 2
    extra = list(db.session.scalars(sa.select(Module).order_by(Module.id.desc()).limit(2)))
    assert {s.kind for m in extra for s in m.steps} == {"page"}
    assert _count("certificates") == result.counts["certificates"] > 0
    auth.login(result.manifest["learners"][0], scale.PASSWORD)
    page = client.get(f"/learn/{extra[0].slug}/{extra[0].steps[0].slug}")
    assert page.status_code == 200
    assert extra[0].steps[0].title in page.get_data(as_text=True)


def test_the_manifest_accounts_use_the_pages(generated, client, auth):
    manifest = generated
    assert manifest["password"] == scale.PASSWORD
    assert 0 < len(manifest["learners"]) <= 50
    module = db.session.execute(sa.select(Module).where(
        Module.slug == manifest["module_slug"])).scalar_one()
    step = next(s for s in module.steps if s.slug == manifest["challenge_step_slug"])
    assert step.kind == "challenge"
    assignment_people = set(db.session.scalars(sa.select(Obligation.user_id).where(
        Obligation.assignment_id == manifest["assignment_id"], Obligation.closed_at.is_(None))))

    learner = _user(manifest["learners"][0])
    for email in manifest["learners"]:
        person = _user(email)
        assert person.id in assignment_people
        assert db.session.execute(sa.select(Enrollment.status).where(
            Enrollment.user_id == person.id, Enrollment.module_id == module.id)
        ).scalar_one() == "in_progress"
        assert db.session.execute(sa.select(Submission.status).where(
            Submission.user_id == person.id, Submission.step_id == step.id)
        ).scalar_one() == "draft"
    draft = db.session.execute(sa.select(Submission).where(
        Submission.user_id == learner.id, Submission.step_id == step.id)).scalar_one()
    saved_text = next(v for v in draft.answers.values() if isinstance(v, str) and len(v) > 3)

    auth.login(learner.email, scale.PASSWORD)
    home = client.get("/")
    assert home.status_code == 200 and module.title in home.get_data(as_text=True)
    page = client.get(f"/learn/{module.slug}")
    assert page.status_code == 200 and step.title in page.get_data(as_text=True)
    page = client.get(f"/learn/{module.slug}/{step.slug}")
    assert page.status_code == 200
    assert saved_text.replace("'", "&#39;") in page.get_data(as_text=True)
    prompt = step.config["prompts"][0]
    saved = client.post(f"/learn/{module.slug}/{step.slug}/draft",
                        data={f"p-{prompt['id']}": "Autosaved by the benchmark.",
                              "draft_version": draft.draft_version, "part": 1},
                        headers={"HX-Request": "true"})
    assert saved.status_code == 200 and "Not saved" not in saved.get_data(as_text=True)
    db.session.refresh(draft)
    assert draft.answers[prompt["id"]] == "Autosaved by the benchmark."

    events = client.get("/events/")
    assert events.status_code == 200
    offering = db.session.get(Offering, manifest["offering_ids"][0])
    assert offering.training.title in events.get_data(as_text=True)
    for offering_id in manifest["offering_ids"]:
        offering = db.session.get(Offering, offering_id)
        assert offering.starts_at > clock.now() and offering.capacity >= 100_000
    registered = client.post(f"/events/offerings/{manifest['offering_ids'][0]}/register")
    assert registered.status_code == 303
    assert db.session.execute(sa.select(Registration.status).where(
        Registration.user_id == learner.id,
        Registration.offering_id == manifest["offering_ids"][0])).scalar_one() == "registered"
    assert manifest["feed_tokens"]
    for feed_token in manifest["feed_tokens"]:
        feed = client.get(f"/events/feed/{feed_token}.ics")
        assert feed.status_code == 200 and feed.mimetype == "text/calendar"
        assert feed.get_data(as_text=True).count("BEGIN:VEVENT") >= 3
    auth.logout()

    auth.login(manifest["mentor"], scale.PASSWORD)
    queue = client.get("/review/")
    assert queue.status_code == 200
    assert "Waiting for review" in queue.get_data(as_text=True)
    waiting_learner = db.session.execute(
        sa.select(User.name).join(Submission, Submission.user_id == User.id)
        .join(MentorLink, MentorLink.learner_id == User.id)
        .where(MentorLink.mentor_id == _user(manifest["mentor"]).id,
               Submission.status == "submitted")
        .order_by(Submission.submitted_at).limit(1)).scalar_one()
    assert waiting_learner.replace("'", "&#39;") in queue.get_data(as_text=True)
    auth.logout()

    auth.login(manifest["admin"], scale.PASSWORD)
    compliance = client.get("/assignments/compliance")
    assert compliance.status_code == 200 and module.title in compliance.get_data(as_text=True)
    scorecard = client.get("/scorecard")
    assert scorecard.status_code == 200
    division = db.session.execute(sa.select(Department.name).where(
        Department.parent_id.is_(None)).order_by(Department.id).limit(1)).scalar_one()
    assert division in scorecard.get_data(as_text=True)


def test_a_new_kinds_sample_answer_becomes_its_record(app, monkeypatch, tmp_path):
    """A kind the generator has no code for: its learners' records hold its samples."""
    signatures = ("Ada", "Grace", "Alan")
    monkeypatch.setitem(KINDS, "pledge", dataclasses.replace(
        PLEDGE, sample=lambda config, rng: {"name": rng.choice(signatures)}))
    root = tmp_path / "modules"
    shutil.copytree(app.config["LMS_MODULES_DIR"], root)
    pledge_module(root)
    report = sync_modules(root)
    db.session.commit()
    assert not report.errors and "pledge-module" in report.created
    result = scale.generate(people=40, departments=3, modules=_count("modules"), seed=5)
    db.session.commit()
    step = db.session.scalar(sa.select(Step).where(Step.kind == "pledge"))
    records = list(db.session.scalars(sa.select(StepProgress.data).where(
        StepProgress.step_id == step.id)))
    assert records and all(r["name"] in signatures for r in records)
    assert len({r["name"] for r in records}) > 1
    assert result.counts["step_progress"] == _count("step_progress")
