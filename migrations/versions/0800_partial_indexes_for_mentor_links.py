"""partial indexes for mentor links to departments and cohorts

Most mentor links name one learner, so department_id and cohort_id are
mostly NULL; plain indexes on them looked useless to SQLite's planner
(its statistics count the NULLs as one value), which then scanned every
link to find a learner's mentors. Indexes over the non-NULL rows only.

Revision ID: 0800
Revises: 0700
Create Date: 2026-11-29 17:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0800'
down_revision = '0700'
branch_labels = None
depends_on = None

# (name, columns, the target column that must be set)
INDEXES = [
    ('ix_mentor_links_department_mentor', ['department_id', 'mentor_id'], 'department'),
    ('ix_mentor_links_mentor_department', ['mentor_id', 'department_id'], 'department'),
    ('ix_mentor_links_cohort_mentor', ['cohort_id', 'mentor_id'], 'cohort'),
    ('ix_mentor_links_mentor_cohort', ['mentor_id', 'cohort_id'], 'cohort'),
]


def upgrade():
    with op.batch_alter_table('mentor_links', schema=None) as batch_op:
        batch_op.drop_index('ix_mentor_links_department_id')
        batch_op.drop_index('ix_mentor_links_cohort_id')
    for name, columns, target in INDEXES:
        condition = sa.text(f'{target}_id IS NOT NULL')
        op.create_index(name, 'mentor_links', columns, unique=False,
                        sqlite_where=condition, postgresql_where=condition)


def downgrade():
    for name, _columns, _target in INDEXES:
        op.drop_index(name, table_name='mentor_links')
    with op.batch_alter_table('mentor_links', schema=None) as batch_op:
        batch_op.create_index('ix_mentor_links_cohort_id', ['cohort_id'], unique=False)
        batch_op.create_index('ix_mentor_links_department_id', ['department_id'], unique=False)
