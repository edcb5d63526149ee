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


def upgrade():
    with op.batch_alter_table('mentor_links', schema=None) as batch_op:
        batch_op.drop_index('ix_mentor_links_department_id')
        batch_op.drop_index('ix_mentor_links_cohort_id')
    op.create_index('ix_mentor_links_department_mentor', 'mentor_links',
                    ['department_id', 'mentor_id'], unique=False,
                    sqlite_where=sa.text('department_id IS NOT NULL'),
                    postgresql_where=sa.text('department_id IS NOT NULL'))
    op.create_index('ix_mentor_links_cohort_mentor', 'mentor_links',
                    ['cohort_id', 'mentor_id'], unique=False,
                    sqlite_where=sa.text('cohort_id IS NOT NULL'),
                    postgresql_where=sa.text('cohort_id IS NOT NULL'))


def downgrade():
    op.drop_index('ix_mentor_links_cohort_mentor', table_name='mentor_links')
    op.drop_index('ix_mentor_links_department_mentor', table_name='mentor_links')
    with op.batch_alter_table('mentor_links', schema=None) as batch_op:
        batch_op.create_index('ix_mentor_links_cohort_id', ['cohort_id'], unique=False)
        batch_op.create_index('ix_mentor_links_department_id', ['department_id'], unique=False)
