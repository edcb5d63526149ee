"""``flask privacy ...`` commands."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from lms.extensions import db

privacy_cli = AppGroup("privacy", help="The learner's own data: exports and retention.")


@privacy_cli.command("build-exports")
def build_exports_command() -> None:
    """Build every queued 'download my data' archive and delete expired ones.

    Run it from cron every few minutes; large accounts' archives wait for it.
    """
    from lms.services.privacy.exports import build_queued

    built, deleted = build_queued()
    db.session.commit()
    click.echo(f"Built {built} archive{'' if built == 1 else 's'}; "
               f"deleted {deleted} expired.")


@privacy_cli.command("apply-retention")
def apply_retention_command() -> None:
    """Send retention notices and remove reflection text past LMS_REFLECTION_RETENTION_DAYS.

    Does nothing while the setting is 0 (the default). Run it daily from cron:
    text goes only 30 days or more after its notice.
    """
    from lms.services.privacy.retention import apply

    noticed, removed = apply()
    db.session.commit()
    click.echo(f"Sent {noticed} notice{'' if noticed == 1 else 's'}; "
               f"removed the text of {removed} reflection{'' if removed == 1 else 's'}.")
