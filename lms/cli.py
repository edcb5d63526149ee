"""``flask`` commands: users, demo data, mail, reminders, modules. Areas add their own groups
in their ``init_app``."""

from __future__ import annotations

import getpass
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from lms.extensions import db
from lms.services.errors import DomainError

users_cli = AppGroup("users", help="Manage accounts.")
demo_cli = AppGroup("demo", help="Demonstration data.")
mail_cli = AppGroup("mail", help="Outgoing mail.")
reminders_cli = AppGroup("reminders", help="Scheduled reminders (run from cron).")


def register(app: Flask) -> None:
    from lms.content.cli import modules_cli

    for group in (users_cli, demo_cli, mail_cli, reminders_cli, modules_cli):
        app.cli.add_command(group)


@users_cli.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.option("--password", default=None, help="Prompted for when omitted.")
def create_admin(email: str, name: str, password: str | None) -> None:
    """Create an administrator account (prompts for the password)."""
    from lms.services.accounts import people as accounts

    if password is None:
        password = getpass.getpass("Password (12+ characters): ")
    if len(password) < current_app.config["PASSWORD_MIN_LENGTH"]:
        raise click.ClickException("The password needs at least 12 characters.")
    try:
        user = accounts.create_user(email=email, name=name, roles=("admin", "learner"),
                                    password=password)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Created admin {user.email}.")


@users_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(file: Path) -> None:
    """Import people from a CSV file; imports nothing if any row is bad."""
    from lms.services.accounts.user_import import import_users

    report = import_users(file.read_bytes())
    if not report.ok:
        db.session.rollback()
        for error in report.errors:
            click.echo(error, err=True)
        raise click.ClickException(f"Nothing imported: {len(report.errors)} problem(s).")
    db.session.commit()
    click.echo(f"Imported {len(report.created)} people.")


@demo_cli.command("load")
def demo_load() -> None:
    """Load demonstration people, departments and a cohort (safe to run again)."""
    from lms.demo.people import load_demo

    if current_app.config["LMS_ENV"] == "production":
        raise click.ClickException("Refusing to load demo data in production.")
    logins = load_demo()
    db.session.commit()
    click.echo("Demo accounts (all share one password):")
    for role, email, password in logins:
        click.echo(f"  {role:<8} {email:<34} {password}")


@demo_cli.command("scale")
@click.option("--users", "people", type=click.IntRange(min=10), required=True,
              help="People to generate (at least 10).")
@click.option("--departments", type=click.IntRange(min=1), required=True)
@click.option("--modules", type=click.IntRange(min=1), required=True,
              help="Modules to use: the first synced ones, plus generated ones if needed.")
@click.option("--seed", type=int, default=2026, show_default=True,
              help="The same seed on the same day gives the same rows.")
@click.option("--manifest", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write the accounts, ids and tokens a load benchmark needs as JSON.")
def demo_scale(people: int, departments: int, modules: int, seed: int,
               manifest: Path | None) -> None:
    """Generate an institution at scale for load testing (after `db upgrade` and `modules
    sync`); refuses when generated people are already present."""
    import json
    import time

    from lms.demo import scale
    from lms.demo.bulk_load import analyze

    if current_app.config["LMS_ENV"] == "production":
        raise click.ClickException("Refusing to load demo data in production.")
    started = time.perf_counter()
    try:
        result = scale.generate(people=people, departments=departments, modules=modules,
                                seed=seed)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    db.session.commit()
    loaded = time.perf_counter() - started
    analyze(db.engine, result.counts)
    total = time.perf_counter() - started
    for table, count in result.counts.items():
        click.echo(f"  {table:<26} {count:>12,}")
    click.echo(f"Generated {sum(result.counts.values()):,} rows in {loaded:.1f} s "
               f"(statistics refreshed: {total:.1f} s in all). Every generated person's "
               f"password is {scale.PASSWORD}.")
    if manifest is not None:
        manifest.write_text(json.dumps(result.manifest, indent=2) + "\n")
        click.echo(f"Manifest written to {manifest}.")


@mail_cli.command("deliver")
def mail_deliver() -> None:
    """Send queued Outbox messages through SMTP (no-op without MAIL_SERVER)."""
    from lms.services.mail import deliver_pending, smtp_configured

    if not smtp_configured():
        click.echo("MAIL_SERVER is not set: messages stay in the Outbox.")
        return
    sent, failed = deliver_pending()
    db.session.commit()
    click.echo(f"Sent {sent}, failed {failed}.")


@reminders_cli.command("send")
def reminders_send() -> None:
    """Queue every reminder that is due (idempotent: a second run queues nothing)."""
    from lms.services.reminders import run_all

    counts = run_all()
    db.session.commit()
    for name, count in counts.items():
        click.echo(f"{name}: {count} message(s) queued")
    if not counts:
        click.echo("No reminder jobs are registered.")


@mail_cli.command("dev-links")
@click.argument("email")
def mail_dev_links(email: str) -> None:
    """DEVELOPMENT ONLY: show the password links queued for EMAIL, for a developer without
    a mail server. Refused in production and when MAIL_SERVER is set."""
    from lms.services.accounts.password_mail import development_links

    try:
        found = development_links(email)
    except DomainError as problem:
        raise click.ClickException(problem.message) from None
    db.session.commit()
    click.echo("DEVELOPMENT ONLY: these links go by email in production and are never "
               "shown there.")
    if not found:
        click.echo(f"No message with a link is queued for {email}.")
    for message, body in found:
        click.echo(f"\n--- {message.subject} (queued {message.created_at:%Y-%m-%d %H:%M} UTC)"
                   f"\n{body}")
