"""Why an institutional sign-in failed, in words a person can act on."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.models import User
from lms.services import audit

MESSAGES = {
    "bad_signature": _l("The answer from your identity provider carries a signature this site "
                     "cannot verify."),
    "unsigned": _l("The answer from your identity provider was not signed."),
    "expired": _l("The answer from your identity provider has expired (or is not valid yet: "
               "check the clocks)."),
    "wrong_audience": _l("The answer from your identity provider was meant for another service."),
    "wrong_recipient": _l("The answer from your identity provider was addressed to another page."),
    "unknown_issuer": _l("The answer came from an identity provider this site does not trust."),
    "replayed": _l("This sign-in answer has already been used."),
    "state_mismatch": _l("This sign-in answer does not belong to a sign-in started here "
                      "(it may have been used already, or the page was open too long)."),
    "nonce_mismatch": _l("This sign-in answer does not belong to the sign-in started here."),
    "missing_email": _l("Your identity provider did not send an email address, so no account "
                     "can be found or created. Ask your IT service desk to release the email "
                     "attribute to this site."),
    "unverified_email": _l("An account with this email exists, but your identity provider has "
                        "not verified that the address is yours."),
    "inactive": _l("This account is deactivated. Ask the programme office if you need access."),
    "provider_refused": _l("Your identity provider did not sign you in."),
    "provider_unreachable": _l("Your identity provider could not be reached."),
    "invalid_response": _l("The answer from your identity provider could not be read."),
    "unknown_provider": _l("This identity provider is not configured here."),
}


class SignInFailure(Exception):
    """An institutional sign-in refused for ``reason`` (a key of ``MESSAGES``)."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason)
        self.reason = reason if reason in MESSAGES else "invalid_response"
        self.detail = detail

    @property
    def message(self) -> str:
        return str(MESSAGES[self.reason])


def record_failure(provider: str, failure: SignInFailure, *, user: User | None = None) -> None:
    """Add the failure to the audit log: provider, reason and a short technical note.

    The note names what failed (a claim, an exception type), never the token or
    assertion itself.
    """
    audit.record(None, "sso.sign_in_failed", user, provider=provider, reason=failure.reason,
                 detail=failure.detail[:200])
