"""'Download my data': what the archive holds, who can fetch it, and background builds."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

from lms import clock
from lms.demo.reviews import EQUITY_ANSWERS
from lms.extensions import db
from lms.models import DataExport
from lms.services import notifications
from lms.services.privacy import exports
from lms.services.reviews import review as reviews

FEEDBACK = "Thank you for naming who carries the cost of the early start."


def _archive(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert "no-store" in response.headers["Cache-Control"]
    return zipfile.ZipFile(io.BytesIO(response.data))


def _reflection_with_feedback_and_a_read(people, submit):
    submission = submit(people.learner)
    revision = submission.revisions[-1]
    reviews.record_access(people.mentor, submission, revision, "review")
    reviews.decide(people.mentor, submission, revision, decision="revise", comment=FEEDBACK,
                   improve="Say what you would change first.")
    db.session.commit()
    return submission


def test_the_archive_holds_every_section_with_reflections_feedback_and_reads(
        client, auth, people, submit):
    _reflection_with_feedback_and_a_read(people, submit)
    auth.login(people.learner)
    page = client.get("/my-data/").get_data(as_text=True)
    assert "Prepare a download of my data" in page
    response = client.post("/my-data/exports", follow_redirects=True)
    assert "Your data is ready to download." in response.get_data(as_text=True)
    export = db.session.query(DataExport).one()
    with _archive(client.get(f"/my-data/exports/{export.token}")) as zf:
        names = set(zf.namelist())
        everything = json.loads(zf.read("my-data.json"))["sections"]
        html = zf.read("index.html").decode()
    assert {"index.html", "my-data.json", "profile.json", "reflections.json",
            "reflection_reads.json"} <= names
    assert everything["profile"][0]["email"] == people.learner.email
    assert "password_hash" not in everything["profile"][0]
    assert "session_token" not in everything["profile"][0]
    assert everything["roles"] == [{"role": "learner"}]
    reflection = everything["reflections"][0]
    assert reflection["revisions"][0]["answers"]["decision"] == EQUITY_ANSWERS["decision"]
    assert reflection["feedback"][0]["comment"] == FEEDBACK
    assert reflection["feedback"][0]["mentor"] == people.mentor.name
    assert everything["reflection_reads"][0]["reader"] == people.mentor.name
    assert any(e["kind"] == "enrollment" for e in everything["learning"])
    assert everything["notifications"]  # the feedback notice
    assert EQUITY_ANSWERS["decision"] in html and FEEDBACK in html
    assert "Who read your reflections" in html


def test_an_archive_downloads_only_for_its_owner_and_only_until_it_expires(
        app, client, auth, people, submit):
    export = exports.request_export(people.learner)
    db.session.commit()
    auth.login(people.other_learner)
    assert client.get(f"/my-data/exports/{export.token}").status_code == 404
    auth.logout()
    auth.login(people.admin)
    assert client.get(f"/my-data/exports/{export.token}").status_code == 404
    auth.logout()
    auth.login(people.learner)
    assert client.get(f"/my-data/exports/{export.token}").status_code == 200
    assert client.get("/my-data/exports/not-a-token").status_code == 404
    with clock.frozen_at(export.expires_at + timedelta(seconds=1)):
        assert client.get(f"/my-data/exports/{export.token}").status_code == 404
        result = app.test_cli_runner().invoke(args=["privacy", "build-exports"])
    assert "deleted 1 expired" in result.output
    assert db.session.query(DataExport).count() == 0


def test_large_accounts_are_built_in_the_background(app, client, auth, people, monkeypatch):
    monkeypatch.setattr(exports, "INLINE_LIMIT", -1)
    auth.login(people.learner)
    response = client.post("/my-data/exports", follow_redirects=True)
    assert "being prepared in the background" in response.get_data(as_text=True)
    client.post("/my-data/exports")  # a second press queues nothing more
    export = db.session.query(DataExport).one()
    assert export.status == "queued"
    assert client.get(f"/my-data/exports/{export.token}").status_code == 404
    assert "Being prepared since" in client.get("/my-data/").get_data(as_text=True)
    result = app.test_cli_runner().invoke(args=["privacy", "build-exports"])
    assert result.exit_code == 0 and "Built 1 archive;" in result.output
    with _archive(client.get(f"/my-data/exports/{export.token}")) as zf:
        assert json.loads(zf.read("profile.json"))[0]["name"] == people.learner.name



def test_the_archive_and_erasure_cover_sign_in_identities_and_coauthor_invitations(
        people, submit, make_user):
    from lms.models import CoauthorInvitation, ExternalIdentity
    from lms.services.privacy import erasure

    submission = submit(people.learner)
    friend = make_user(name="Robin Friend")
    db.session.add_all([
        ExternalIdentity(user_id=friend.id, provider="campus", subject="sub-robin-42"),
        CoauthorInvitation(submission_id=submission.id, email=friend.email,
                           invited_by_id=people.learner.id)])
    db.session.commit()
    held = exports.collect(friend)
    assert held["sign_in"][0]["subject"] == "sub-robin-42"
    assert held["coauthoring"][0]["invited_by"] == people.learner.name

    erasure.erase_person(people.admin, friend)
    db.session.commit()
    assert db.session.query(ExternalIdentity).count() == 0
    assert db.session.query(CoauthorInvitation).count() == 0


def test_notifications_are_exported_as_their_owner_reads_them(app, people):
    people.learner.locale = "es"
    notifications.notify(people.learner, "info", notifications.Notice(
        notifications.N_("%(name)s can now read the reflections you submit."),
        {"name": "Ann Mentor"}))
    db.session.commit()
    exported = exports.collect(people.learner)["notifications"][-1]
    assert exported["shown_text"] == "Ann Mentor puede leer ahora las reflexiones que envíe."
    assert exported["text"] == "Ann Mentor can now read the reflections you submit."
    assert exported["message"] == "%(name)s can now read the reflections you submit."
    assert exported["params"] == {"name": "Ann Mentor"}
