"""privacy against insiders: secrets kept out of the Outbox, co-authors by consent

``outbox_messages.secret_ref`` names the password link a message stands for;
the link itself is made when the message is sent and never stored.

``coauthor_invitations``: a co-author named on a group reflection is invited
and becomes one only by accepting. Co-authors named before this revision never
agreed, so they become pending invitations (they accept once to keep access).

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
    op.create_table(
        'coauthor_invitations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('invited_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'],
                                name=op.f('fk_coauthor_invitations_invited_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'],
                                name=op.f('fk_coauthor_invitations_submission_id_submissions'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_coauthor_invitations')),
        sa.UniqueConstraint('submission_id', 'email',
                            name=op.f('uq_coauthor_invitations_submission_id_email')),
    )
    op.create_index(op.f('ix_coauthor_invitations_email'), 'coauthor_invitations', ['email'])
    op.create_index(op.f('ix_coauthor_invitations_invited_by_id'), 'coauthor_invitations',
                    ['invited_by_id'])
    op.execute(
        "INSERT INTO coauthor_invitations (submission_id, email, invited_by_id, created_at) "
        "SELECT sc.submission_id, u.email, s.user_id, s.submitted_at "
        "FROM submission_coauthors sc JOIN users u ON u.id = sc.user_id "
        "JOIN submissions s ON s.id = sc.submission_id "
        "WHERE s.submitted_at IS NOT NULL")
    op.execute("DELETE FROM submission_coauthors")


def downgrade():
    op.drop_index(op.f('ix_coauthor_invitations_invited_by_id'),
                  table_name='coauthor_invitations')
    op.drop_index(op.f('ix_coauthor_invitations_email'), table_name='coauthor_invitations')
    op.drop_table('coauthor_invitations')
    with op.batch_alter_table('outbox_messages') as batch:
        batch.drop_column('secret_ref')
