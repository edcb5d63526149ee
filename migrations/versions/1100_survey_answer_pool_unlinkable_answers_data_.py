"""survey answer pool, unlinkable released answers, data exports

Adds ``data_exports`` (the learner's "download my data" archives) and
``survey_pending_answers``, where anonymous evaluation answers wait
until a batch of at least the minimum cell size can be released. Answers
already released are rewritten under new random keys in shuffled order
(their stored order matched the order of the participation records), and
participation records keep only the day.

Revision ID: 1100
Revises: 1200
Create Date: 2026-12-03 14:30:00

"""
import random
import uuid

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '1100'
down_revision = '1200'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('survey_pending_answers',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('step_id', sa.Integer(), nullable=False),
    sa.Column('pool_department_id', sa.Integer(), nullable=True),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['pool_department_id'], ['departments.id'], name=op.f('fk_survey_pending_answers_pool_department_id_departments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['step_id'], ['steps.id'], name=op.f('fk_survey_pending_answers_step_id_steps'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_pending_answers'))
    )
    with op.batch_alter_table('survey_pending_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_pending_answers_pool_department_id'), ['pool_department_id'], unique=False)
        batch_op.create_index('ix_survey_pending_answers_step_pool', ['step_id', 'pool_department_id'], unique=False)
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('text_kept_at', sa.DateTime(), nullable=True))
    _shuffle_released_answers()
    _participations_keep_the_day_only()

    op.create_table('data_exports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('archive', sa.LargeBinary(), nullable=True),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('ready_at', sa.DateTime(), nullable=True),
    sa.Column('expires_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_data_exports_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_exports')),
    sa.UniqueConstraint('token', name=op.f('uq_data_exports_token'))
    )
    with op.batch_alter_table('data_exports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_data_exports_user_id'), ['user_id'], unique=False)


def _shuffle_released_answers():
    bind = op.get_bind()
    responses = sa.table('survey_responses', sa.column('id', sa.String), sa.column('step_id', sa.Integer),
                         sa.column('department_id', sa.Integer), sa.column('content_hash', sa.String),
                         sa.column('answers', sa.JSON), sa.column('created_at', sa.DateTime))
    rows = [dict(row._mapping) for row in bind.execute(sa.select(responses))]
    if not rows:
        return
    random.SystemRandom().shuffle(rows)
    for row in rows:
        row['id'] = uuid.uuid4().hex
    bind.execute(responses.delete())
    for row in rows:  # one by one: the insert order is the shuffled order
        bind.execute(responses.insert().values(**row))


def _participations_keep_the_day_only():
    bind = op.get_bind()
    participations = sa.table('survey_participations', sa.column('id', sa.Integer),
                              sa.column('created_at', sa.DateTime))
    for row_id, created_at in bind.execute(sa.select(participations.c.id, participations.c.created_at)).all():
        day = created_at.replace(hour=0, minute=0, second=0, microsecond=0)
        if day != created_at:
            bind.execute(participations.update().where(participations.c.id == row_id).values(created_at=day))


def downgrade():
    with op.batch_alter_table('data_exports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_data_exports_user_id'))
    op.drop_table('data_exports')
    with op.batch_alter_table('survey_pending_answers', schema=None) as batch_op:
        batch_op.drop_index('ix_survey_pending_answers_step_pool')
        batch_op.drop_index(batch_op.f('ix_survey_pending_answers_pool_department_id'))
    op.drop_table('survey_pending_answers')
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_column('text_kept_at')
        batch_op.drop_column('withdrawn_at')
