"""Certificates: issued on completion, drawn as PDF, verified publicly."""

from __future__ import annotations

import io
import re
from datetime import date

import pypdf
import pytest
from sqlalchemy import func, select

from lms import clock
from lms.extensions import db
from lms.models import Certificate
from lms.services import certificates
from lms.services.learning import progress as learning
from tests.assignments.helpers import at, complete_module, write_short_module

NAME = "Lucía Fernández"


@pytest.fixture
def issued(certificate_module, make_user):
    learner = make_user(name=NAME, email="lucia@example.edu")
    with clock.frozen_at(at(date(2026, 3, 14))):
        complete_module(learner, certificate_module)
    certificate = db.session.scalar(select(Certificate))
    return learner, certificate


def _pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text()


def test_completion_issues_one_certificate_with_what_it_states(issued, certificate_module):
    learner, certificate = issued
    assert certificate.user_id == learner.id
    assert certificate.learner_name == NAME
    assert certificate.module_title == "Implicit Bias for Licensing"
    assert certificate.standard == "State Board of Medicine implicit-bias requirement"
    assert certificate.hours == 1.5
    assert certificate.content_hash == certificate_module.content_hash
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{12}", certificate.code)
    # A repeated module_completed signal for the same completion issues nothing new.
    enrollment = learning.enrollment_for(learner.id, certificate_module.id)
    certificates.issue_for_completion(None, user=learner, module=certificate_module,
                                      enrollment=enrollment)
    assert db.session.scalar(select(func.count(Certificate.id))) == 1


def test_modules_without_certificates_issue_none(app, module_root, sync_root, make_user):
    write_short_module(module_root, "plain")
    sync_root()
    complete_module(make_user(), learning.published_module("plain"))
    assert db.session.scalar(select(func.count(Certificate.id))) == 0


def test_learner_downloads_a_pdf_that_says_what_it_should(client, auth, issued):
    learner, certificate = issued
    auth.login(learner)
    listing = client.get("/certificates/").get_data(as_text=True)
    assert "Implicit Bias for Licensing" in listing and certificate.display_code in listing
    response = client.get(f"/certificates/{certificate.id}.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    text = _pdf_text(response.data)
    for expected in (NAME, "Implicit Bias for Licensing", "March 14, 2026", "1.5 hours",
                     "State Board of Medicine implicit-bias requirement",
                     certificate.display_code, certificate.version,
                     f"http://lms.test/verify/{certificate.display_code}"):
        assert expected in text, expected


def test_only_the_owner_and_admins_download(client, auth, issued, make_user):
    _, certificate = issued
    auth.login(make_user())
    assert client.get(f"/certificates/{certificate.id}.pdf").status_code == 404
    auth.logout()
    auth.login(make_user(roles=("admin",)))
    assert client.get(f"/certificates/{certificate.id}.pdf").status_code == 200


def test_profile_lists_certificates(client, auth, issued):
    learner, certificate = issued
    auth.login(learner)
    profile = client.get("/profile").get_data(as_text=True)
    assert "Certificates" in profile and "Implicit Bias for Licensing" in profile
    assert f"/certificates/{certificate.id}.pdf" in profile


def test_verify_page_confirms_and_shows_what_the_certificate_states(client, issued):
    learner, certificate = issued
    for typed in (certificate.code, certificate.display_code, certificate.display_code.lower()):
        response = client.get(f"/verify/{typed}")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert "This certificate is genuine" in html
        for shown in (NAME, "Implicit Bias for Licensing", "March 14, 2026",
                      "State Board of Medicine implicit-bias requirement"):
            assert shown in html
        assert learner.email not in html
        # What the certificate itself states, and nothing beyond it.
        assert "1.5 hours" in html and certificate.content_hash[:12] in html


def test_unknown_codes_are_not_valid(client, issued):
    response = client.get("/verify/AAAA-BBBB-CCCC")
    assert response.status_code == 404
    assert "Not valid" in response.get_data(as_text=True)
    assert client.get("/verify/%3Cscript%3E").status_code == 404


def test_verify_form_redirects_to_the_code(client, issued):
    _, certificate = issued
    response = client.get(f"/verify?code={certificate.display_code}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/verify/{certificate.display_code}")
    assert "Verification code" in client.get("/verify").get_data(as_text=True)


@pytest.mark.parametrize(("typed", "stored"), [
    ("abcd-efgh-jkmn", "ABCDEFGHJKMN"), ("ABCD EFGH JKMN", "ABCDEFGHJKMN"),
    ("oooo-iiii-llll", "000011111111"), ("short", None), ("ABCD-EFGH-JKMU", None),
])
def test_codes_are_normalised(typed, stored):
    assert certificates.normalise_code(typed) == stored


def test_a_name_outside_latin_1_still_renders(app, certificate_module, make_user):
    learner = make_user(name="Zoë Ŵilliams-Łukasiewicz Ωmega")
    complete_module(learner, certificate_module)
    certificate = db.session.scalar(select(Certificate).where(Certificate.user_id == learner.id))
    with app.test_request_context():
        text = _pdf_text(certificates.render_pdf(certificate))
    assert "Zoë Ŵilliams-Łukasiewicz Ωmega" in text


def test_transcripts_list_every_completion_with_its_evidence(client, auth, issued,
                                                             make_user, admin):
    from lms.models import Step, Submission

    learner, certificate = issued
    # Something private the learner wrote, which no transcript may carry.
    step = db.session.scalar(select(Step).limit(1))
    db.session.add(Submission(user_id=learner.id, step_id=step.id, status="submitted",
                              answers={"thoughts": "A private reflection about my family"}))
    db.session.commit()
    auth.login(learner)
    page = client.get("/transcript").get_data(as_text=True)
    assert "Implicit Bias for Licensing" in page and certificate.display_code in page
    assert certificate.content_hash[:12] in page and "Mar 14, 2026" in page
    own = client.get("/transcript.pdf")
    assert own.headers["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(own.data)).pages)
    for shown in ("Training transcript", NAME, "Implicit Bias for Licensing",
                  "Completed Mar 14, 2026", certificate.display_code,
                  f"version {certificate.content_hash[:12]}"):
        assert shown in text
    # Someone else cannot fetch it; an admin can, without any reflection text.
    auth.logout()
    auth.login(make_user())
    assert client.get(f"/admin/people/{learner.id}/transcript.pdf").status_code in (403, 404)
    auth.logout()
    auth.login(admin)
    person = client.get(f"/admin/people/{learner.id}/transcript.pdf")
    assert person.status_code == 200
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(person.data)).pages)
    assert NAME in text and certificate.display_code in text
    assert "private reflection" not in text
    assert "Download" in client.get(f"/admin/users/{learner.id}").get_data(as_text=True)


def test_a_licence_number_from_the_profile_goes_on_later_certificates(
        client, auth, certificate_module, make_user):
    learner = make_user(name=NAME)
    auth.login(learner)
    too_long = client.post("/profile", data={"name": NAME, "licence_number": "x" * 65})
    assert too_long.status_code == 200 and "64" in too_long.get_data(as_text=True)
    saved = client.post("/profile", data={"name": NAME, "licence_number": " RN-778812 "})
    assert saved.status_code == 302
    assert learner.licence_number == "RN-778812"
    complete_module(learner, certificate_module)
    certificate = db.session.scalar(select(Certificate))
    assert certificate.licence_number == "RN-778812"
    text = _pdf_text(client.get(f"/certificates/{certificate.id}.pdf").data)
    assert "Learner's licence number: RN-778812" in text
    assert "RN-778812" in client.get(f"/verify/{certificate.code}").get_data(as_text=True)
