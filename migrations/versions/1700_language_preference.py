"""language preference and translated modules

Each person may choose the interface's language on their profile; empty means
"as my browser asks". A module keeps the translations of its title and summary
(its steps keep theirs in their config).

Revision ID: 1700
Revises: 1800
Create Date: 2026-12-03 17:20:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '1700'
down_revision = '1800'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=10), nullable=True))
    with op.batch_alter_table('modules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('translations', sa.JSON(), nullable=False,
                                      server_default='{}'))


def downgrade():
    with op.batch_alter_table('modules', schema=None) as batch_op:
        batch_op.drop_column('translations')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('locale')
