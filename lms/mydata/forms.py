"""Forms of the 'my data' pages."""

from flask_wtf import FlaskForm
from wtforms import SubmitField


class RequestExportForm(FlaskForm):
    submit = SubmitField("Prepare a download of my data")
