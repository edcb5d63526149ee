"""An applicant's draft, submission and withdrawal: nothing typed is lost, nothing counts
after the close.

The window is judged by the server's clock (``lms.clock``) at the moment the request is
handled: a submission at the closing instant counts, one a second later is refused and
the draft stays a draft, kept as typed.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms import localtime
from lms.extensions import db
from lms.models import Application, ApplicationCall, User, utcnow
from lms.models.applications import DRAFT, SUBMITTED, WITHDRAWN
from lms.services import audit
from lms.services.applications.calls import is_eligible, window_state
from lms.services.errors import DomainError


class StaleApplication(DomainError):
    """The draft changed in another tab since this form was loaded."""

    def __init__(self):
        super().__init__("This application was changed in another tab or window after you "
                         "opened this page. Nothing here was saved: copy anything you want to "
                         "keep, then reload to see the latest version.")


def closed_message(call: ApplicationCall) -> str:
    when = localtime.format_local(call.closes_at, "%A %d %B %Y at %H:%M:%S")
    return _("This call closed on %(when)s. Applications are no longer accepted; your draft "
             "is kept but was not submitted.", when=when)


def application_for(user: User, call: ApplicationCall) -> Application | None:
    return db.session.execute(select(Application).where(
        Application.call_id == call.id, Application.user_id == user.id)).scalar_one_or_none()


def _check_window(user: User, call: ApplicationCall) -> None:
    if not is_eligible(user, call):
        raise DomainError(_("This call is not open to you."))
    state = window_state(call)
    if state == "upcoming":
        when = localtime.format_local(call.opens_at, "%A %d %B %Y at %H:%M")
        raise DomainError(_("This call opens on %(when)s.", when=when))
    if state == "closed":
        raise DomainError(closed_message(call))


def _get_or_create(user: User, call: ApplicationCall) -> Application:
    application = application_for(user, call)
    if application is not None:
        return application
    try:
        with db.session.begin_nested():
            application = Application(call_id=call.id, user_id=user.id, answers={},
                                      status=DRAFT)
            db.session.add(application)
    except IntegrityError:
        application = application_for(user, call)
        assert application is not None
    return application


def save_draft(user: User, call: ApplicationCall, answers: dict,
               expected_version: int | None) -> Application:
    """Merge ``answers`` into ``user``'s draft while the call is open.

    A withdrawn application becomes a draft again. Raises ``StaleApplication`` when
    ``expected_version`` is not the stored one, ``DomainError`` outside the window or
    once submitted.
    """
    _check_window(user, call)
    application = _get_or_create(user, call)
    if application.status == SUBMITTED:
        raise DomainError(_("This application is submitted. Withdraw it to change your answers."))
    if expected_version is not None and expected_version != application.draft_version:
        raise StaleApplication()
    merged = {**(application.answers or {}), **answers}
    result = db.session.execute(
        Application.__table__.update()
        .where(Application.id == application.id,
               Application.draft_version == application.draft_version)
        .values(answers=merged, draft_version=application.draft_version + 1,
                saved_at=utcnow(), status=DRAFT, withdrawn_at=None))
    if result.rowcount != 1:
        raise StaleApplication()
    db.session.refresh(application)
    return application


def submit(user: User, call: ApplicationCall, answers: dict,
           expected_version: int | None) -> Application:
    """Submit ``user``'s application (``answers`` already checked as final).

    Idempotent: repeating the request that submitted returns it unchanged. Raises
    ``DomainError`` after the close (the draft is kept as a draft) and
    ``StaleApplication``.
    """
    existing = application_for(user, call)
    if existing is not None and existing.status == SUBMITTED:
        return existing
    application = save_draft(user, call, answers, expected_version)
    application.status = SUBMITTED
    application.submitted_at = utcnow()
    db.session.flush()
    audit.record(user, "application.submit", application, call_id=call.id)
    return application


def withdraw(user: User, application: Application) -> Application:
    """Withdraw a draft or a submitted application (answers are kept for the applicant).
    A decided application cannot be withdrawn here. Raises ``DomainError``."""
    if application.user_id != user.id:
        raise DomainError(_("This is not your application."))
    if application.decision is not None:
        raise DomainError(_("A decision has been made on this application; write to the "
                          "programme office to withdraw."))
    if application.status == WITHDRAWN:
        return application
    application.status = WITHDRAWN
    application.withdrawn_at = utcnow()
    db.session.flush()
    audit.record(user, "application.withdraw", application, call_id=application.call_id)
    return application
