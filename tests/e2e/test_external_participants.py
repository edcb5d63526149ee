"""An external professional at an open, fee-based session, in a real browser.

The story from the issue: a physician from a community clinic finds the open
session, signs up without an account, confirms the address from the email
(a real SMTP server receives it), lands on the waitlist because the session
is full, is promoted when a staff member cancels, the programme office marks
the fee paid, and the receipt PDF is read back. axe-core runs on every page.
"""

from __future__ import annotations

import io
import re
import secrets
import time
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from lms.extensions import db
from lms.models import User, utcnow
from lms.services.events import offerings as events
from lms.services.events import raffle as event_raffle
from lms.services.events import registration as event_registration
from tests.e2e.conftest import check_a11y, login_as
from tests.mailbox import Mailbox, _Recorder, running_smtp

pytestmark = pytest.mark.e2e

ADMIN = "admin@example.edu"
STAFF = "learner@example.edu"  # holds the only seat


@pytest.fixture
def smtp(live_server):
    """The live server delivers to a real SMTP server for this test; yields a ``Mailbox``."""
    app = live_server.app
    recorder = _Recorder()
    keys = ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USE_SSL")
    saved = {k: app.config.get(k) for k in keys}
    with running_smtp(recorder) as port:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False,
                          MAIL_USE_SSL=False)
        try:
            yield Mailbox(app, recorder)
        finally:
            app.config.update(saved)


def _full_open_session(app, suffix: str):
    """A one-seat session open to externals with a fee, its seat taken by a staff member."""
    with app.app_context():
        admin = db.session.query(User).filter_by(email=ADMIN).one()
        staff = db.session.query(User).filter_by(email=STAFF).one()
        training = events.create_training(events.TrainingData(
            title=f"Trauma-Informed Care {suffix}", slug=f"trauma-informed-{suffix}",
            description="For clinicians inside and outside the institution."), actor=admin)
        start = (utcnow() + timedelta(days=5)).replace(second=0, microsecond=0)
        offering = events.create_offering(training, events.OfferingData(
            starts_at=start, ends_at=start + timedelta(hours=1), capacity=1, mode="virtual",
            video_url="https://video.example.edu/j/77", audience="open", fee_cents=5000,
            fee_note="For participants from outside the institution"), actor=admin)
        event_registration.register(staff, offering)
        week = event_raffle.create_week(event_raffle.WeekData(
            name=f"Open Week {suffix}", starts_on=start.date(), ends_on=start.date()),
            actor=admin)
        db.session.commit()
        return offering.id, training.title, week.id


def _page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, accept_downloads=True)
    context.set_default_timeout(15_000)
    return context.new_page()


def test_external_signs_up_confirms_waits_is_promoted_pays_and_gets_a_receipt(
        browser, live_server, smtp):
    suffix = secrets.token_hex(3)
    email = f"lena.{suffix}@clinic.example.org"
    offering_id, title, week_id = _full_open_session(live_server.app, suffix)

    guest = _page(browser, live_server)
    guest.goto("/events/open")
    check_a11y(guest)
    guest.get_by_role("link", name=title).click()
    check_a11y(guest)
    guest.get_by_label("Full name").fill("Dr. Lena Ortiz")
    guest.get_by_label("Email").fill(email)
    guest.get_by_label("Organisation").fill("Riverside Community Clinic")
    guest.get_by_label("Profession").fill("Family physician")
    guest.get_by_label("Licence number").fill("MD-448812")
    guest.get_by_role("button", name="Sign up").click()
    assert guest.get_by_role("heading", level=1).inner_text() == "Check your email"
    check_a11y(guest)

    link = smtp.link(email, "/events/external/verify/")
    guest.goto(link)
    check_a11y(guest)
    guest.get_by_role("button", name="Confirm my place").click()
    assert "On the waitlist, number 1 in line" in guest.locator("main").inner_text()
    check_a11y(guest)
    manage_url = guest.url

    staff = _page(browser, live_server)
    login_as(staff, STAFF)
    staff.goto(f"/events/offerings/{offering_id}")
    staff.get_by_role("button", name=re.compile(r"^Cancel my place")).click()
    # The cancel is an htmx request: the promotion mail exists once it has been answered.
    deadline = time.monotonic() + 15
    while not any("it is yours" in body for body in smtp.bodies(email)):
        assert time.monotonic() < deadline, "the promoted external was not told"
        time.sleep(0.2)

    guest.goto(manage_url)
    assert "You have a seat" in guest.locator("main").inner_text()
    assert "50.00 USD: Due" in guest.locator("main").inner_text()

    admin = _page(browser, live_server)
    login_as(admin, ADMIN)
    admin.goto(f"/events/offerings/{offering_id}/roster")
    check_a11y(admin)
    admin.get_by_role("link", name=re.compile(r"^Due.*fee of Dr\. Lena Ortiz")).click()
    check_a11y(admin)
    admin.get_by_label("Fee status").select_option(label="Paid")
    admin.get_by_label("Invoice or receipt number").fill(f"RCPT-{suffix}")
    admin.get_by_role("button", name="Save fee status").click()
    assert "marked paid" in admin.locator("main").inner_text()
    # The pages of the raffle rules: the reason field before the week ends, the consent form.
    admin.goto(f"/events/manage/weeks/{week_id}")
    assert admin.get_by_label("Reason for drawing before the week has ended").is_visible()
    check_a11y(admin)
    staff.goto(f"/events/weeks/{week_id}")
    staff.get_by_label("Yes, show my name").check()
    staff.get_by_role("button", name="Save my answer").click()
    assert "You agreed to be named here if you win." in staff.locator("main").inner_text()
    check_a11y(staff)
    staff.goto("/events/team-requests/new")
    assert "groups of 50 people or more" in staff.locator("main").inner_text()
    check_a11y(staff)

    guest.goto(manage_url)
    check_a11y(guest)
    with guest.expect_download() as download:
        guest.get_by_role("link", name="Download your receipt (PDF)").click()
    data = Path(download.value.path()).read_bytes()
    content = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    for expected in (f"RCPT-{suffix}", "Dr. Lena Ortiz", "Riverside Community Clinic",
                     "50.00 USD", title):
        assert expected in content
    # A link that was tampered with (or has expired) explains what to do next.
    guest.goto("/events/external/verify/not-a-real-link")
    assert guest.get_by_role("heading", level=1).inner_text() == "This link no longer works"
    check_a11y(guest)
    for page in (guest, staff, admin):
        page.context.close()
