"""OpenID Connect relying party with Authlib: code flow, PKCE, state and nonce.

Authlib keeps state, nonce and the PKCE verifier in the signed session cookie
and drops them once used, so an answer can be redeemed once. The ID token's
signature is checked against the provider's JWKS (fetched again when a key id
is unknown, which is how a key rotation arrives), and its issuer, audience,
expiry and nonce against this sign-in.
"""

from __future__ import annotations

from typing import Any

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import OAuth
from flask import current_app
from joserfc import errors as jose_errors

from lms.services.sso.failures import SignInFailure
from lms.services.sso.providers import Provider

# Clock skew allowed when checking the ID token's expiry (seconds).
LEEWAY_SECONDS = 60
TIMEOUT_SECONDS = 10


def _oauth():
    """The application's Authlib registry, made on the first OpenID Connect sign-in (this
    module, and Authlib with it, is imported only then, not by every worker at start-up)."""
    oauth = current_app.extensions.get("lms_sso_oauth")
    if oauth is None:
        oauth = OAuth()
        oauth.init_app(current_app._get_current_object())
        current_app.extensions["lms_sso_oauth"] = oauth
    return oauth


def _client(provider: Provider):
    """Authlib's client for ``provider``, registered on first use."""
    oauth = _oauth()
    client = oauth.create_client(provider.name)
    if client is None:
        issuer = provider.setting("issuer").rstrip("/")
        client = oauth.register(
            provider.name,
            client_id=provider.setting("client_id"),
            client_secret=provider.setting("client_secret"),
            server_metadata_url=provider.setting(
                "metadata_url", issuer + "/.well-known/openid-configuration"),
            client_kwargs={"scope": provider.setting("scope", "openid email profile"),
                           "code_challenge_method": "S256",
                           "timeout": TIMEOUT_SECONDS},
        )
    return client


def metadata(provider: Provider) -> dict[str, Any]:
    """The provider's discovery document (cached by Authlib once loaded)."""
    return dict(_client(provider).load_server_metadata())


def authorize_redirect(provider: Provider, redirect_uri: str):
    """A redirect to the provider's authorization endpoint (state, nonce, PKCE stored)."""
    try:
        return _client(provider).authorize_redirect(redirect_uri)
    except (requests.RequestException, ValueError) as error:
        raise SignInFailure("provider_unreachable", type(error).__name__) from error


def complete(provider: Provider) -> tuple[str, dict[str, Any]]:
    """Redeem the code in this request; return the subject and the verified claims.

    Raises ``SignInFailure`` with the reason when anything does not hold.
    """
    client = _client(provider)
    try:
        expected_issuer = client.load_server_metadata().get("issuer")
        token = client.authorize_access_token(
            claims_options={"iss": {"essential": True, "values": [expected_issuer]}},
            leeway=LEEWAY_SECONDS)
    except MismatchingStateError as error:
        raise SignInFailure("state_mismatch", "state unknown or used") from error
    except OAuthError as error:
        raise SignInFailure("provider_refused", str(error.error or "")[:80]) from error
    except requests.RequestException as error:
        raise SignInFailure("provider_unreachable", type(error).__name__) from error
    except jose_errors.BadSignatureError as error:
        raise SignInFailure("bad_signature", "ID token signature") from error
    except jose_errors.InvalidKeyIdError as error:
        raise SignInFailure("bad_signature", "no key with this key id") from error
    except jose_errors.ExpiredTokenError as error:
        raise SignInFailure("expired", "ID token expired") from error
    except (jose_errors.InvalidClaimError, jose_errors.MissingClaimError) as error:
        raise _claim_failure(getattr(error, "claim", "")) from error
    except (jose_errors.JoseError, ValueError, KeyError) as error:
        raise SignInFailure("invalid_response", type(error).__name__) from error
    claims = token.get("userinfo")
    if not claims or not claims.get("sub"):
        raise SignInFailure("invalid_response", "no ID token")
    return str(claims["sub"]), {**_userinfo(client, token, claims["sub"]), **claims}


def _userinfo(client, token: dict, subject: str) -> dict[str, Any]:
    """Claims from the UserInfo endpoint, where the provider has one.

    Many providers keep the ID token small and release email, name and groups
    here. The answer must be about the same subject (OpenID Connect Core 5.3.2).
    """
    if not client.load_server_metadata().get("userinfo_endpoint"):
        return {}
    try:
        answer = dict(client.userinfo(token=token))
    except requests.RequestException as error:
        raise SignInFailure("provider_unreachable", "userinfo " + type(error).__name__) \
            from error
    except (OAuthError, ValueError) as error:
        raise SignInFailure("invalid_response", "userinfo " + type(error).__name__) from error
    if str(answer.get("sub")) != str(subject):
        raise SignInFailure("invalid_response", "userinfo sub differs from the ID token")
    return answer


def _claim_failure(claim: str) -> SignInFailure:
    reason = {"aud": "wrong_audience", "azp": "wrong_audience", "iss": "unknown_issuer",
              "nonce": "nonce_mismatch", "exp": "expired"}.get(claim, "invalid_response")
    return SignInFailure(reason, f"claim {claim}")
