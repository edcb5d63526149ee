"""Who may open what: one row per URL rule, checked for every role.

Roles: ``anonymous``, ``learner`` (owns the objects in the world fixture),
``other_learner``, ``mentor`` (linked to ``learner`` once mentor links exist),
``admin``, ``author`` (writes modules in the studio; a learner too). A row lists the
roles that get through; everyone else must be sent to sign in (anonymous) or refused
(403/404). URL arguments name attributes of the world fixture, e.g. ``{"user_id": "learner.id"}``.

Every rule the app registers must appear here; ``test_every_route_is_listed``
fails otherwise, so a new page cannot skip its access check.

Each area keeps its rows in ``tests/authz/<area>.py``: a module-level
``ROWS`` list of ``Rule`` and, optionally, ``build_world(world, factories)``
that adds the objects its URLs refer to (``factories`` has ``make_user`` and
``make_department``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

ANONYMOUS = "anonymous"
LEARNER = "learner"
OTHER_LEARNER = "other_learner"
MENTOR = "mentor"
ADMIN = "admin"
AUTHOR = "author"
ROLES = (ANONYMOUS, LEARNER, OTHER_LEARNER, MENTOR, ADMIN, AUTHOR)
EVERYONE = frozenset(ROLES)
SIGNED_IN = frozenset(ROLES) - {ANONYMOUS}
ADMINS = frozenset({ADMIN})
MENTORS = frozenset({MENTOR})


@dataclass(frozen=True)
class Rule:
    endpoint: str
    allowed: frozenset[str]
    method: str = "GET"
    args: dict[str, str] = field(default_factory=dict)
    data: dict[str, str] = field(default_factory=dict)


MATRIX: list[Rule] = [
    # main
    Rule("main.home", SIGNED_IN),
    Rule("main.profile", SIGNED_IN),
    Rule("main.privacy", EVERYONE),
    # auth
    Rule("auth.login", EVERYONE),
    Rule("auth.logout", SIGNED_IN, "POST"),
    Rule("auth.forgot_password", EVERYONE),
    Rule("auth.reset_password", EVERYONE, args={"token": "=not-a-token"}),
    Rule("auth.change_password", SIGNED_IN),
    # admin
    Rule("admin.index", ADMINS),
    Rule("admin.users", ADMINS),
    Rule("admin.new_user", ADMINS),
    Rule("admin.edit_user", ADMINS, args={"user_id": "learner.id"}),
    Rule("admin.invite_user", ADMINS, "POST", args={"user_id": "learner.id"}),
    Rule("admin.import_users_page", ADMINS),
    Rule("admin.departments", ADMINS),
    Rule("admin.cohorts", ADMINS),
    Rule("admin.outbox", ADMINS),
    Rule("admin.outbox_message", ADMINS, args={"message_id": "message.id"}),
    Rule("admin.outbox_deliver", ADMINS, "POST"),
    Rule("admin.audit_log", ADMINS),
]


def _area_modules():
    import importlib
    import pkgutil

    import tests.authz as package

    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        yield importlib.import_module(f"tests.authz.{info.name}")


AREA_MODULES = list(_area_modules())
for _module in AREA_MODULES:
    MATRIX.extend(getattr(_module, "ROWS", []))
WORLD_BUILDERS = [m.build_world for m in AREA_MODULES if hasattr(m, "build_world")]
