"""Institutional sign-in: OpenID Connect and SAML 2.0 service provider."""

from flask import Blueprint, Flask

bp = Blueprint("sso", __name__, url_prefix="/sso")


def init_app(app: Flask) -> None:
    """Read the configured providers (their clients are made on first use, so the
    OpenID Connect and SAML libraries load only where someone signs in with them).

    A bad provider entry stops the start with a ``RuntimeError`` naming it.
    """
    from lms.services.sso.providers import configured_providers

    app.config["SSO_PROVIDERS"] = configured_providers(app.config)
    app.add_template_global(lambda: list(app.config["SSO_PROVIDERS"].values()),
                            "sso_providers")
    from lms.sso import views  # noqa: F401  (the routes attach to bp)

    app.register_blueprint(bp)

