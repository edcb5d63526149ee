"""Fees of live sessions: the status of each registration's fee, and where a payment
provider plugs in.

No card is processed here. A fee is ``due`` when an external participant
registers for an offering with a fee; staff record it as ``paid`` (with the
invoice or receipt number from the finance system), ``waived`` or
``refunded``. Every change is audited.

The one place a payment provider would plug in is ``PaymentProvider``: the
application uses whichever provider is registered under
``app.extensions[PROVIDER_KEY]`` (the events area registers ``ManualPayments``).
A card provider would implement the same two methods: ``instructions`` (what
the participant is told, e.g. a checkout link) and ``record`` (called with the
provider's confirmation, or by staff, to change the status).
"""

from __future__ import annotations

from typing import Protocol

from flask import current_app
from flask_babel import gettext as _

from lms.extensions import db
from lms.models import Registration, User, utcnow
from lms.models.events import FEE_DUE, FEE_PAID, FEE_REFUNDED, FEE_STATUSES, FEE_WAIVED
from lms.services import audit
from lms.services.errors import DomainError

PROVIDER_KEY = "lms.payment_provider"
# A receipt (or refund note) names the finance system's number, so these need one.
NEEDS_REFERENCE = (FEE_PAID, FEE_REFUNDED)


class PaymentProvider(Protocol):
    """What a payment provider offers the live-sessions area."""

    name: str

    def instructions(self, registration: Registration) -> str:
        """How the participant pays a due fee (shown on their registration page)."""

    def record(self, registration: Registration, *, status: str, reference: str,
               actor: User | None) -> Registration:
        """Change the fee status of ``registration``; raises ``DomainError`` at a field."""


class ManualPayments:
    """Fees settled outside the application (invoice, bank transfer, finance office);
    staff record the outcome with the invoice or receipt number."""

    name = "manual"

    def instructions(self, registration: Registration) -> str:
        return ("The programme office sends you an invoice. Once it is paid, your receipt "
                "appears on this page.")

    def record(self, registration: Registration, *, status: str, reference: str,
               actor: User | None) -> Registration:
        return set_fee_status(registration, status=status, reference=reference, actor=actor)


def provider() -> PaymentProvider:
    """The application's payment provider (manual unless another was registered)."""
    return current_app.extensions.get(PROVIDER_KEY) or ManualPayments()


def register_provider(app, payment_provider: PaymentProvider) -> None:
    app.extensions[PROVIDER_KEY] = payment_provider


def set_fee_status(registration: Registration, *, status: str, reference: str,
                   actor: User | None) -> Registration:
    """Record the fee status of ``registration`` and the invoice or receipt number.

    Raises ``DomainError`` at ``status`` for an unknown status, and at ``reference``
    when a payment or refund has no number. Audited with the old and new values.
    """
    if status not in FEE_STATUSES:
        raise DomainError(_("Choose due, paid, waived or refunded."), field="status")
    reference = (reference or "").strip()
    if len(reference) > 100:
        raise DomainError(_("Keep the number under 100 characters."), field="reference")
    if status in NEEDS_REFERENCE and not reference:
        raise DomainError(_("Enter the invoice or receipt number from the finance system."),
                          field="reference")
    old = (registration.fee_status, registration.fee_reference)
    registration.fee_status = status
    registration.fee_reference = reference or None
    registration.fee_updated_at = utcnow()
    registration.fee_updated_by_id = actor.id if actor else None
    db.session.flush()
    audit.record(actor, "registration.fee", registration,
                 offering_id=registration.offering_id, was=old[0], now=status,
                 old_reference=old[1], reference=registration.fee_reference)
    return registration


def has_receipt(registration: Registration) -> bool:
    return registration.fee_status == FEE_PAID and bool(registration.fee_reference)


__all__ = ["FEE_DUE", "FEE_PAID", "FEE_REFUNDED", "FEE_WAIVED", "ManualPayments",
           "PaymentProvider", "has_receipt", "provider", "register_provider", "set_fee_status"]
