"""An independent SAML identity provider on the loopback: pysaml2's own IdP, its own keys.

``SamlIdentityProvider`` publishes its metadata to a file (the LMS reads it
from there), trusts the LMS's service-provider metadata fetched from the LMS,
and answers AuthnRequests sent with the HTTP-Redirect binding with a signed
assertion posted back to the LMS (HTTP-POST binding), over real HTTP on
127.0.0.1 for the browser and in-process (``answer``) for view tests.

Misbehaviour for the failure cases is chosen per answer: ``sign=False``,
``signer="stranger"`` (right entity id, a key not in the metadata),
``issuer="impostor"`` (an IdP the LMS does not know), ``audience=...``,
``recipient=...``, ``expired=True``, ``in_response_to=...``.
"""

from __future__ import annotations

import datetime
import re
import shutil
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig, SPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from werkzeug.wrappers import Request, Response

from tests.sso.loopback import LoopbackService

XMLSEC = shutil.which("xmlsec1")
OTHER_SERVICE = "https://another-service.example/sp"


def write_key_pair(folder: Path, name: str) -> tuple[str, str]:
    """A fresh RSA key and self-signed certificate as PEM files; returns (cert, key)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=365))
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / f"{name}.crt", folder / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.TraditionalOpenSSL,
                                           serialization.NoEncryption()))
    return str(cert_path), str(key_path)


class SamlIdentityProvider(LoopbackService):
    def __init__(self, folder: Path):
        self.folder = folder
        port = self._serve(self._wsgi)
        self.url = f"http://127.0.0.1:{port}"
        self.entity_id = self.url + "/metadata"
        self.keys = {"own": write_key_pair(folder, "idp"),
                     "stranger": write_key_pair(folder, "stranger")}
        self.users: dict[str, dict[str, list[str]]] = {}
        self.user = ""
        self.sp_metadata = ""
        self.single_logout = True
        self.metadata_file = folder / "idp-metadata.xml"
        self.publish_metadata()
        self.misbehaviour: dict = {}

    def publish_metadata(self, *, single_logout: bool = True) -> None:
        """Write this IdP's metadata, with or without a SingleLogoutService."""
        self.single_logout = single_logout
        self.metadata_file.write_text(str(entity_descriptor(self._config("own", self.entity_id))))

    def trust(self, sp_metadata: str) -> None:
        """Register the service provider (its metadata XML) with this IdP."""
        self.sp_metadata = sp_metadata

    def _config(self, keys: str, entity_id: str, lifetime_minutes: int = 5) -> IdPConfig:
        cert, key = self.keys[keys]
        settings = {
            "entityid": entity_id,
            "xmlsec_binary": XMLSEC,
            "key_file": key,
            "cert_file": cert,
            "service": {"idp": {
                "endpoints": {
                    "single_sign_on_service": [(self.url + "/sso", BINDING_HTTP_REDIRECT)],
                    "single_logout_service": [(self.url + "/slo", BINDING_HTTP_REDIRECT)]}
                if self.single_logout else {
                    "single_sign_on_service": [(self.url + "/sso", BINDING_HTTP_REDIRECT)]},
                "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                "policy": {"default": {"lifetime": {"minutes": lifetime_minutes},
                                       "attribute_restrictions": None,
                                       "name_form": NAME_FORMAT_URI}},
            }},
            "metadata": {"inline": [self.sp_metadata, self._other_service()]}
            if self.sp_metadata else {},
        }
        config = IdPConfig()
        config.load(settings)
        return config

    def _other_service(self) -> str:
        """Metadata of another service provider this IdP also serves (for audience tests)."""
        config = SPConfig()
        config.load({"entityid": OTHER_SERVICE, "xmlsec_binary": XMLSEC,
                     "service": {"sp": {"endpoints": {"assertion_consumer_service": [
                         (OTHER_SERVICE + "/acs", BINDING_HTTP_POST)]}}}})
        return str(entity_descriptor(config))

    def _server(self, signer: str, issuer: str, expired: bool) -> Server:
        entity_id = self.entity_id if issuer == "own" else self.url + "/impostor"
        return Server(config=self._config(signer, entity_id, -10 if expired else 5))

    def answer(self, authn_request_url: str, *, sign: bool = True, signer: str = "own",
               issuer: str = "own", audience: str | None = None,
               recipient: str | None = None, expired: bool = False,
               in_response_to: str | None = None) -> tuple[str, dict[str, str]]:
        """Answer the AuthnRequest in ``authn_request_url`` as the IdP would.

        Returns the URL the browser would post to and the form fields
        (``SAMLResponse``, ``RelayState``).
        """
        query = parse_qs(urlsplit(authn_request_url).query)
        server = self._server(signer, issuer, expired)
        request = server.parse_authn_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT)
        message = request.message
        acs = message.assertion_consumer_service_url
        identity = dict(self.users[self.user])
        response = server.create_authn_response(
            identity, in_response_to=in_response_to or message.id,
            destination=recipient or acs, sp_entity_id=audience or message.issuer.text,
            name_id_policy=message.name_id_policy, userid=self.user,
            authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:Password",
                   "authn_auth": self.entity_id},
            sign_assertion=sign, sign_response=False)
        http = server.apply_binding(BINDING_HTTP_POST, str(response), acs,
                                    query.get("RelayState", [""])[0], response=True)
        html = http["data"]
        fields = {name: unescape(value) for name, value in
                  re.findall(r'name="(\w+)" value="([^"]*)"', html)}
        return acs, fields

    def _post_fields(self, server: Server, message, destination: str, relay_state: str,
                     response: bool) -> dict[str, str]:
        http = server.apply_binding(BINDING_HTTP_POST, str(message), destination, relay_state,
                                    response=response)
        return {name: unescape(value) for name, value in
                re.findall(r'name="(\w+)" value="([^"]*)"', http["data"])}

    def answer_logout(self, logout_request_url: str, *, sign: bool = True,
                      signer: str = "own", in_response_to: str | None = None
                      ) -> tuple[str, dict[str, str], object]:
        """Answer the LMS's LogoutRequest (HTTP-Redirect) with a LogoutResponse (HTTP-POST).

        Returns the LMS's single logout address, the form fields and the
        LogoutRequest as received (NameID, SessionIndex).
        """
        query = parse_qs(urlsplit(logout_request_url).query)
        server = self._server(signer, "own", False)
        request = server.parse_logout_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT)
        message = request.message
        response = server.create_logout_response(message, [BINDING_HTTP_POST], sign=False)
        destination = response.destination
        if in_response_to:
            response.in_response_to = in_response_to
        if sign:
            response = server.sign(response)
        fields = self._post_fields(server, response, destination,
                                   query.get("RelayState", [""])[0], True)
        return destination, fields, message

    def request_logout(self, sp_slo_url: str, subject: str, *, sign: bool = True,
                       signer: str = "own") -> dict[str, str]:
        """An IdP-initiated LogoutRequest for ``subject``, as HTTP-POST form fields."""
        server = self._server(signer, "own", False)
        _, request = server.create_logout_request(
            sp_slo_url, self.entity_id,
            name_id=NameID(text=subject, format=NAMEID_FORMAT_PERSISTENT), sign=sign)
        return self._post_fields(server, request, sp_slo_url, "idp-relay", False)

    # --- HTTP for the browser -------------------------------------------------

    def _wsgi(self, environ, start_response):
        request = Request(environ)
        if request.path == "/sso":
            acs, fields = self.answer(request.url, **self.misbehaviour)
            inputs = "".join(f'<input type="hidden" name="{n}" value="{v}">'
                             for n, v in fields.items())
            page = (f"<!doctype html><html lang=en><title>Campus IdP</title><body>"
                    f"<h1>Campus IdP</h1><p>Signed in as {self.user}.</p>"
                    f'<form method="post" action="{acs}">{inputs}'
                    f'<button type="submit">Continue to Ally LMS</button></form></body></html>')
            response = Response(page, content_type="text/html")
        elif request.path == "/metadata":
            response = Response(self.metadata_file.read_text(),
                                content_type="application/samlmetadata+xml")
        else:
            response = Response("not found", status=404)
        return response(environ, start_response)
