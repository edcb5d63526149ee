"""outbox claims and sign-in throttle

Outbox messages record when a sender claimed them, so two senders running at
once never send the same message and a claim abandoned by a crash is found.
Wrong passwords are counted per account and per account + address in
password_failures, shared by every worker, for growing sign-in delays.

Revision ID: 1050
Revises: 1000
Create Date: 2026-12-03 14:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1050'
down_revision = '1000'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_at', sa.DateTime(), nullable=True))
    op.create_table(
        'password_failures',
        sa.Column('key', sa.String(length=400), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('last_failed_at', sa.DateTime(), nullable=False),
        sa.Column('blocked_until', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_password_failures')),
    )


def downgrade():
    op.drop_table('password_failures')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('claimed_at')
