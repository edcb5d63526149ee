"""completion evidence: check attempts, engaged time, attestations

Adds ``check_attempts``, ``engaged_times`` and ``attestations``; the
completion rules of a module (``minimum_minutes``, ``attestation``); the
evidence a completion and its certificate were granted on; and the
professional licence number a person may show on certificates. Existing
completions keep ``rules`` empty: they were made before any rule.

Revision ID: 1300
Revises: 1500
Create Date: 2026-12-03 17:20:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '1300'
down_revision = '1500'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('check_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('step_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('question_ids', sa.JSON(), nullable=False),
    sa.Column('chosen', sa.JSON(), nullable=False),
    sa.Column('correct', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('score_percent', sa.Integer(), nullable=False),
    sa.Column('is_passed', sa.Boolean(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['step_id'], ['steps.id'], name=op.f('fk_check_attempts_step_id_steps'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_check_attempts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_attempts')),
    sa.UniqueConstraint('user_id', 'step_id', 'number', name=op.f('uq_check_attempts_user_id_step_id_number'))
    )
    with op.batch_alter_table('check_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_check_attempts_step_id', ['step_id'], unique=False)

    op.create_table('engaged_times',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('step_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('seconds', sa.Integer(), nullable=False),
    sa.Column('last_credited_at', sa.DateTime(), nullable=False),
    sa.Column('is_heartbeat', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['module_id'], ['modules.id'], name=op.f('fk_engaged_times_module_id_modules'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['step_id'], ['steps.id'], name=op.f('fk_engaged_times_step_id_steps'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_engaged_times_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_engaged_times')),
    sa.UniqueConstraint('user_id', 'step_id', name=op.f('uq_engaged_times_user_id_step_id'))
    )
    with op.batch_alter_table('engaged_times', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_engaged_times_module_id'), ['module_id'], unique=False)
        batch_op.create_index('ix_engaged_times_step_id', ['step_id'], unique=False)
        batch_op.create_index('ix_engaged_times_user_credited', ['user_id', 'last_credited_at'], unique=False)

    op.create_table('attestations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('learner_name', sa.String(length=200), nullable=False),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.Column('attested_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['module_id'], ['modules.id'], name=op.f('fk_attestations_module_id_modules'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_attestations_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attestations'))
    )
    with op.batch_alter_table('attestations', schema=None) as batch_op:
        batch_op.create_index('ix_attestations_module_id', ['module_id'], unique=False)
        batch_op.create_index('ix_attestations_user_module', ['user_id', 'module_id'], unique=False)

    with op.batch_alter_table('modules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('minimum_minutes', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('attestation', sa.Text(), nullable=True))
    with op.batch_alter_table('module_completions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rules', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('score_percent', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('engaged_minutes', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('attested_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('score_percent', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('engaged_minutes', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('attested_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('provider', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('licence_number', sa.String(length=64), nullable=True))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('licence_number', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('licence_number')
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        for column in ('licence_number', 'provider', 'attested_at', 'engaged_minutes',
                       'score_percent'):
            batch_op.drop_column(column)
    with op.batch_alter_table('module_completions', schema=None) as batch_op:
        for column in ('attested_at', 'engaged_minutes', 'score_percent', 'rules'):
            batch_op.drop_column(column)
    with op.batch_alter_table('modules', schema=None) as batch_op:
        batch_op.drop_column('attestation')
        batch_op.drop_column('minimum_minutes')
    op.drop_table('attestations')
    op.drop_table('engaged_times')
    op.drop_table('check_attempts')
