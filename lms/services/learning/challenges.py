"""Challenge drafts and submissions: nothing typed is lost, nothing is submitted twice."""

from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from lms import signals
from lms.extensions import db
from lms.models import ModuleVersion, Step, Submission, SubmissionRevision, User, utcnow
from lms.models.progress import submission_coauthors
from lms.services import personal_cache
from lms.services.errors import DomainError
from lms.services.learning import coauthoring

# A withdrawn reflection (its text deleted by the learner) may be written afresh.
EDITABLE = ("draft", "needs_revision", "withdrawn")
# What saving a draft writes, read back by the same UPDATE.
SAVED_COLUMNS = ("answers", "draft_version", "saved_at")


class StaleDraft(DomainError):
    """The draft changed elsewhere (another tab) since this form was loaded."""

    def __init__(self, submission: Submission):
        super().__init__(gettext(
            "This draft was changed in another tab or window after you opened this page. "
            "Nothing here was saved: copy anything you want to keep, then reload to see the "
            "latest version."))
        self.submission = submission


# Built once (every autosave runs it), its parameters bound at each call.
OWN_SUBMISSION = select(Submission).where(Submission.user_id == bindparam("user_id"),
                                          Submission.step_id == bindparam("step_id"))


def submission_for(user: User, step: Step) -> Submission | None:
    return db.session.execute(OWN_SUBMISSION, {"user_id": user.id, "step_id": step.id}
                              ).scalar_one_or_none()


def _get_or_create(user: User, step: Step) -> Submission:
    submission = submission_for(user, step)
    if submission is not None:
        return submission
    try:
        with db.session.begin_nested():
            submission = Submission(user_id=user.id, step_id=step.id, answers={})
            db.session.add(submission)
    except IntegrityError:
        submission = submission_for(user, step)
        assert submission is not None
    return submission


def _check_version(submission: Submission, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != submission.draft_version:
        raise StaleDraft(submission)


def save_draft(user: User, step: Step, answers: dict, expected_version: int | None) -> Submission:
    """Merge ``answers`` into the draft and bump its version.

    Raises ``StaleDraft`` when ``expected_version`` is not the stored one and
    ``DomainError`` when the submission is not open for editing.
    """
    submission = _get_or_create(user, step)
    if submission.status not in EDITABLE:
        raise DomainError(gettext("These answers are submitted and read-only until a mentor "
                                  "asks for a revision."))
    _check_version(submission, expected_version)
    # Bump the version with a conditional UPDATE so two concurrent saves of the
    # same version cannot both win; what it stored comes back with it.
    # The draft's text shows only on its authors' pages: their cached pages are stale.
    merged = {**(submission.answers or {}), **answers}
    stored = db.session.execute(personal_cache.only_for(
        Submission.__table__.update()
        .where(Submission.id == submission.id,
               Submission.draft_version == submission.draft_version)
        .values(answers=merged, draft_version=submission.draft_version + 1,
                saved_at=utcnow())
        .returning(*(Submission.__table__.c[name] for name in SAVED_COLUMNS)),
        _authors(user, step, submission))
    ).one_or_none()
    if stored is None:
        db.session.refresh(submission)
        raise StaleDraft(submission)
    for name, value in zip(SAVED_COLUMNS, stored, strict=True):
        set_committed_value(submission, name, value)
    return submission


def _authors(user: User, step: Step, submission: Submission) -> set[int]:
    """Who reads this draft: its owner, the person saving it and, in a group, co-authors."""
    people = {user.id, submission.user_id}
    if step.config.get("mode") == "group":
        people |= set(db.session.scalars(select(submission_coauthors.c.user_id).where(
            submission_coauthors.c.submission_id == submission.id)))
    return people


def submit(user: User, step: Step, answers: dict, expected_version: int | None, *,
           is_private: bool = False, coauthors: list[User | str] | None = None
           ) -> Submission:
    """Turn the draft into a new submitted revision (idempotent for a repeated request).

    A repeat of the request that already submitted this version returns the
    submission unchanged. ``coauthors`` (people or email addresses) of a group
    challenge are invited (``coauthoring.invite``). Raises ``StaleDraft`` or
    ``DomainError``.
    """
    submission = _get_or_create(user, step)
    if submission.status not in EDITABLE:
        if expected_version is not None and expected_version == submission.submitted_version:
            return submission  # double click, back button or retry
        raise DomainError(gettext("These answers are already submitted."))
    if answers:
        submission = save_draft(user, step, answers, expected_version)
    else:
        _check_version(submission, expected_version)
    number = len(submission.revisions) + 1
    try:
        with db.session.begin_nested():
            revision = SubmissionRevision(
                submission_id=submission.id, number=number, answers=dict(submission.answers),
                content_hash=step.module.content_hash, submitted_at=utcnow())
            db.session.add(revision)
    except IntegrityError:
        db.session.refresh(submission)
        return submission  # the same submit won a race a moment ago
    submission.status = "submitted"
    submission.submitted_at = revision.submitted_at
    submission.submitted_version = submission.draft_version
    submission.is_private = bool(is_private and step.config.get("allow_private"))
    if coauthors and step.config.get("mode") == "group":
        # Named co-authors are invited; they become authors only by accepting.
        coauthoring.invite(submission, user, [c if isinstance(c, str) else c.email
                                              for c in coauthors])
    db.session.flush()
    db.session.refresh(submission)
    signals.send(signals.submission_submitted, submission=submission, revision=revision)
    return submission


def prompts_at(step: Step, content_hash: str) -> list[dict]:
    """The step's prompts in the module version ``content_hash`` (the current ones when that
    version is the current one, unknown, or had no such challenge)."""
    if content_hash == step.module.content_hash:
        return step.config["prompts"]
    definition = db.session.scalar(select(ModuleVersion.definition).where(
        ModuleVersion.module_id == step.module_id, ModuleVersion.content_hash == content_hash))
    for spec in (definition or {}).get("steps", []):
        if spec["slug"] == step.slug and spec["kind"] == "challenge":
            return spec["config"]["prompts"]
    return step.config["prompts"]


def prompts_reader(step: Step):
    """``prompts_of(revision)`` for pages listing revisions: one query per version shown."""
    seen: dict[str, list[dict]] = {}

    def prompts_of(revision: SubmissionRevision) -> list[dict]:
        if revision.content_hash not in seen:
            seen[revision.content_hash] = prompts_at(step, revision.content_hash)
        return seen[revision.content_hash]

    return prompts_of


def prompts_answered(submission: Submission) -> list[dict]:
    """The prompts as they were when the submission was last submitted: a later version of
    the module may have changed or removed them, and answers are read with their own."""
    revision = submission.revisions[-1] if submission.revisions else None
    if revision is None:
        return submission.step.config["prompts"]
    return prompts_at(submission.step, revision.content_hash)
