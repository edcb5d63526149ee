"""Identity providers at a glance, and the bearer tokens HR systems provision with."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.extensions import db
from lms.identity import bp
from lms.identity.forms import TokenForm
from lms.identity.status import provider_statuses
from lms.models import ScimToken
from lms.permissions import roles_required
from lms.services.errors import DomainError
from lms.services.scim import tokens


def _page(form: TokenForm, new_secret: str | None = None, status: int = 200):
    providers = list(current_app.config["SSO_PROVIDERS"].values())
    return render_template(
        "identity/index.html", statuses=provider_statuses(providers), form=form,
        tokens=tokens.all_tokens(), new_secret=new_secret,
        scim_url=current_app.config["LMS_BASE_URL"].rstrip("/") + "/scim/v2"), status


@bp.route("/")
@roles_required("admin")
def index():
    return _page(TokenForm())


@bp.route("/tokens", methods=["POST"])
@roles_required("admin")
def create_token():
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    try:
        _token, secret = tokens.create_token(name=form.name.data,
                                        actor=current_user._get_current_object())
    except DomainError as error:
        form.name.errors.append(error.message)
        return _page(form, status=400)
    db.session.commit()
    # Shown once, on this answer only: it is never stored, flashed or redirected with.
    return _page(TokenForm(formdata=None), new_secret=secret)


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@roles_required("admin")
def revoke_token(token_id: int):
    token = db.get_or_404(ScimToken, token_id)
    tokens.revoke_token(token, actor=current_user._get_current_object())
    db.session.commit()
    flash(_("The token “%(name)s” no longer works.", name=token.name), "success")
    return redirect(url_for("identity.index"))
