"""Try institutional sign-in on a development machine: both test identity providers, served.

    make sso-providers                 # in one terminal: prints the settings to export
    export LMS_OIDC_PROVIDERS=... LMS_SAML_PROVIDERS=...
    make run                           # in another terminal, with those settings

It starts the same independent providers the tests use — idpyoidc's OpenID
provider and pysaml2's SAML identity provider, each with keys of its own — on
127.0.0.1, knowing one person each (``--oidc-email``, ``--saml-email``), and
prints the JSON for ``LMS_OIDC_PROVIDERS`` and ``LMS_SAML_PROVIDERS``. The SAML
provider fetches the service provider's metadata from the running LMS the
first time someone signs in through it, so the order the two are started in
does not matter. Stop with Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import sys
import tempfile
import time
from pathlib import Path

import requests

from tests.sso.oidc_provider import CLIENT_ID, CLIENT_SECRET, OpenIDProvider


def _saml_provider(folder: Path, lms_url: str):
    from tests.sso.saml_provider import SamlIdentityProvider

    class TrustOnFirstUse(SamlIdentityProvider):
        """Reads the LMS's service-provider metadata when the first sign-in arrives."""

        def answer(self, authn_request_url: str, **misbehaviour):
            if not self.sp_metadata:
                self.trust(requests.get(lms_url + "/sso/saml/metadata", timeout=10).text)
            return super().answer(authn_request_url, **misbehaviour)

    return TrustOnFirstUse(folder)


def _person(email: str, name: str, department: str) -> dict:
    return {"email": email, "name": name, "department": department}


def start(lms_url: str, oidc_email: str, saml_email: str, folder: Path):
    """Start the providers; returns them and the settings the LMS needs."""
    op = OpenIDProvider([lms_url + "/sso/oidc/campus/callback"]).start()
    person = _person(oidc_email, "Olivia Okafor", "Nursing")
    op.add_user("olivia", email_verified=True, groups=["staff"], **person)
    op.sign_in_as("olivia")
    settings = {"LMS_BASE_URL": lms_url, "LMS_OIDC_PROVIDERS": json.dumps([{
        "name": "campus", "label": "Campus ID", "issuer": op.issuer,
        "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
        "role_rules": [{"attribute": "groups", "value": "ally-mentors", "role": "mentor"}],
    }])}
    saml = None
    if shutil.which("xmlsec1"):
        saml = _saml_provider(folder, lms_url).start()
        saml.users["samuel"] = {"mail": [saml_email], "displayName": ["Samuel Sato"],
                                "ou": ["Pediatrics"], "employeeNumber": ["E-3003"],
                                "isMemberOf": ["ally-mentors"]}
        saml.user = "samuel"
        settings["LMS_SAML_PROVIDERS"] = json.dumps([{
            "name": "campus-saml", "label": "Campus SAML",
            "metadata_file": str(saml.metadata_file),
            "role_rules": [{"attribute": "isMemberOf", "value": "ally-mentors",
                            "role": "mentor"}],
        }])
    return op, saml, settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lms", default="http://127.0.0.1:5000",
                        help="address of the LMS (its LMS_BASE_URL)")
    parser.add_argument("--oidc-email", default="olivia@hospital.example")
    parser.add_argument("--saml-email", default="samuel@hospital.example")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="ally-idp-"))
    op, saml, settings = start(args.lms.rstrip("/"), args.oidc_email, args.saml_email, folder)
    print("Identity providers are running. In the terminal of `make run`:\n")
    for name, value in settings.items():
        print(f"export {name}={shlex.quote(value)}")
    if saml is None:
        print("\n(xmlsec1 is not installed, so only OpenID Connect is offered;"
              " apt-get install xmlsec1 adds SAML.)")
    print(f"\nOpenID Connect signs in {args.oidc_email};"
          + (f" SAML signs in {args.saml_email} (a mentor by group)." if saml else ""))
    sys.stdout.flush()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        op.stop()
        if saml:
            saml.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
