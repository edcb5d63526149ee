"""The learner's own data: download everything held about me, withdraw a reflection."""

from flask import Blueprint

from lms.cli import EXTRA_GROUPS

bp = Blueprint("mydata", __name__, url_prefix="/my-data")

from lms.mydata import views  # noqa: E402,F401
from lms.mydata.cli import privacy_cli  # noqa: E402

if privacy_cli not in EXTRA_GROUPS:
    EXTRA_GROUPS.append(privacy_cli)
