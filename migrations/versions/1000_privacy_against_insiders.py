"""privacy against insiders: secrets kept out of the Outbox

``outbox_messages.secret_ref`` names the password link a message stands for;
the link itself is made when the message is sent and never stored.

Revision ID: 1000
Revises: 0900
Create Date: 2026-12-03 14:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '1000'
down_revision = '0900'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages') as batch:
        batch.add_column(sa.Column('secret_ref', sa.String(length=100), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_messages') as batch:
        batch.drop_column('secret_ref')
