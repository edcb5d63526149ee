"""'Download my data' (GDPR articles 15 and 20): a zip of JSON plus a readable page.

A request creates a :class:`DataExport`. Small accounts get their archive
built at once, in the same request; larger ones (more than
:data:`INLINE_LIMIT` stored records) are queued and built by
``flask privacy build-exports``, run from cron every few minutes. A built
archive can be downloaded by its owner, signed in, for :data:`KEEP_DAYS`
days; the same command deletes expired archives.
"""

from __future__ import annotations

import io
import json
import secrets
import zipfile
from datetime import timedelta

from flask import render_template
from sqlalchemy import delete, func, select

from lms.extensions import db
from lms.i18n import written_for
from lms.models import (
    DataExport,
    Notification,
    StepProgress,
    Submission,
    SubmissionRevision,
    User,
    utcnow,
)
from lms.services.privacy.sections import SECTIONS

INLINE_LIMIT = 5000  # stored records above which the archive is built in the background
KEEP_DAYS = 7


def estimated_records(user: User) -> int:
    """The person's bulkiest records, counted in one query (a cheap size estimate)."""
    def count(stmt):
        return stmt.scalar_subquery()

    return sum(db.session.execute(select(
        count(select(func.count()).select_from(StepProgress)
              .where(StepProgress.user_id == user.id)),
        count(select(func.count()).select_from(Notification)
              .where(Notification.user_id == user.id)),
        count(select(func.count()).select_from(SubmissionRevision)
              .join(Submission, Submission.id == SubmissionRevision.submission_id)
              .where(Submission.user_id == user.id)))).one())


def request_export(user: User) -> DataExport:
    """Ask for an archive of ``user``'s data; builds it now when the account is small.

    A request while another is still queued returns that one (pressing the
    button twice queues one job).
    """
    queued = db.session.scalar(select(DataExport).where(
        DataExport.user_id == user.id, DataExport.status == "queued"))
    if queued is not None:
        return queued
    export = DataExport(user_id=user.id, token=secrets.token_urlsafe(32), status="queued")
    db.session.add(export)
    db.session.flush()
    if estimated_records(user) <= INLINE_LIMIT:
        build(export)
    return export


def collect(user: User) -> dict:
    """Every section's records for ``user``, keyed by section."""
    return {section.key: section.export(user) for section in SECTIONS}


def archive(user: User) -> bytes:
    """The zip: ``index.html`` to read, ``my-data.json`` with everything, one JSON per section."""
    data = collect(user)
    generated = utcnow()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        with written_for(user):
            zf.writestr("index.html", render_template(
                "mydata/archive.html", user=user, sections=SECTIONS, data=data,
                generated_at=generated))
        everything = {"generated_at": generated.isoformat(), "sections": data}
        zf.writestr("my-data.json", json.dumps(everything, indent=2, ensure_ascii=False))
        for section in SECTIONS:
            zf.writestr(f"{section.key}.json",
                        json.dumps(data[section.key], indent=2, ensure_ascii=False))
    return buffer.getvalue()


def build(export: DataExport) -> DataExport:
    """Build the archive of a queued export and start its expiry clock."""
    user = db.session.get(User, export.user_id)
    export.archive = archive(user)
    export.size = len(export.archive)
    export.status = "ready"
    export.ready_at = utcnow()
    export.expires_at = export.ready_at + timedelta(days=KEEP_DAYS)
    db.session.flush()
    return export


def build_queued() -> tuple[int, int]:
    """Build every queued archive and delete expired ones; returns (built, deleted)."""
    built = 0
    for export in db.session.scalars(select(DataExport).where(DataExport.status == "queued")
                                      .order_by(DataExport.id)):
        build(export)
        built += 1
    deleted = db.session.execute(delete(DataExport).where(
        DataExport.expires_at < utcnow())).rowcount
    return built, deleted


def exports_of(user: User) -> list[DataExport]:
    """The person's archives that are queued or still downloadable, newest first."""
    return list(db.session.scalars(
        select(DataExport).where(DataExport.user_id == user.id)
        .where((DataExport.expires_at.is_(None)) | (DataExport.expires_at > utcnow()))
        .order_by(DataExport.id.desc())))


def downloadable(user: User, token: str) -> DataExport | None:
    """The ready, unexpired archive named ``token`` if it belongs to ``user``, else None."""
    export = db.session.scalar(select(DataExport).where(DataExport.token == token))
    if (export is None or export.user_id != user.id or not export.is_ready
            or export.expires_at <= utcnow()):
        return None
    return export
