"""Issue 13, finding 1: no page an admin can open reveals a usable password link; a
password set through a link the person did not ask for is impossible; every password
change and new sign-in method is emailed to the account and listed on its profile."""

from __future__ import annotations

import re

from sqlalchemy import select

from lms.extensions import db
from lms.models import AuditEvent, OutboxMessage
from lms.services.accounts import passwords
from tests.conftest import TEST_PASSWORD

NEW_PASSWORD = "a brand new long passphrase"


def _messages(to: str) -> list[OutboxMessage]:
    return list(db.session.execute(select(OutboxMessage).where(
        OutboxMessage.to_address == to).order_by(OutboxMessage.id)).scalars())


def test_an_admin_reading_the_outbox_cannot_take_over_an_account(client, auth, make_user,
                                                                  mailbox):
    admin = make_user(roles=("admin",))
    learner = make_user(email="priya@example.edu", name="Priya Shah")
    auth.login(admin)
    # "Forgot password" for someone else, then the message in the Outbox.
    client.post("/auth/forgot", data={"email": learner.email})
    [reset] = _messages(learner.email)
    page = client.get(f"/admin/outbox/{reset.id}").get_data(as_text=True)
    assert "/auth/reset/" not in page and "never shown here" in page
    assert "/auth/reset/" not in reset.body_text  # not stored either, nor in any export
    assert not any("/auth/reset/" in str(e.details) for e in
                   db.session.execute(select(AuditEvent)).scalars())
    # The recipient's own mailbox gets a working link.
    link = mailbox.link(learner.email)
    assert client.get(link).status_code == 200


def test_an_invitation_never_replaces_an_existing_password(client, auth, make_user):
    admin = make_user(roles=("admin",))
    learner = make_user(email="priya@example.edu")
    auth.login(admin)
    response = client.post(f"/admin/users/{learner.id}/invite", follow_redirects=True)
    assert "already has a password" in response.get_data(as_text=True)
    assert _messages(learner.email) == []
    # Nor does an invitation token made for an account with a password work.
    token = passwords.make_reset_token(learner, purpose="invite")
    assert client.get(f"/auth/reset/{token}").status_code == 400
    db.session.refresh(learner)
    assert passwords.check_password(learner, TEST_PASSWORD)


def test_a_first_password_is_announced_and_listed(client, auth, make_user, mailbox):
    admin = make_user(roles=("admin",))
    newcomer = make_user(email="new@example.edu", name="Rosa Ibarra", password=None)
    auth.login(admin)
    client.post(f"/admin/users/{newcomer.id}/invite")
    page = client.get(f"/admin/outbox/{_messages(newcomer.email)[0].id}").get_data(
        as_text=True)
    assert "/auth/reset/" not in page
    auth.logout()
    link = mailbox.link(newcomer.email)
    response = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    notices = [b for b in mailbox.bodies(newcomer.email) if "If this was you" in b]
    assert any("You can now sign in with a password." in b for b in notices)
    assert any("set for the first time" in b for b in notices)
    auth.login(newcomer, NEW_PASSWORD)
    profile = client.get("/profile").get_data(as_text=True)
    assert "You can now sign in with a password." in profile
    assert "Your password was set for the first time" in profile


def test_every_password_change_is_emailed_and_listed(client, auth, make_user, mailbox):
    user = make_user(email="ana@example.edu")
    auth.login(user)
    client.post("/auth/password", data={"current": TEST_PASSWORD, "password": NEW_PASSWORD,
                                        "confirm": NEW_PASSWORD})
    auth.logout()
    client.post("/auth/forgot", data={"email": user.email})
    client.post(mailbox.link(user.email), data={"password": TEST_PASSWORD,
                                                "confirm": TEST_PASSWORD})
    notices = [b for b in mailbox.bodies(user.email) if "If this was you" in b]
    assert [re.search(r"Your password was ([^.]+)\.", b).group(1) for b in notices] == [
        "changed on your profile page", "reset with a link sent to this address"]
    auth.login(user)
    profile = client.get("/profile").get_data(as_text=True)
    assert profile.count("Your password was") == 2


def test_development_links_show_a_persons_own_links_and_never_in_production(app, runner,
                                                                            make_user):
    user = make_user(email="ana@example.edu")
    runner.invoke(args=["mail", "dev-links", user.email])
    with app.test_request_context():
        from lms.services.accounts.password_mail import queue_password_link
        queue_password_link(user, "reset", "Reset", "auth/email/reset.txt",
                            kind="password_reset")
        db.session.commit()
    shown = runner.invoke(args=["mail", "dev-links", user.email])
    assert "DEVELOPMENT ONLY" in shown.output and "/auth/reset/" in shown.output
    app.config["LMS_ENV"] = "production"
    try:
        refused = runner.invoke(args=["mail", "dev-links", user.email])
    finally:
        app.config["LMS_ENV"] = "development"
    assert refused.exit_code != 0 and "/auth/reset/" not in refused.output


def test_an_admin_cannot_move_an_account_with_a_password_to_another_address(client, auth,
                                                                            make_user):
    admin = make_user(roles=("admin",))
    learner = make_user(email="priya@example.edu", name="Priya Shah")
    auth.login(admin)
    response = client.post(f"/admin/users/{learner.id}", data={
        "name": learner.name, "email": "admins-other-inbox@example.edu",
        "roles": ["learner"], "is_active": "y"})
    assert "cannot be changed here" in response.get_data(as_text=True)
    db.session.refresh(learner)
    assert learner.email == "priya@example.edu"
