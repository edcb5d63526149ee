"""'Delete my reflection': the learner removes the text of every revision (GDPR art. 17).

The submission row stays, with its dates and revision numbers but no text,
so mentors see that it was withdrawn (its queue state and review page say
so) rather than a reflection vanishing from under them. Mentors' feedback
on it loses its text too: feedback quotes and paraphrases the reflection.
The learner chooses whether the challenge still counts as done; a module
already completed stays completed either way (completions and certificates
are records of what happened). A withdrawn reflection may be written afresh.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from lms.extensions import db
from lms.models import Module, Review, Step, StepProgress, Submission, User, utcnow
from lms.services import audit
from lms.services.errors import DomainError


def reflections_of(user: User) -> list[tuple[Submission, Step, Module]]:
    """Every reflection ``user`` wrote, drafts included, newest first."""
    return list(db.session.execute(
        select(Submission, Step, Module).join(Step, Step.id == Submission.step_id)
        .join(Module, Module.id == Step.module_id).where(Submission.user_id == user.id)
        .order_by(Submission.saved_at.desc(), Submission.id.desc())).all())


def erase_text(submission: Submission) -> None:
    """Remove the text of the draft, every revision and the feedback on them."""
    submission.answers = {}
    submission.draft_version += 1  # an open tab's autosave cannot write the old text back
    for revision in submission.revisions:
        revision.answers = {}
    for review in db.session.scalars(select(Review).where(
            Review.submission_id == submission.id)):
        review.comment = review.improve = ""
        review.rubric = []


def withdraw(learner: User, submission: Submission, *, keep_completion: bool) -> Submission:
    """Delete the text of ``learner``'s reflection; keep the challenge done or not.

    Raises ``DomainError`` when the reflection is not the learner's own.
    """
    if submission.user_id != learner.id:
        raise DomainError(_("Only the author can delete a reflection."))
    db.session.refresh(submission, ["revisions"])
    erase_text(submission)
    submission.status = "withdrawn"
    submission.withdrawn_at = utcnow()
    if not keep_completion:
        db.session.execute(delete(StepProgress).where(
            StepProgress.user_id == learner.id, StepProgress.step_id == submission.step_id))
    audit.record(learner, "reflection.withdrawn", submission, kept_completion=keep_completion)
    db.session.flush()
    return submission


def load_own(user: User, submission_id: int) -> Submission | None:
    """``user``'s own reflection with that id, or None."""
    return db.session.scalar(select(Submission).options(selectinload(Submission.revisions))
                             .where(Submission.id == submission_id,
                                    Submission.user_id == user.id))
