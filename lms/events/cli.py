"""``flask events ...`` commands."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from lms.extensions import db

events_cli = AppGroup("events", help="Live sessions.")


@events_cli.command("send-reminders")
def send_reminders_command() -> None:
    """Queue reminders for sessions starting today or tomorrow (safe to run repeatedly:
    each person is reminded once per session time)."""
    from lms.services.events.mail import send_reminders

    count = send_reminders()
    db.session.commit()
    click.echo(f"Queued {count} reminder(s).")
