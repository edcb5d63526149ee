"""Scorecard pages and their CSV exports (each CSV is exactly what its page shows)."""

from __future__ import annotations

from flask import Response, render_template, request
from flask_login import current_user

from lms.extensions import db
from lms.i18n import current_locale
from lms.models import Department
from lms.permissions import login_required, roles_required
from lms.scorecard import bp
from lms.services.scorecard import cache as scorecard_cache
from lms.services.scorecard import report as scorecard
from lms.urlargs import query_page
from lms.viewtools import render_shareable, with_csrf_token

LAYOUTS = {"departments": False, "rollup": True}


def _layout() -> tuple[str, bool]:
    """The requested layout; anything unknown falls back to one row per department."""
    name = request.args.get("layout", "departments")
    if name not in LAYOUTS:
        name = "departments"
    return name, LAYOUTS[name]


def _csv(card: scorecard.Scorecard, name: str, layout: str) -> Response:
    stamp = card.generated_at.strftime("%Y-%m-%d")
    suffix = "-rollup" if layout == "rollup" else ""
    return Response(
        scorecard.to_csv(card.tables()), mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}{suffix}-{stamp}.csv"'})


def _page(name: str, card: scorecard.Scorecard, layout: str) -> str:
    """The page ``scorecard/<name>.html`` around its content ``scorecard/_<name>_body.html``.

    The content is rendered once per view of a kept snapshot, language, address prefix and
    kind of viewer (admins get a link more), then served from the view: rendering a
    scorecard's cells costs far more than the request around it. The page (navigation,
    the person's name) is rendered for each request.
    """
    viewer = (str(current_locale()), request.script_root, current_user.has_role("admin"))
    key = (name, layout, *viewer)
    body = card.rendered.get(key)
    if body is None:
        body = card.rendered[key] = render_shareable(f"scorecard/_{name}_body.html",
                                                     card=card, layout=layout)
    return render_template(f"scorecard/{name}.html", body=with_csrf_token(body))


@bp.route("/scorecard")
@login_required
def index():
    layout, rollup = _layout()
    return _page("index", scorecard_cache.scorecard(rollup=rollup), layout)


@bp.route("/scorecard.csv")
@login_required
def index_csv():
    layout, rollup = _layout()
    return _csv(scorecard_cache.scorecard(rollup=rollup), "scorecard", layout)


@bp.route("/scorecard/admin")
@roles_required("admin")
def admin():
    layout, rollup = _layout()
    return _page("admin", scorecard_cache.scorecard(admin=True, rollup=rollup), layout)


@bp.route("/scorecard/admin.csv")
@roles_required("admin")
def admin_csv():
    layout, rollup = _layout()
    return _csv(scorecard_cache.scorecard(admin=True, rollup=rollup), "scorecard-admin", layout)


@bp.route("/scorecard/admin/departments/<int:department_id>")
@roles_required("admin")
def department(department_id: int):
    department = db.get_or_404(Department, department_id)
    page = query_page()
    card = scorecard_cache.scorecard(admin=True, series_departments=(department.id,))
    # The department's rows from the same snapshot as the scorecard pages (its own
    # computation only adds the department's monthly series).
    rows = scorecard.rows_for_department(scorecard_cache.scorecard(admin=True), department.id)
    pagination, people = scorecard.department_people(department, card.core_modules, page=page)
    return render_template("scorecard/department.html", card=card, department=department,
                           rows=rows, pagination=pagination, people=people)
