from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from lms.formtools import AppForm


def _long_enough(form, field) -> None:
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(field.data or "") < minimum:
        raise ValidationError(_("Use at least %(minimum)d characters. A short sentence works "
                                "well.", minimum=minimum))


def _password_sign_in_allowed(form, field) -> None:
    from lms.services.sso.policy import password_sign_in_allowed

    if not password_sign_in_allowed(field.data or "", current_app.config):
        raise ValidationError(_("People at this address sign in with their institution's "
                              "account: use the institution's sign-in button on this page."))


class LoginForm(AppForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254),
                                            _password_sign_in_allowed])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])
    remember = BooleanField(_l("Keep me signed in on this device"))
    submit = SubmitField(_l("Sign in"))


class ForgotPasswordForm(AppForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(check_deliverability=False),
                                            Length(max=254), _password_sign_in_allowed])
    submit = SubmitField(_l("Email me a reset link"))


class NewPasswordFields:
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=1024),
                                                         _long_enough],
                             description=_l("At least 12 characters; no other rules."))
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(), EqualTo("password",
                                        message=_l("The two passwords do not match."))])


class ResetPasswordForm(AppForm, NewPasswordFields):
    submit = SubmitField(_l("Set new password"))


class ChangePasswordForm(AppForm, NewPasswordFields):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=1024)])
    submit = SubmitField(_l("Change password"))
