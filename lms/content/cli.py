"""``flask modules validate`` and ``flask modules sync``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from lms.extensions import db

modules_cli = AppGroup("modules", help="Training content in modules/.")


def _root(path: str | None) -> Path:
    return Path(path or current_app.config["LMS_MODULES_DIR"])


@modules_cli.command("validate")
@click.option("--path", default=None, help="Folder of modules (default: LMS_MODULES_DIR).")
def validate_command(path: str | None) -> None:
    """Report every problem with file and line; change nothing. Exit 1 on errors."""
    from lms.content.schema import read_modules

    with force_locale("en"):  # a developer's tool: English, whatever the default language
        result = read_modules(_root(path))
    for error in result.errors:
        click.echo(str(error), err=True)
    click.echo(f"{len(result.modules)} valid module(s), {len(result.errors)} problem(s).")
    if result.errors:
        raise SystemExit(1)


@modules_cli.command("sync")
@click.option("--path", default=None, help="Folder of modules (default: LMS_MODULES_DIR).")
@click.option("--override-studio", is_flag=True,
              help="Replace modules changed in the studio with their folders.")
def sync_command(path: str | None, override_studio: bool) -> None:
    """Load valid modules into the database; report the invalid ones (exit 1).

    A module changed in the studio is left as it is and reported as a conflict,
    unless --override-studio is given.
    """
    from lms.content.sync import sync_modules

    with force_locale("en"):
        report = sync_modules(_root(path), override_studio=override_studio)
    db.session.commit()
    for error in report.errors:
        click.echo(str(error), err=True)
    for slug in report.conflicts:
        click.echo(f"Conflict: {slug} was changed in the studio; left as it is "
                   "(--override-studio replaces it with the folder).", err=True)
    click.echo(f"Modules: {len(report.created)} new, {len(report.updated)} updated, "
               f"{len(report.unchanged)} unchanged, {len(report.unpublished)} unpublished"
               + (f", {len(report.conflicts)} conflict(s)." if report.conflicts else "."))
    if report.errors:
        raise SystemExit(1)
