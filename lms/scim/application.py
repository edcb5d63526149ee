"""scim2-server's application, authenticated by the admin-managed bearer tokens."""

from __future__ import annotations

from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    External,
    Reference,
    ScimProvider,
    UnauthorizedException,
)
from scim2_server.applications.wsgi import WSGIApplication
from scim2_server.requests import ScimRequest
from scim2_server.utils import (
    load_default_resource_types,
    load_default_schemas,
    load_default_service_provider_config,
)

from lms.scim.storage import DatabaseStorage
from lms.services.scim import tokens

BEARER = AuthenticationScheme(
    type=AuthenticationScheme.Type.oauthbearertoken, name="Bearer token", primary=True,
    description="A token an administrator creates under Admin → Identity providers.",
    spec_uri=Reference[External]("https://datatracker.ietf.org/doc/html/rfc6750"),
)
GROUP_KINDS = ("department", "cohort")


class TokenApplication(WSGIApplication):
    """Serves SCIM requests carrying an active token (ServiceProviderConfig is open).

    The Flask view builds each ``ScimRequest`` and calls ``serve``; the WSGI
    entry point of the base class is not mounted.
    """

    def check_auth(self, request: ScimRequest) -> None:
        scheme, _, secret = (request.header("Authorization") or "").partition(" ")
        if scheme.lower() != "bearer" or tokens.authenticate(secret.strip()) is None:
            raise UnauthorizedException


def build_application(group_kind: str) -> TokenApplication:
    """The SCIM application; ``group_kind`` says whether Groups are departments or cohorts."""
    if group_kind not in GROUP_KINDS:
        raise RuntimeError(f"LMS_SCIM_GROUPS must be department or cohort, not {group_kind!r}")
    config = load_default_service_provider_config()
    config.bulk = Bulk(supported=False, max_operations=0, max_payload_size=0)
    config.change_password = ChangePassword(supported=False)
    config.authentication_schemes = [BEARER]
    provider = ScimProvider.from_discovery(
        load_default_schemas().values(), load_default_resource_types().values(), config=config)
    return TokenApplication(DatabaseStorage(provider, group_kind), provider)
