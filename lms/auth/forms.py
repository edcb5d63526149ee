from flask import current_app
from wtforms import BooleanField, EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from lms.formtools import AppForm


def _long_enough(form, field) -> None:
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(field.data or "") < minimum:
        raise ValidationError(f"Use at least {minimum} characters. A short sentence works well.")


def _password_sign_in_allowed(form, field) -> None:
    from lms.services.sso.policy import password_sign_in_allowed

    if not password_sign_in_allowed(field.data or "", current_app.config):
        raise ValidationError("People at this address sign in with their institution's "
                              "account: use the institution's sign-in button on this page.")


class LoginForm(AppForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254),
                                            _password_sign_in_allowed])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])
    remember = BooleanField("Keep me signed in on this device")
    submit = SubmitField("Sign in")


class ForgotPasswordForm(AppForm):
    email = EmailField("Email", validators=[DataRequired(), Email(check_deliverability=False),
                                            Length(max=254), _password_sign_in_allowed])
    submit = SubmitField("Email me a reset link")


class NewPasswordFields:
    password = PasswordField("New password", validators=[DataRequired(), Length(max=1024),
                                                         _long_enough],
                             description="At least 12 characters; no other rules.")
    confirm = PasswordField("Repeat the new password",
                            validators=[DataRequired(), EqualTo("password",
                                        message="The two passwords do not match.")])


class ResetPasswordForm(AppForm, NewPasswordFields):
    submit = SubmitField("Set new password")


class ChangePasswordForm(AppForm, NewPasswordFields):
    current = PasswordField("Current password", validators=[DataRequired(), Length(max=1024)])
    submit = SubmitField("Change password")
