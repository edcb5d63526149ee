"""stored obligation status

Each obligation keeps its status and the facts that decide it: whether the
enrollment is in progress, until when a recertified completion counts, when
the module is next due, and an exemption. Existing open rows are filled in
from completions, enrollments and assignments.

Revision ID: 1800
Revises: 1400
Create Date: 2026-12-03 17:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '1800'
down_revision = '1400'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('obligations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=20),
                                      server_default='not_started', nullable=False))
        batch_op.add_column(sa.Column('is_started', sa.Boolean(),
                                      server_default=sa.text('false'), nullable=False))
        batch_op.add_column(sa.Column('valid_until', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('next_due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('exempt_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('exempt_reason', sa.String(length=200), nullable=True))
        batch_op.create_index('ix_obligations_open_assignment_status',
                              ['closed_at', 'assignment_id', 'status', 'next_due_on'],
                              unique=False)
    _fill_in_open_rows()


def _fill_in_open_rows():
    """Fill the new columns of open rows (Flask-Migrate runs inside the application, whose
    time zone decides local days); the same decision as the application's reconcile."""
    from lms import clock
    from lms.localtime import today
    from lms.models.base import UTCDateTime
    from lms.services.assignments.status import decide

    bind = op.get_bind()
    obligations = sa.table('obligations', sa.column('id', sa.Integer),
                           sa.column('assignment_id', sa.Integer),
                           sa.column('user_id', sa.Integer), sa.column('module_id', sa.Integer),
                           sa.column('due_on', sa.Date), sa.column('satisfied_at', UTCDateTime()),
                           sa.column('closed_at', UTCDateTime()), sa.column('status', sa.String),
                           sa.column('is_started', sa.Boolean),
                           sa.column('valid_until', sa.Date), sa.column('next_due_on', sa.Date))
    assignments = sa.table('assignments', sa.column('id', sa.Integer),
                           sa.column('recertify_months', sa.Integer))
    enrollments = sa.table('enrollments', sa.column('user_id', sa.Integer),
                           sa.column('module_id', sa.Integer), sa.column('status', sa.String))
    started = sa.exists().where(enrollments.c.user_id == obligations.c.user_id,
                                enrollments.c.module_id == obligations.c.module_id,
                                enrollments.c.status == 'in_progress')
    rows = bind.execute(
        sa.select(obligations.c.id, obligations.c.due_on, obligations.c.satisfied_at,
                  assignments.c.recertify_months, started.label('started'))
        .join(assignments, assignments.c.id == obligations.c.assignment_id)
        .where(obligations.c.closed_at.is_(None))).all()
    on = today(clock.now())
    changes = []
    for row in rows:
        values = decide(due_on=row.due_on, satisfied_at=row.satisfied_at,
                        months=row.recertify_months, is_started=bool(row.started),
                        exempt_at=None, on=on)
        changes.append({'b_id': row.id, 'b_started': bool(row.started), **{
            f'b_{key}': value for key, value in values.items()}})
    statement = (obligations.update().where(obligations.c.id == sa.bindparam('b_id'))
                 .values(status=sa.bindparam('b_status'), is_started=sa.bindparam('b_started'),
                         valid_until=sa.bindparam('b_valid_until'),
                         next_due_on=sa.bindparam('b_next_due_on')))
    for start in range(0, len(changes), 1000):
        bind.execute(statement, changes[start:start + 1000])


def downgrade():
    with op.batch_alter_table('obligations', schema=None) as batch_op:
        batch_op.drop_index('ix_obligations_open_assignment_status')
        batch_op.drop_column('exempt_reason')
        batch_op.drop_column('exempt_at')
        batch_op.drop_column('next_due_on')
        batch_op.drop_column('valid_until')
        batch_op.drop_column('is_started')
        batch_op.drop_column('status')
