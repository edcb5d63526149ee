"""assignment counts version

Each assignment carries a token that changes, in the same transaction,
whenever its compliance count rows are rewritten: compliance keeps figures
read from the counts under the tokens they were read with, so a committed
change is never served from an older reading. Existing rows get a token each.

Revision ID: 2100
Revises: 2000
Create Date: 2026-12-04 01:30:00

"""
import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '2100'
down_revision = '2000'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('counts_version', sa.String(length=12), nullable=False,
                                      server_default=''))
    assignments = sa.table('assignments', sa.column('id', sa.Integer),
                           sa.column('counts_version', sa.String))
    connection = op.get_bind()
    for (assignment_id,) in connection.execute(sa.select(assignments.c.id)).all():
        connection.execute(assignments.update().where(assignments.c.id == assignment_id)
                           .values(counts_version=secrets.token_hex(6)))


def downgrade():
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_column('counts_version')
