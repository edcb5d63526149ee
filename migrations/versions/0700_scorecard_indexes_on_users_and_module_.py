"""scorecard indexes on users and module completions

Staff per department reads an index instead of every account; people
completing a module per month reads only the months shown.

Revision ID: 0700
Revises: 0600
Create Date: 2026-11-23 21:04:46.474690

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0700'
down_revision = '0600'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_module_completions_completed_user', 'module_completions',
                    ['completed_at', 'user_id'], unique=False)
    op.create_index('ix_users_department_active', 'users',
                    ['department_id', 'is_active_account'], unique=False)


def downgrade():
    op.drop_index('ix_users_department_active', table_name='users')
    op.drop_index('ix_module_completions_completed_user', table_name='module_completions')
