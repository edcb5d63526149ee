"""Completion certificates: PDF downloads and public verification."""

from flask import Blueprint, Flask

bp = Blueprint("certificates", __name__)


def init_app(app: Flask) -> None:
    """Register the certificate pages; issue a certificate when a module completes."""
    from lms import signals
    from lms.certificates import views  # noqa: F401  (the routes attach to bp)
    from lms.services.certificates import issue_for_completion

    app.register_blueprint(bp)
    signals.module_completed.connect(issue_for_completion, sender=app)


@bp.app_context_processor
def _certificate_helpers():
    """``my_certificates()`` for the profile page's certificate list."""
    from flask_login import current_user

    from lms.services.certificates import for_user

    def my_certificates():
        return for_user(current_user) if current_user.is_authenticated else []

    return {"my_certificates": my_certificates}


@bp.app_template_filter("hours_label")
def _hours_label(minutes: int) -> str:
    """'1 hour', '1.5 hours', '45 minutes' (as certificates write credited time)."""
    from lms.services.duedates import hours_label

    return hours_label(minutes)
