"""Emailing people a link to set their password."""

from flask import current_app, render_template, url_for

from lms.models import User
from lms.services.accounts.passwords import make_reset_token
from lms.services.mail import queue_email


def send_invitation(user: User):
    """Queue a 'set your password' email valid for a week."""
    link = current_app.config["LMS_BASE_URL"].rstrip("/") + url_for(
        "auth.reset_password", token=make_reset_token(user, purpose="invite"))
    return queue_email(user.email, "Your Ally LMS account",
                       render_template("auth/email/invite.txt", user=user, link=link),
                       kind="invitation")
