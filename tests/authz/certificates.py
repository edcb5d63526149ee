"""Certificates: the owner (and admins) download; anyone verifies a code."""

from tests.authz_matrix import ADMIN, ADMINS, EVERYONE, LEARNER, SIGNED_IN, Rule

ROWS = [
    Rule("certificates.index", SIGNED_IN),
    Rule("certificates.download", frozenset({LEARNER, ADMIN}),
         args={"certificate_id": "certificate.id"}),
    Rule("certificates.verify_form", EVERYONE),
    Rule("certificates.verify", EVERYONE, args={"code": "certificate.code"}),
    Rule("certificates.transcript", SIGNED_IN),
    Rule("certificates.transcript_pdf", SIGNED_IN),
    Rule("certificates.person_transcript_pdf", ADMINS, args={"user_id": "learner.id"}),
]


def build_world(world, factories):
    """A certificate issued to ``world.learner``."""
    from lms.extensions import db
    from lms.models import Certificate, utcnow
    from lms.services.certificates import new_code

    module = world.assignment.module if hasattr(world, "assignment") else None
    if module is None:
        from lms.models import Module

        module = Module(slug="matrix-certificate-module", title="Matrix Certificate Module",
                        content_hash="matrix")
        db.session.add(module)
        db.session.flush()
    world.certificate = Certificate(
        code=new_code(), user_id=world.learner.id, module_id=module.id,
        learner_name=world.learner.name, module_title=module.title, minutes=60,
        content_hash=module.content_hash, completed_at=utcnow())
    db.session.add(world.certificate)
    db.session.flush()
