"""Whether each identity provider's metadata can be read, and who signed in through it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import requests
from flask_babel import gettext as _
from sqlalchemy import select

from lms.extensions import db
from lms.models import ExternalIdentity, User
from lms.services.sso.failures import SignInFailure
from lms.services.sso.providers import Provider

RECENT_SIGN_INS = 5


@dataclass(frozen=True)
class ProviderStatus:
    provider: Provider
    metadata_ok: bool
    metadata_note: str
    recent: list[tuple[User, datetime]]


def metadata_status(provider: Provider) -> tuple[bool, str]:
    """(True, the issuer / entity id) when the metadata loads, else (False, why not)."""
    from lms.sso import oidc_client, saml_client  # their libraries load on first use

    try:
        if provider.protocol == "oidc":
            metadata = oidc_client.metadata(provider)
            return True, _("Issuer %(issuer)s", issuer=metadata.get("issuer"))
        return True, _("Entity %(entity)s", entity=saml_client.idp_entity_id(provider))
    except SignInFailure as failure:
        return False, failure.detail or failure.message
    except (requests.RequestException, ValueError, OSError) as error:
        return False, _("Could not load the metadata (%(error)s)", error=type(error).__name__)


def recent_sign_ins(provider: Provider) -> list[tuple[User, datetime]]:
    rows = db.session.execute(
        select(User, ExternalIdentity.last_sign_in_at)
        .join(ExternalIdentity, ExternalIdentity.user_id == User.id)
        .where(ExternalIdentity.provider == provider.name,
               ExternalIdentity.last_sign_in_at.is_not(None))
        .order_by(ExternalIdentity.last_sign_in_at.desc()).limit(RECENT_SIGN_INS)).all()
    return [(user, when) for user, when in rows]


def provider_statuses(providers: list[Provider]) -> list[ProviderStatus]:
    """One status per provider (a metadata fetch and one query each; providers are few)."""
    return [ProviderStatus(provider, *metadata_status(provider), recent_sign_ins(provider))
            for provider in providers]
