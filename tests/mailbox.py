"""A real SMTP server standing in for people's mailboxes.

Secrets (password links) reach only the recipient's mailbox, so tests that
follow such a link read it from what the SMTP server received, as a person
would. Import the ``mailbox`` fixture into a test module to use it.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from lms.extensions import db
from lms.services.mail import deliver_pending


class _Recorder:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


class Mailbox:
    """What the SMTP server received, by recipient."""

    def __init__(self, app, recorder: _Recorder):
        self._app = app
        self._recorder = recorder

    def deliver(self) -> None:
        """Send everything queued, as ``flask mail deliver`` would."""
        with self._app.app_context():
            deliver_pending()
            db.session.commit()

    def bodies(self, address: str) -> list[str]:
        """The plain-text bodies received by ``address``, oldest first (delivers first)."""
        self.deliver()
        found = []
        for envelope in self._recorder.envelopes:
            if address.lower() in (r.lower() for r in envelope.rcpt_tos):
                message = message_from_bytes(envelope.content, policy=policy.default)
                found.append(message.get_body(("plain",)).get_content())
        return found

    def link(self, address: str, path: str = "/auth/reset/") -> str:
        """The site-relative part of the latest link to ``path`` received by ``address``."""
        for body in reversed(self.bodies(address)):
            match = re.search(r"https?://[^/\s]+(" + re.escape(path) + r"\S+)", body)
            if match:
                return match.group(1)
        raise AssertionError(f"no {path} link reached {address}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_smtp(handler) -> Iterator[int]:
    """A real SMTP server on 127.0.0.1 handing messages to ``handler``; yields its port."""
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


@pytest.fixture
def mailbox(app):
    """A real SMTP server on 127.0.0.1 that the app delivers to; yields a ``Mailbox``."""
    recorder = _Recorder()
    saved = {k: app.config.get(k) for k in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS",
                                            "MAIL_USE_SSL")}
    with running_smtp(recorder) as port:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False,
                          MAIL_USE_SSL=False)
        try:
            yield Mailbox(app, recorder)
        finally:
            app.config.update(saved)
