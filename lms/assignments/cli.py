"""``flask assignments ...``: keeping obligations current outside the web pages."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from lms.extensions import db

assignments_cli = AppGroup("assignments", help="Mandatory assignments.")


@assignments_cli.command("refresh")
def refresh() -> None:
    """Re-derive every obligation from the rules (safe to run any time, e.g. nightly).

    Assigns people who joined a targeted group by other means (a database
    import, a script), closes obligations of people who left, and points
    open obligations at each person's latest completion.
    """
    from lms.services.assignments.rules import record_completions, refresh_obligations

    result = refresh_obligations()
    updated = record_completions()
    db.session.commit()
    click.echo(f"Opened {result.opened}, closed {result.closed} obligation(s); "
               f"checked completions on {updated}.")


@assignments_cli.command("reconcile")
def reconcile() -> None:
    """Recompute every open obligation's stored status from completions, enrollments and
    rules; repair and list the rows that were wrong (``flask reminders send`` does this
    nightly before reminding anyone)."""
    from lms.services.assignments.status import reconcile as run

    result = run()
    db.session.commit()
    click.echo(f"Checked {result.examined} open obligation(s): {len(result.corrected)} "
               f"corrected, {result.moved} moved on with the date.")
    if result.corrected:
        click.echo("Corrected obligation ids: " + ", ".join(map(str, result.corrected[:200])))
    if result.recounted:
        click.echo(f"Compliance counts corrected for {len(result.recounted)} assignment and "
                   "department pair(s): " + ", ".join(
                       f"{a}/{d if d is not None else '-'}" for a, d in result.recounted[:200]))
