"""compliance counts, obligation departments, exemption end dates

Each obligation keeps its person's department (copied when it opens and when
the person moves) and the last day of an exemption; and ``obligation_counts`` keeps how many open, not exempt
obligations of each assignment and department share the same status facts,
so compliance adds up count rows instead of every obligation. An index on
people's names lets the compliance list walk them in order. Existing rows
are filled in.

Revision ID: 1900
Revises: 1700
Create Date: 2026-12-03 22:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '1900'
down_revision = '1700'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('obligations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('department_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('exempt_until', sa.Date(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_obligations_department_id_departments'),
                                    'departments', ['department_id'], ['id'],
                                    ondelete='SET NULL')
        batch_op.create_index(batch_op.f('ix_obligations_department_id'), ['department_id'],
                              unique=False)
        batch_op.create_index('ix_obligations_assignment_department',
                              ['assignment_id', 'department_id', 'next_due_on'], unique=False)
    op.create_index('ix_users_name_id', 'users', ['name', 'id'], unique=False)
    op.create_table(
        'obligation_counts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('assignment_id', sa.Integer(), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=True),
        sa.Column('is_satisfied', sa.Boolean(), nullable=False),
        sa.Column('is_started', sa.Boolean(), nullable=False),
        sa.Column('valid_until', sa.Date(), nullable=True),
        sa.Column('next_due_on', sa.Date(), nullable=True),
        sa.Column('people', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'],
                                name=op.f('fk_obligation_counts_assignment_id_assignments'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['department_id'], ['departments.id'],
                                name=op.f('fk_obligation_counts_department_id_departments'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_obligation_counts')),
    )
    with op.batch_alter_table('obligation_counts', schema=None) as batch_op:
        batch_op.create_index('ix_obligation_counts_assignment_department',
                              ['assignment_id', 'department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_obligation_counts_department_id'),
                              ['department_id'], unique=False)
    _fill_in()


def _fill_in():
    obligations = sa.table('obligations', sa.column('id', sa.Integer),
                           sa.column('assignment_id', sa.Integer),
                           sa.column('user_id', sa.Integer),
                           sa.column('department_id', sa.Integer),
                           sa.column('satisfied_at', sa.DateTime),
                           sa.column('closed_at', sa.DateTime),
                           sa.column('exempt_at', sa.DateTime),
                           sa.column('is_started', sa.Boolean),
                           sa.column('valid_until', sa.Date), sa.column('next_due_on', sa.Date))
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('department_id', sa.Integer))
    counts = sa.table('obligation_counts', sa.column('assignment_id', sa.Integer),
                      sa.column('department_id', sa.Integer),
                      sa.column('is_satisfied', sa.Boolean), sa.column('is_started', sa.Boolean),
                      sa.column('valid_until', sa.Date), sa.column('next_due_on', sa.Date),
                      sa.column('people', sa.Integer))
    op.execute(obligations.update().values(department_id=sa.select(users.c.department_id).where(
        users.c.id == obligations.c.user_id).scalar_subquery()))
    satisfied = obligations.c.satisfied_at.is_not(None)
    keys = (obligations.c.assignment_id, obligations.c.department_id, satisfied,
            obligations.c.is_started, obligations.c.valid_until, obligations.c.next_due_on)
    op.execute(counts.insert().from_select(
        ['assignment_id', 'department_id', 'is_satisfied', 'is_started', 'valid_until',
         'next_due_on', 'people'],
        sa.select(*keys, sa.func.count())
        .where(obligations.c.closed_at.is_(None), obligations.c.exempt_at.is_(None))
        .group_by(*keys)))


def downgrade():
    with op.batch_alter_table('obligation_counts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_obligation_counts_department_id'))
        batch_op.drop_index('ix_obligation_counts_assignment_department')
    op.drop_table('obligation_counts')
    op.drop_index('ix_users_name_id', table_name='users')
    with op.batch_alter_table('obligations', schema=None) as batch_op:
        batch_op.drop_index('ix_obligations_assignment_department')
        batch_op.drop_index(batch_op.f('ix_obligations_department_id'))
        batch_op.drop_constraint(batch_op.f('fk_obligations_department_id_departments'),
                                 type_='foreignkey')
        batch_op.drop_column('exempt_until')
        batch_op.drop_column('department_id')
