"""external participants, fees and raffle consent

Professionals from outside the institution sign up for open offerings
without an account (external_participants); their registration shares the
offering's seats and waitlist with staff, so registrations.user_id becomes
optional and a registration names exactly one kind of person. Registrations
carry a fee status and the invoice or receipt number staff entered; an
offering may carry the fee in cents. raffle_consents records whether a
person agrees to be named as a winner on the week page.

Revision ID: 1600
Revises: 1100
Create Date: 2026-12-03 17:07:10.264380

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1600'
down_revision = '1100'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('external_participants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('offering_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=True),
    sa.Column('profession', sa.String(length=200), nullable=True),
    sa.Column('licence_number', sa.String(length=100), nullable=True),
    sa.Column('verified_at', sa.DateTime(), nullable=True),
    sa.Column('erased_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['offering_id'], ['offerings.id'], name=op.f('fk_external_participants_offering_id_offerings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_external_participants'))
    )
    with op.batch_alter_table('external_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_external_participants_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_external_participants_offering_id'), ['offering_id'], unique=False)

    op.create_table('raffle_consents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('week_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('show_name', sa.Boolean(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_raffle_consents_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['week_id'], ['engagement_weeks.id'], name=op.f('fk_raffle_consents_week_id_engagement_weeks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_raffle_consents')),
    sa.UniqueConstraint('week_id', 'user_id', name=op.f('uq_raffle_consents_week_id_user_id'))
    )
    with op.batch_alter_table('raffle_consents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_raffle_consents_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_raffle_consents_week_id'), ['week_id'], unique=False)

    with op.batch_alter_table('offerings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fee_cents', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(op.f('ck_offerings_fee_not_negative'),
                                         'fee_cents IS NULL OR fee_cents >= 0')

    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('external_participant_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('fee_status', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('fee_reference', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('fee_updated_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('fee_updated_by_id', sa.Integer(), nullable=True))
        batch_op.alter_column('user_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_registrations_fee_updated_by_id'), ['fee_updated_by_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_registrations_external_participant_id'), ['external_participant_id'])
        batch_op.create_foreign_key(batch_op.f('fk_registrations_fee_updated_by_id_users'), 'users', ['fee_updated_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_registrations_external_participant_id_external_participants'), 'external_participants', ['external_participant_id'], ['id'], ondelete='CASCADE')
        batch_op.create_check_constraint(
            op.f('ck_registrations_one_kind_of_person'),
            '(user_id IS NULL) <> (external_participant_id IS NULL)')
        batch_op.create_check_constraint(
            op.f('ck_registrations_fee_status_known'),
            "fee_status IS NULL OR fee_status IN ('due', 'paid', 'waived', 'refunded')")



def downgrade():
    op.execute("DELETE FROM registrations WHERE user_id IS NULL")
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_registrations_fee_status_known'), type_='check')
        batch_op.drop_constraint(op.f('ck_registrations_one_kind_of_person'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_registrations_external_participant_id_external_participants'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_registrations_fee_updated_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_registrations_external_participant_id'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_registrations_fee_updated_by_id'))
        batch_op.alter_column('user_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('fee_updated_by_id')
        batch_op.drop_column('fee_updated_at')
        batch_op.drop_column('fee_reference')
        batch_op.drop_column('fee_status')
        batch_op.drop_column('external_participant_id')

    with op.batch_alter_table('offerings', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_offerings_fee_not_negative'), type_='check')
        batch_op.drop_column('fee_cents')

    with op.batch_alter_table('raffle_consents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_raffle_consents_week_id'))
        batch_op.drop_index(batch_op.f('ix_raffle_consents_user_id'))

    op.drop_table('raffle_consents')
    with op.batch_alter_table('external_participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_external_participants_offering_id'))
        batch_op.drop_index(batch_op.f('ix_external_participants_email'))

    op.drop_table('external_participants')
