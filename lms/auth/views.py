"""Sign in, sign out, password reset and change."""

import math
from datetime import timedelta

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from lms.auth import bp
from lms.auth.forms import ChangePasswordForm, ForgotPasswordForm, LoginForm, ResetPasswordForm
from lms.extensions import db, limiter
from lms.models import User, normalise_email, utcnow
from lms.models.users import new_session_token
from lms.permissions import login_required, public
from lms.safe_redirect import safe_redirect_target
from lms.services.accounts import passwords, throttle
from lms.services.accounts import security as account_security
from lms.services.accounts.password_mail import queue_password_link
from lms.services.sso import SINGLE_LOGOUT_KEY
from lms.services.sso.policy import has_usable_password

BAD_LOGIN = _l("That email and password do not match an active account.")


def _login_limit() -> str:
    return current_app.config["LMS_LOGIN_RATE_LIMIT"]


def _too_many(wait: timedelta) -> str:
    return _("Too many wrong passwords for this account. To keep it safe, please wait "
             "%(wait)s before trying again.", wait=throttle.describe(wait))


def _throttled(template: str, field, form, wait: timedelta):
    """The form again, with the real wait at ``field``: 429 and ``Retry-After``."""
    field.errors.append(_too_many(wait))
    return (render_template(template, form=form), 429,
            {"Retry-After": str(math.ceil(wait.total_seconds()))})


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        email = normalise_email(form.email.data)
        attempt = throttle.Attempt("sign-in", email, request.remote_addr)
        wait = throttle.wait_before(attempt)
        if wait is not None:
            return _throttled("auth/login.html", form.password, form, wait)
        user = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
        user = passwords.authenticate(user, form.password.data)
        if user is None:
            wait = throttle.record_failure(attempt)
            db.session.commit()
            form.password.errors.append(str(BAD_LOGIN) if wait is None
                                        else f"{BAD_LOGIN} {_too_many(wait)}")
        else:
            throttle.record_success(attempt)
            next_url = safe_redirect_target(request.args.get("next"), url_for("main.home"))
            session.clear()  # a fresh session: nothing from before sign-in survives
            session.permanent = True  # expires after LMS_SESSION_HOURS without a visit
            login_user(user, remember=form.remember.data)
            user.last_login_at = utcnow()
            db.session.commit()
            return redirect(next_url)
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    # Rotating the token ends this session everywhere, remember-me cookies too.
    current_user.session_token = new_session_token()
    db.session.commit()
    single_logout = session.get(SINGLE_LOGOUT_KEY)
    logout_user()
    session.clear()
    if single_logout:  # signed in through a SAML provider with single logout
        session[SINGLE_LOGOUT_KEY] = single_logout
        return redirect(url_for("sso.saml_logout_start"))
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@public
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = db.session.execute(
            select(User).where(User.email == normalise_email(form.email.data))
        ).scalar_one_or_none()
        if user is not None and user.is_active:
            queue_password_link(user, "reset", _l("Reset your Ally LMS password"),
                                "auth/email/reset.txt", kind="password_reset")
            db.session.commit()
        # Same answer whether or not the account exists.
        flash(_("If that email belongs to an account, a reset link is on its way. "
              "It works once, within an hour."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    user = passwords.user_for_reset_token(token)
    if user is None:
        return render_template("auth/reset_invalid.html"), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        account_security.change_password(
            user, form.password.data, how="invitation" if user.password_hash is None
            else "reset")
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("Your password is changed. Please sign in with it."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    user = current_user._get_current_object()  # the proxy itself must not be stored in g
    if not has_usable_password(user, current_app.config):
        flash(_("You sign in through your institution's account, so there is no password "
                "to change here."), "info")
        return redirect(url_for("main.profile"))
    if form.validate_on_submit():
        attempt = throttle.Attempt("password-change", str(user.id), request.remote_addr)
        wait = throttle.wait_before(attempt)
        if wait is not None:
            return _throttled("auth/change_password.html", form.current, form, wait)
        if not passwords.check_password(user, form.current.data):
            wait = throttle.record_failure(attempt)
            db.session.commit()
            form.current.errors.append(_("That is not your current password.") + (
                "" if wait is None else f" {_too_many(wait)}"))
        else:
            throttle.record_success(attempt)
            account_security.change_password(user, form.password.data, how="profile")
            db.session.commit()
            # Other sessions ended with the token; keep this one signed in.
            session.clear()
            session.permanent = True
            login_user(user)
            flash(_("Your password is changed. Other devices have been signed out."), "success")
            return redirect(url_for("main.home"))
    return render_template("auth/change_password.html", form=form)
