"""``flask plans ...`` commands."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from lms.extensions import db

plans_cli = AppGroup("plans", help="Personal action plans.")


@plans_cli.command("send-checkin-reminders")
def send_checkin_reminders_command() -> None:
    """Queue check-in reminders for goals that reached a check-in day (LMS_CHECKIN_DAYS).

    Safe to run as often as you like (e.g. daily from cron): each goal is
    reminded once per check-in day.
    """
    from lms.services.plans.action_plans import send_checkin_reminders

    try:
        queued = send_checkin_reminders()
    except ValueError as error:  # a malformed LMS_CHECKIN_DAYS
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Queued {queued} check-in reminder{'' if queued == 1 else 's'}.")
