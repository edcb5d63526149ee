"""An independent OpenID provider on the loopback: idpyoidc's server with its own keys.

``OpenIDProvider`` serves discovery, the authorization endpoint (the person is
taken as authenticated: ``provider.sign_in_as(...)`` chooses who), the token
endpoint and the JWKS over real HTTP on 127.0.0.1. ``rotate_keys()`` replaces
the signing key the way a provider rotates it. For the failure cases the
provider can be made to misbehave: ``id_token_lifetime`` below zero issues
expired tokens, and ``rewrite_id_token`` alters the ID token's claims and signs
it again with the provider's key (or with a stranger's, ``foreign_key=True``).
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Callable
from urllib.parse import parse_qsl

from cryptojwt.jwk.rsa import new_rsa_key
from cryptojwt.jws.jws import JWS, factory
from cryptojwt.key_bundle import build_key_bundle
from idpyoidc.server import Server
from idpyoidc.server.configure import OPConfiguration
from idpyoidc.server.user_authn.authn_context import INTERNETPROTOCOLPASSWORD
from werkzeug.wrappers import Request, Response

from tests.sso.loopback import LoopbackService

CLIENT_ID = "ally-lms"
CLIENT_SECRET = "a-client-secret-of-sufficient-length"
KEY_DEFS = [{"type": "RSA", "key": "", "use": ["sig"]}]


def _config(issuer: str, users: dict) -> dict:
    return {
        "issuer": issuer,
        "httpc_params": {"verify": False, "timeout": 2},
        "keys": {"key_defs": KEY_DEFS, "uri_path": "jwks.json"},
        "preference": {"subject_types_supported": ["public"],
                       "id_token_signing_alg_values_supported": ["RS256"]},
        "endpoint": {
            "provider_config": {
                "path": ".well-known/openid-configuration",
                "class": "idpyoidc.server.oidc.provider_config.ProviderConfiguration",
                "kwargs": {},
            },
            "authorization": {
                "path": "authorization",
                "class": "idpyoidc.server.oidc.authorization.Authorization",
                "kwargs": {"response_types_supported": ["code"],
                           "response_modes_supported": ["query"]},
            },
            "token": {
                "path": "token",
                "class": "idpyoidc.server.oidc.token.Token",
                "kwargs": {"client_authn_method": ["client_secret_basic",
                                                   "client_secret_post"]},
            },
            "userinfo": {
                "path": "userinfo",
                "class": "idpyoidc.server.oidc.userinfo.UserInfo",
                "kwargs": {"add_claims_by_scope": True,
                           "client_authn_method": ["bearer_header"]},
            },
        },
        "add_ons": {
            "pkce": {"function": "idpyoidc.server.oauth2.add_on.pkce.add_support",
                     "kwargs": {"essential": True}},
        },
        "authentication": {
            "anon": {"acr": INTERNETPROTOCOLPASSWORD,
                     "class": "idpyoidc.server.user_authn.user.NoAuthn",
                     "kwargs": {"user": "nobody"}},
        },
        "userinfo": {"class": "idpyoidc.server.user_info.UserInfo", "kwargs": {"db": users}},
        "token_handler_args": {
            "code": {"lifetime": 600},
            "token": {"class": "idpyoidc.server.token.jwt_token.JWTToken",
                      "kwargs": {"lifetime": 3600, "alg": "RS256"}},
            "id_token": {"class": "idpyoidc.server.token.id_token.IDToken",
                         "kwargs": {"lifetime": 300}},
        },
        "scopes_to_claims": {"openid": ["sub"],
                             "email": ["email", "email_verified"],
                             "profile": ["name", "department", "employee_id", "groups"]},
        "template_dir": "template",
    }


class OpenIDProvider(LoopbackService):
    """idpyoidc's OP served on 127.0.0.1; ``issuer`` is its address."""

    def __init__(self, redirect_uris: list[str]):
        self.users: dict[str, dict] = {}
        port = self._serve(self._wsgi)
        self.issuer = f"http://127.0.0.1:{port}"
        self.server = Server(OPConfiguration(conf=_config(self.issuer, self.users)), cwd=".")
        self.context = self.server.context
        self.context.userinfo.db = self.users  # the configuration was copied
        self.context.cdb[CLIENT_ID] = {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": [(uri, {}) for uri in redirect_uris],
            "token_endpoint_auth_method": "client_secret_basic",
            "response_types_supported": ["code"],
            "allowed_scopes": ["openid", "email", "profile"],
        }
        self.rewrite_id_token: Callable[[dict], dict] | None = None
        self.foreign_key = False
        self.jwks_fetches = 0

    # --- control -------------------------------------------------------------

    def add_user(self, username: str, **claims) -> None:
        self.users[username] = {"sub": username, **claims}

    def sign_in_as(self, username: str) -> None:
        """Whoever opens the authorization endpoint next is ``username``."""
        for method in self.context.authn_broker:
            method.user = username

    @property
    def id_token_lifetime(self) -> int:
        return self.context.session_manager.token_handler["id_token"].lifetime

    @id_token_lifetime.setter
    def id_token_lifetime(self, seconds: int) -> None:
        self.context.session_manager.token_handler["id_token"].lifetime = seconds

    def rotate_keys(self) -> None:
        """Sign from now on with a new key (a new key id); the old key leaves the JWKS."""
        fresh = build_key_bundle(KEY_DEFS)
        for issuer_id in self.server.keyjar.owners():
            self.server.keyjar[issuer_id].set([fresh])

    def signing_key_ids(self) -> list[str]:
        return [key.kid for key in self.server.keyjar.get_signing_key("RSA", issuer_id="")]

    # --- HTTP ----------------------------------------------------------------

    def _wsgi(self, environ, start_response):
        request = Request(environ)
        path = request.path.strip("/")
        handlers = {
            ".well-known/openid-configuration": self._discovery,
            "authorization": self._authorization,
            "token": self._token,
            "jwks.json": self._jwks,
            "userinfo": self._userinfo,
        }
        handler = handlers.get(path)
        try:
            response = handler(request) if handler else Response("not found", status=404)
        except Exception:  # show the provider's own failure in the test output
            traceback.print_exc()
            raise
        return response(environ, start_response)

    def _endpoint_response(self, name: str, request: Request, data: dict) -> dict:
        endpoint = self.server.get_endpoint(name)
        http_info = {"headers": {k.lower(): v for k, v in request.headers.items()},
                     "method": request.method, "url": request.url}
        parsed = endpoint.parse_request(data, http_info=http_info)
        if "error" in parsed:
            return {"response": parsed.to_json(), "http_headers": [], "error": True}
        args = endpoint.process_request(parsed, http_info=http_info)
        if "error" in args:
            return {"response": json.dumps(args), "http_headers": [], "error": True}
        return endpoint.do_response(request=parsed, **args)

    def _discovery(self, request: Request) -> Response:
        result = self._endpoint_response("provider_config", request, {})
        return Response(result["response"], content_type="application/json")

    def _jwks(self, request: Request) -> Response:
        self.jwks_fetches += 1
        return Response(json.dumps(self.server.keyjar.export_jwks(issuer_id="")),
                        content_type="application/json")

    def _authorization(self, request: Request) -> Response:
        result = self._endpoint_response("authorization", request, dict(request.args))
        if result.get("error"):
            return Response(result["response"], status=400, content_type="application/json")
        return Response(status=302, headers={"Location": result["response"]})

    def _userinfo(self, request: Request) -> Response:
        result = self._endpoint_response("userinfo", request, {})
        status = 401 if result.get("error") else 200
        return Response(result["response"], status=status, content_type="application/json")

    def _token(self, request: Request) -> Response:
        result = self._endpoint_response("token", request,
                                         dict(parse_qsl(request.get_data(as_text=True))))
        if result.get("error"):
            return Response(result["response"], status=400, content_type="application/json")
        body = json.loads(result["response"])
        if "id_token" in body and (self.rewrite_id_token or self.foreign_key):
            body["id_token"] = self._resign(body["id_token"])
        return Response(json.dumps(body), content_type="application/json",
                        headers={"Cache-Control": "no-store"})

    def _resign(self, id_token: str) -> str:
        signed = factory(id_token)
        claims = json.loads(signed.jwt.part[1])
        kid = signed.jwt.headers["kid"]
        if self.rewrite_id_token:
            claims = self.rewrite_id_token(claims)
        if self.foreign_key:
            key = new_rsa_key(kid=kid)  # same key id, a stranger's key
        else:
            key = next(k for k in self.server.keyjar.get_signing_key("RSA", issuer_id="")
                       if k.kid == kid)
        return JWS(json.dumps(claims), alg="RS256").sign_compact(keys=[key])
