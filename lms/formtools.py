"""Small helpers shared by every area's forms."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from babel.support import NullTranslations, Translations
from flask import current_app, has_request_context
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Form, SelectChoice, SelectMultipleField, widgets
from wtforms.i18n import messages_path
from wtforms.validators import ValidationError

from lms.text import has_control_characters

# Roles as a choice in a form names them ("Mentor"), in the reader's language.
ROLE_CHOICE_LABELS = {"learner": _l("Learner"), "mentor": _l("Mentor"), "admin": _l("Admin"),
                      "author": _l("Author"), "reviewer": _l("Reviewer")}


def role_choices(names: Iterable[str]) -> list[tuple[str, Any]]:
    """``(role, label)`` pairs for a form's choices."""
    return [(name, ROLE_CHOICE_LABELS.get(name, name.capitalize())) for name in names]


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes (one label each, no JavaScript)."""

    widget = widgets.ListWidget(html_tag="ul", prefix_label=False)
    option_widget = widgets.CheckboxInput()


def optional_int(value):
    """``coerce`` for a select with an empty choice: the id as an int, or None."""
    return int(value) if value not in (None, "", "None") else None


def choices(pairs: Iterable[tuple[Any, str]]) -> list[SelectChoice]:
    """WTForms choices from ``(value, label)`` pairs."""
    return [SelectChoice("" if value is None else str(value), label) for value, label in pairs]


# --- single-line fields ---------------------------------------------------------------

# Input types a person types one line into; text areas, passwords and hidden fields
# are not single-line text meant for display.
SINGLE_LINE_INPUTS = frozenset({"text", "email", "search", "url", "tel"})
SINGLE_LINE_MESSAGE = ("Please keep this to one line: line breaks, tabs and other control "
                       "characters are not allowed.")


def single_line(form, field) -> None:
    """WTForms validator: refuse control characters with a message at the field."""
    if isinstance(field.data, str) and has_control_characters(field.data):
        raise ValidationError(SINGLE_LINE_MESSAGE)


class SingleLineMeta:
    """Form ``Meta`` mixin: every single-line text input gets ``single_line``."""

    def bind_field(self, form, unbound_field, options):
        field = super().bind_field(form, unbound_field, options)
        if getattr(field.widget, "input_type", None) in SINGLE_LINE_INPUTS:
            field.validators = [*field.validators, single_line]
        return field


# --- WTForms' own messages -------------------------------------------------------------

@cache
def _wtforms_catalogue(locale: str) -> NullTranslations:
    """WTForms' messages in ``locale``, read from its catalogue once per process."""
    return Translations.load(messages_path(), [locale], domain="wtforms")


class WTFormsMessages:
    """WTForms' own messages (default labels, validators) in the request's language, as
    Flask-WTF gives them, without reading the catalogue again on every request."""

    @staticmethod
    def _catalogue() -> NullTranslations | None:
        locale = get_locale() if has_request_context() else None
        return _wtforms_catalogue(str(locale)) if locale is not None else None

    def gettext(self, string: str) -> str:
        catalogue = self._catalogue()
        return string if catalogue is None else catalogue.ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        catalogue = self._catalogue()
        if catalogue is None:
            return singular if n == 1 else plural
        return catalogue.ungettext(singular, plural, n)


WTFORMS_MESSAGES = WTFormsMessages()


class AppForm(FlaskForm):
    """Base of every page form: CSRF from Flask-WTF, single-line fields checked, WTForms'
    messages in the reader's language."""

    class Meta(SingleLineMeta):
        """WTForms combines it with the base form's own Meta."""

        def get_translations(self, form):
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return WTFORMS_MESSAGES


class AppSubForm(Form):
    """Base of repeated rows inside a page form (no CSRF token of their own)."""

    class Meta(SingleLineMeta):
        """WTForms combines it with the base form's own Meta."""
