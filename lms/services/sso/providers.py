"""Identity providers configured from the environment (``LMS_OIDC_PROVIDERS``, ...).

Each provider is a JSON object; ``name`` is its address in URLs and in the
audit log, ``label`` its button text. ``attributes`` says which claim or SAML
attribute carries each part of a person and ``role_rules`` which values grant
a role, e.g. ``{"attribute": "groups", "value": "ally-mentors", "role": "mentor"}``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lms.models.users import ROLE_NAMES

OIDC_ATTRIBUTES = {"email": "email", "email_verified": "email_verified", "name": "name",
                   "department": "department", "employee_id": "employee_id",
                   "groups": "groups"}
# The usual names an institution's SAML IdP releases (eduPerson / Entra ID claims).
SAML_ATTRIBUTES = {"email": "mail", "name": "displayName", "department": "ou",
                   "employee_id": "employeeNumber", "groups": "isMemberOf"}
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


@dataclass(frozen=True)
class RoleRule:
    attribute: str
    value: str
    role: str


@dataclass(frozen=True)
class Provider:
    """One configured identity provider; ``settings`` keeps the protocol's own keys."""

    name: str
    label: str
    protocol: str
    attributes: dict[str, str]
    role_rules: tuple[RoleRule, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)

    def setting(self, key: str, default: Any = None) -> Any:
        return self.settings.get(key, default)


def _role_rules(raw: Any, name: str) -> tuple[RoleRule, ...]:
    rules = []
    for item in raw or []:
        try:
            rule = RoleRule(str(item["attribute"]), str(item["value"]), str(item["role"]))
        except (KeyError, TypeError) as error:
            raise RuntimeError(f"identity provider {name!r}: each role rule needs attribute, "
                               "value and role") from error
        if rule.role not in ROLE_NAMES:
            raise RuntimeError(f"identity provider {name!r}: unknown role {rule.role!r}")
        rules.append(rule)
    return tuple(rules)


def _provider(raw: dict, protocol: str, required: tuple[str, ...]) -> Provider:
    name = str(raw.get("name", ""))
    if not NAME_PATTERN.match(name):
        raise RuntimeError(f"identity provider name {name!r}: use lower-case letters, digits "
                           "and dashes")
    missing = [key for key in required if not raw.get(key)]
    if missing:
        raise RuntimeError(f"identity provider {name!r} needs {', '.join(missing)}")
    defaults = OIDC_ATTRIBUTES if protocol == "oidc" else SAML_ATTRIBUTES
    attributes = {**defaults, **(raw.get("attributes") or {})}
    return Provider(name=name, label=str(raw.get("label") or name), protocol=protocol,
                    attributes=attributes, role_rules=_role_rules(raw.get("role_rules"), name),
                    settings=dict(raw))


def configured_providers(config: dict) -> dict[str, Provider]:
    """Every provider from ``config``, by name; raises ``RuntimeError`` for a bad entry."""
    providers: dict[str, Provider] = {}
    for raw in config.get("LMS_OIDC_PROVIDERS") or []:
        provider = _provider(raw, "oidc", ("issuer", "client_id"))
        providers[provider.name] = provider
    for raw in config.get("LMS_SAML_PROVIDERS") or []:
        if not (raw.get("metadata_url") or raw.get("metadata_file")):
            raise RuntimeError(f"SAML identity provider {raw.get('name')!r} needs "
                               "metadata_url or metadata_file")
        provider = _provider(raw, "saml", ())
        if provider.name in providers:
            raise RuntimeError(f"two identity providers are named {provider.name!r}")
        providers[provider.name] = provider
    return providers
