"""languages of mail and notifications

An external participant keeps the language of the page they signed up on, so their
messages and documents are written in it. A notification keeps its message (the
catalogue's English id) and the names and dates in it, so it is shown in the reader's
language; rows written before keep their text, shown as it was.

Revision ID: 2000
Revises: 1900
Create Date: 2026-12-03 22:35:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '2000'
down_revision = '1900'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('external_participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=10), nullable=True))
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('params', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('params')
        batch_op.drop_column('message')
    with op.batch_alter_table('external_participants', schema=None) as batch_op:
        batch_op.drop_column('locale')
