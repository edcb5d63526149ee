"""Assignments: rules and reminders for admins; compliance for admins and department
leads (the matrix mentor leads a department); 'assigned to you' for everyone."""

from tests.authz_matrix import ADMIN, ADMINS, MENTOR, SIGNED_IN, Rule

A = {"assignment_id": "assignment.id"}
LEADS_AND_ADMINS = frozenset({ADMIN, MENTOR})

ROWS = [
    Rule("assignments.index", ADMINS),
    Rule("assignments.new", ADMINS),
    Rule("assignments.new", ADMINS, "POST"),
    Rule("assignments.edit", ADMINS, args=A),
    Rule("assignments.edit", ADMINS, "POST", args=A),
    Rule("assignments.delete", ADMINS, args=A),
    Rule("assignments.delete", ADMINS, "POST", args=A),
    Rule("assignments.remind", ADMINS, "POST", args=A),
    Rule("assignments.reminders", ADMINS, args=A),
    Rule("assignments.exemptions", ADMINS),
    Rule("assignments.exemptions", ADMINS, "POST"),
    Rule("assignments.revoke_exemption", ADMINS, "POST",
         args={"obligation_id": "exempt_obligation.id"}),
    Rule("assignments.compliance", LEADS_AND_ADMINS),
    Rule("assignments.compliance_csv", LEADS_AND_ADMINS),
    Rule("assignments.mine", SIGNED_IN),
    Rule("assignments.renew", SIGNED_IN, "POST", args={"slug": "=implicit-bias-foundations"}),
]


def build_world(world, factories):
    """A published module assigned to the matrix department, one of its obligations exempt;
    the mentor leads another department."""
    from datetime import timedelta

    from sqlalchemy import select

    from lms.extensions import db
    from lms.models import Module, Obligation
    from lms.services import duedates
    from lms.services.assignments.rules import Rule as AssignmentRule
    from lms.services.assignments.rules import create_assignment
    from lms.services.assignments.status import exempt

    module = Module(slug="matrix-assigned-module", title="Matrix Assigned Module",
                    content_hash="matrix", estimated_minutes=30)
    db.session.add(module)
    db.session.flush()
    world.assignment, _ = create_assignment(actor=world.admin, rule=AssignmentRule(
        module=module, target_kind="departments", department_ids=[world.department.id],
        due_on=duedates.today() + timedelta(days=30)))
    led = factories.make_department("Matrix Led Department")
    led.lead_id = world.mentor.id
    world.exempt_obligation = db.session.scalars(select(Obligation).where(
        Obligation.assignment_id == world.assignment.id)).first()
    exempt(world.exempt_obligation, actor=world.admin, reason="Matrix exemption")
