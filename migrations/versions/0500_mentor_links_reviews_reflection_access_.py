"""mentor links, reviews, reflection access records, notifications

Mentor review: who mentors whom (mentor_links: a learner, a department or a
cohort, exactly one), mentors' responses per submitted revision (reviews),
who other than the author opened a reflection (reflection_accesses), and
in-app notifications with each person's email choice.

Revision ID: 0500
Revises: 0300
Create Date: 2026-11-23 20:00:30.095295

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0500'
down_revision = '0300'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mentor_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('cohort_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(CASE WHEN learner_id IS NULL THEN 0 ELSE 1 END + CASE WHEN department_id IS NULL THEN 0 ELSE 1 END + CASE WHEN cohort_id IS NULL THEN 0 ELSE 1 END) = 1', name=op.f('ck_mentor_links_one_target')),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_mentor_links_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_mentor_links_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_mentor_links_department_id_departments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['learner_id'], ['users.id'], name=op.f('fk_mentor_links_learner_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mentor_id'], ['users.id'], name=op.f('fk_mentor_links_mentor_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_links')),
    sa.UniqueConstraint('mentor_id', 'cohort_id', name=op.f('uq_mentor_links_mentor_id_cohort_id')),
    sa.UniqueConstraint('mentor_id', 'department_id', name=op.f('uq_mentor_links_mentor_id_department_id')),
    sa.UniqueConstraint('mentor_id', 'learner_id', name=op.f('uq_mentor_links_mentor_id_learner_id'))
    )
    with op.batch_alter_table('mentor_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_links_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_links_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_links_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_links_learner_id'), ['learner_id'], unique=False)

    op.create_table('notification_preferences',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('submission_emails', sa.String(length=20), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_notification_preferences'))
    )
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=False),
    sa.Column('ref', sa.String(length=100), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.Column('emailed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
    sa.UniqueConstraint('user_id', 'kind', 'ref', name=op.f('uq_notifications_user_id_kind_ref'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_kind_emailed', ['kind', 'emailed_at'], unique=False)
        batch_op.create_index('ix_notifications_user_read', ['user_id', 'read_at'], unique=False)

    op.create_table('reflection_accesses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reader_id', sa.Integer(), nullable=True),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=True),
    sa.Column('page', sa.String(length=20), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['reader_id'], ['users.id'], name=op.f('fk_reflection_accesses_reader_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['revision_id'], ['submission_revisions.id'], name=op.f('fk_reflection_accesses_revision_id_submission_revisions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_reflection_accesses_submission_id_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reflection_accesses'))
    )
    with op.batch_alter_table('reflection_accesses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reflection_accesses_reader_id'), ['reader_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reflection_accesses_revision_id'), ['revision_id'], unique=False)
        batch_op.create_index('ix_reflection_accesses_submission_at', ['submission_id', 'at'], unique=False)

    op.create_table('reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=True),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('improve', sa.Text(), nullable=False),
    sa.Column('rubric', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['mentor_id'], ['users.id'], name=op.f('fk_reviews_mentor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['revision_id'], ['submission_revisions.id'], name=op.f('fk_reviews_revision_id_submission_revisions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_reviews_submission_id_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews'))
    )
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reviews_mentor_id'), ['mentor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reviews_revision_id'), ['revision_id'], unique=False)
        batch_op.create_index('ix_reviews_submission_created', ['submission_id', 'created_at'], unique=False)



def downgrade():
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index('ix_reviews_submission_created')
        batch_op.drop_index(batch_op.f('ix_reviews_revision_id'))
        batch_op.drop_index(batch_op.f('ix_reviews_mentor_id'))

    op.drop_table('reviews')
    with op.batch_alter_table('reflection_accesses', schema=None) as batch_op:
        batch_op.drop_index('ix_reflection_accesses_submission_at')
        batch_op.drop_index(batch_op.f('ix_reflection_accesses_revision_id'))
        batch_op.drop_index(batch_op.f('ix_reflection_accesses_reader_id'))

    op.drop_table('reflection_accesses')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_read')
        batch_op.drop_index('ix_notifications_kind_emailed')

    op.drop_table('notifications')
    op.drop_table('notification_preferences')
    with op.batch_alter_table('mentor_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_links_learner_id'))
        batch_op.drop_index(batch_op.f('ix_mentor_links_department_id'))
        batch_op.drop_index(batch_op.f('ix_mentor_links_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_mentor_links_cohort_id'))

    op.drop_table('mentor_links')
