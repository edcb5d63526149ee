"""Co-authors of group reflections, only with their consent.

Naming someone on a group challenge sends them an invitation; they become a
co-author — able to read the submission and its feedback, told of new
feedback, credited when it is approved — only by accepting it. Declining
deletes the invitation and its notification, so nothing remains in their
record. Every address is treated alike, whether or not an account has it, so
the form never tells who has an account. A person who reviewed a submission
can never become one of its authors (and ``permissions.can_review`` refuses
authors), so nobody approves their own work.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import delete, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from lms.extensions import db
from lms.i18n import lazy_text as _l
from lms.models import (
    CoauthorInvitation,
    Notification,
    Review,
    Step,
    Submission,
    User,
    normalise_email,
)
from lms.models.progress import submission_coauthors
from lms.services import audit, notifications
from lms.services.errors import DomainError
from lms.services.learning import progress as learning
from lms.services.mail import queue_for
from lms.services.notifications import N_, Notice

INVITATION = "coauthor_invitation"
MAX_COAUTHORS = 10


def parse_emails(text: str | None) -> list[str]:
    """The addresses in ``text`` (separated by commas, spaces or lines), normalised.

    Raises ``DomainError`` for text that is not an email address (the same for every
    address: nothing here looks accounts up)."""
    emails = list(dict.fromkeys(
        normalise_email(e) for e in (text or "").replace(",", "\n").split() if e.strip()))
    bad = []
    for email in emails:
        try:
            validate_email(email, check_deliverability=False)
        except EmailNotValidError:
            bad.append(email)
    if bad:
        raise DomainError(_("Not an email address: %(emails)s.", emails=", ".join(bad)),
                          field="coauthors")
    if len(emails) > MAX_COAUTHORS:
        raise DomainError(_("Name at most %(most)s co-authors.", most=MAX_COAUTHORS),
                          field="coauthors")
    return emails


def invite(submission: Submission, inviter: User, emails: list[str]) -> None:
    """Invite each of ``emails`` to co-author ``submission`` (one's own address, current
    co-authors and addresses invited already are skipped). A person with an active
    account at the address is told in the app and by email; nobody else is."""
    taken = {inviter.email, *(c.email for c in submission.coauthors),
             *db.session.execute(select(CoauthorInvitation.email).where(
                 CoauthorInvitation.submission_id == submission.id)).scalars()}
    fresh = [e for e in emails if e not in taken]
    if not fresh:
        return
    step = submission.step
    people = {u.email: u for u in db.session.execute(select(User).where(
        User.email.in_(fresh), User.is_active_account.is_(True))).scalars()}
    page = notifications.path_for("learn.coauthor_invitations")
    for email in fresh:
        invitation = CoauthorInvitation(submission_id=submission.id, email=email,
                                        invited_by_id=inviter.id)
        try:
            with db.session.begin_nested():
                db.session.add(invitation)
        except IntegrityError:
            continue  # the same invitation was made a moment ago
        invitee = people.get(email)
        if invitee is None:
            continue
        notice = Notice(N_("%(name)s invited you to co-author “%(title)s” (%(module)s). "
                           "Accept or decline."),
                        {"name": inviter.name, "title": step.title,
                         "module": step.module.title})
        notifications.notify(invitee, INVITATION, notice, page,
                             ref=f"coauthor:{invitation.id}")
        queue_for(invitee, _l("Invitation to co-author: %(title)s", title=step.title),
                  template="learn/email/coauthor_invitation.txt", kind=INVITATION,
                  invitee=invitee, inviter=inviter, step=step,
                  page=notifications.absolute(page))
    db.session.flush()


def pending_emails(submission: Submission) -> list[str]:
    """Addresses invited to co-author ``submission`` who have not answered yet."""
    return list(db.session.execute(select(CoauthorInvitation.email).where(
        CoauthorInvitation.submission_id == submission.id)
        .order_by(CoauthorInvitation.id)).scalars())


def pending_for(user: User) -> list[CoauthorInvitation]:
    """Invitations waiting for ``user``'s answer, newest first, with what they are about."""
    return list(db.session.execute(
        select(CoauthorInvitation).where(CoauthorInvitation.email == user.email)
        .options(joinedload(CoauthorInvitation.invited_by),
                 joinedload(CoauthorInvitation.submission).joinedload(Submission.user),
                 joinedload(CoauthorInvitation.submission).joinedload(Submission.step)
                 .joinedload(Step.module))
        .order_by(CoauthorInvitation.id.desc())).scalars())


def invitation_for(user: User, invitation_id: int) -> CoauthorInvitation | None:
    """``user``'s own invitation with this id, else None (others' look like missing ones)."""
    invitation = db.session.get(CoauthorInvitation, invitation_id)
    if invitation is None or invitation.email != user.email:
        return None
    return invitation


def accept(user: User, invitation: CoauthorInvitation) -> Submission:
    """Make ``user`` a co-author: access, feedback notices and credit from now on.

    Raises ``DomainError`` when ``user`` reviewed the submission (a reviewer is never
    an author) or wrote it."""
    submission = invitation.submission
    if submission.user_id == user.id:
        raise DomainError(_("This is your own reflection."))
    if db.session.execute(select(exists().where(
            Review.submission_id == submission.id, Review.mentor_id == user.id))).scalar():
        raise DomainError(_("You reviewed this reflection, so you cannot become one of its "
                          "authors."))
    db.session.delete(invitation)
    if all(c.id != user.id for c in submission.coauthors):
        submission.coauthors.append(user)
    db.session.flush()
    audit.record(user, "coauthor.accept", submission)
    step = submission.step
    learning.start_module(user, step.module)  # the module shows among theirs, with progress
    if learning.challenge_counts_as_done(step, submission):
        learning.refresh_completion(user, step.module)
    if submission.user is not None:
        notifications.notify(submission.user, "coauthor_accepted",
                             Notice(N_("%(name)s is now a co-author of “%(title)s”."),
                                    {"name": user.name, "title": step.title}),
                             notifications.path_for("review.mine"))
    return submission


def decline(user: User, invitation: CoauthorInvitation) -> None:
    """Drop the invitation and the notification about it: nothing stays in ``user``'s
    record (the inviter sees only that the invitation is no longer pending)."""
    db.session.execute(delete(Notification).where(
        Notification.user_id == user.id, Notification.kind == INVITATION,
        Notification.ref == f"coauthor:{invitation.id}"))
    db.session.delete(invitation)
    db.session.flush()


def group_submission_for(user: User, step: Step) -> Submission | None:
    """The submitted group reflection on ``step`` that ``user`` co-authors, if any."""
    return db.session.execute(
        select(Submission).join(submission_coauthors,
                                submission_coauthors.c.submission_id == Submission.id)
        .where(submission_coauthors.c.user_id == user.id, Submission.step_id == step.id,
               Submission.status != "draft")
        .options(joinedload(Submission.user))
        .order_by(Submission.id.desc()).limit(1)).scalars().first()
