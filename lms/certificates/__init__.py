"""Completion certificates: PDF downloads and public verification."""

from flask import Blueprint

bp = Blueprint("certificates", __name__)

from lms.certificates import views  # noqa: E402,F401
from lms.services.certificates import issue_for_completion  # noqa: E402
from lms.services.learning import progress as learning  # noqa: E402

if issue_for_completion not in learning.COMPLETION_HOOKS:
    learning.COMPLETION_HOOKS.append(issue_for_completion)


@bp.app_context_processor
def _certificate_helpers():
    """``my_certificates()`` for the profile page's certificate list."""
    from flask_login import current_user

    from lms.services.certificates import for_user

    def my_certificates():
        return for_user(current_user) if current_user.is_authenticated else []

    return {"my_certificates": my_certificates}
