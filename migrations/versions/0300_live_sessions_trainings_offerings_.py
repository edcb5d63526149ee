"""live sessions: trainings, offerings, registrations, event weeks, raffle, feeds, team requests

Capacity is guarded in the database: CHECK (seats_taken <= capacity) on offerings and a
unique (offering_id, user_id) on registrations.

Revision ID: 0300
Revises: 0400
Create Date: 2026-11-23 19:38:43.294838

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0300'
down_revision = '0400'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('engagement_weeks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('prizes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_engagement_weeks_ends_after_start')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_engagement_weeks')),
    sa.UniqueConstraint('name', name=op.f('uq_engagement_weeks_name'))
    )
    with op.batch_alter_table('engagement_weeks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_engagement_weeks_starts_on'), ['starts_on'], unique=False)

    op.create_table('trainings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('series', sa.String(length=200), nullable=True),
    sa.Column('part', sa.Integer(), nullable=True),
    sa.Column('related_module_slugs', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trainings')),
    sa.UniqueConstraint('slug', name=op.f('uq_trainings_slug'))
    )
    op.create_table('offerings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('training_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=True),
    sa.Column('video_url', sa.String(length=500), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('seats_taken', sa.Integer(), nullable=False),
    sa.Column('waitlist_counter', sa.Integer(), nullable=False),
    sa.Column('registration_opens_at', sa.DateTime(), nullable=True),
    sa.Column('registration_closes_at', sa.DateTime(), nullable=True),
    sa.Column('audience', sa.String(length=20), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('fee_note', sa.String(length=300), nullable=True),
    sa.Column('rsvp_required', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('checkin_code', sa.String(length=12), nullable=False),
    sa.Column('engagement_week_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("audience IN ('internal', 'open', 'department')", name=op.f('ck_offerings_audience_known')),
    sa.CheckConstraint("mode IN ('in_person', 'virtual', 'hybrid')", name=op.f('ck_offerings_mode_known')),
    sa.CheckConstraint("status IN ('scheduled', 'cancelled')", name=op.f('ck_offerings_status_known')),
    sa.CheckConstraint('capacity >= 1', name=op.f('ck_offerings_capacity_positive')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_offerings_ends_after_start')),
    sa.CheckConstraint('seats_taken >= 0 AND seats_taken <= capacity', name=op.f('ck_offerings_seats_within_capacity')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_offerings_department_id_departments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['engagement_week_id'], ['engagement_weeks.id'], name=op.f('fk_offerings_engagement_week_id_engagement_weeks'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['training_id'], ['trainings.id'], name=op.f('fk_offerings_training_id_trainings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offerings'))
    )
    with op.batch_alter_table('offerings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offerings_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_offerings_engagement_week_id'), ['engagement_week_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_offerings_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index('ix_offerings_training_starts', ['training_id', 'starts_at'], unique=False)

    op.create_table('calendar_feeds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_feeds_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feeds')),
    sa.UniqueConstraint('token', name=op.f('uq_calendar_feeds_token')),
    sa.UniqueConstraint('user_id', name=op.f('uq_calendar_feeds_user_id'))
    )
    op.create_table('raffle_draws',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('week_id', sa.Integer(), nullable=False),
    sa.Column('seed', sa.String(length=100), nullable=False),
    sa.Column('entries', sa.JSON(), nullable=False),
    sa.Column('winner_ids', sa.JSON(), nullable=False),
    sa.Column('drawn_by_id', sa.Integer(), nullable=True),
    sa.Column('drawn_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['drawn_by_id'], ['users.id'], name=op.f('fk_raffle_draws_drawn_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['week_id'], ['engagement_weeks.id'], name=op.f('fk_raffle_draws_week_id_engagement_weeks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_raffle_draws'))
    )
    with op.batch_alter_table('raffle_draws', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_raffle_draws_drawn_by_id'), ['drawn_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_raffle_draws_week_id'), ['week_id'], unique=False)

    op.create_table('registrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('offering_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('waitlist_position', sa.Integer(), nullable=True),
    sa.Column('attendance', sa.String(length=20), nullable=True),
    sa.Column('attendance_marked_at', sa.DateTime(), nullable=True),
    sa.Column('attendance_marked_by_id', sa.Integer(), nullable=True),
    sa.Column('checked_in_at', sa.DateTime(), nullable=True),
    sa.Column('registered_at', sa.DateTime(), nullable=True),
    sa.Column('promoted_at', sa.DateTime(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("attendance IS NULL OR attendance IN ('attended', 'no_show')", name=op.f('ck_registrations_attendance_known')),
    sa.CheckConstraint("status IN ('registered', 'waitlisted', 'cancelled', 'drop_in')", name=op.f('ck_registrations_status_known')),
    sa.ForeignKeyConstraint(['attendance_marked_by_id'], ['users.id'], name=op.f('fk_registrations_attendance_marked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['offering_id'], ['offerings.id'], name=op.f('fk_registrations_offering_id_offerings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_registrations_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registrations')),
    sa.UniqueConstraint('offering_id', 'user_id', name=op.f('uq_registrations_offering_id_user_id'))
    )
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registrations_attendance_marked_by_id'), ['attendance_marked_by_id'], unique=False)
        batch_op.create_index('ix_registrations_offering_status_position', ['offering_id', 'status', 'waitlist_position'], unique=False)
        batch_op.create_index('ix_registrations_user_status', ['user_id', 'status'], unique=False)

    op.create_table('team_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('training_id', sa.Integer(), nullable=True),
    sa.Column('topic', sa.String(length=300), nullable=False),
    sa.Column('group_size', sa.Integer(), nullable=False),
    sa.Column('preferred_dates', sa.Text(), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('admin_note', sa.Text(), nullable=False),
    sa.Column('triaged_by_id', sa.Integer(), nullable=True),
    sa.Column('triaged_at', sa.DateTime(), nullable=True),
    sa.Column('offering_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('new', 'scheduled', 'declined')", name=op.f('ck_team_requests_status_known')),
    sa.CheckConstraint('group_size >= 1', name=op.f('ck_team_requests_group_size_positive')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_team_requests_department_id_departments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['offering_id'], ['offerings.id'], name=op.f('fk_team_requests_offering_id_offerings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['requester_id'], ['users.id'], name=op.f('fk_team_requests_requester_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['training_id'], ['trainings.id'], name=op.f('fk_team_requests_training_id_trainings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['triaged_by_id'], ['users.id'], name=op.f('fk_team_requests_triaged_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_requests'))
    )
    with op.batch_alter_table('team_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_requests_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_requests_offering_id'), ['offering_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_requests_requester_id'), ['requester_id'], unique=False)
        batch_op.create_index('ix_team_requests_status_created', ['status', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_requests_training_id'), ['training_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_requests_triaged_by_id'), ['triaged_by_id'], unique=False)

    op.create_table('training_facilitators',
    sa.Column('training_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['training_id'], ['trainings.id'], name=op.f('fk_training_facilitators_training_id_trainings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_training_facilitators_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('training_id', 'user_id', name=op.f('pk_training_facilitators'))
    )
    with op.batch_alter_table('training_facilitators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_facilitators_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('training_facilitators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_facilitators_user_id'))

    op.drop_table('training_facilitators')
    with op.batch_alter_table('team_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_requests_triaged_by_id'))
        batch_op.drop_index(batch_op.f('ix_team_requests_training_id'))
        batch_op.drop_index('ix_team_requests_status_created')
        batch_op.drop_index(batch_op.f('ix_team_requests_requester_id'))
        batch_op.drop_index(batch_op.f('ix_team_requests_offering_id'))
        batch_op.drop_index(batch_op.f('ix_team_requests_department_id'))

    op.drop_table('team_requests')
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_index('ix_registrations_user_status')
        batch_op.drop_index('ix_registrations_offering_status_position')
        batch_op.drop_index(batch_op.f('ix_registrations_attendance_marked_by_id'))

    op.drop_table('registrations')
    with op.batch_alter_table('raffle_draws', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_raffle_draws_week_id'))
        batch_op.drop_index(batch_op.f('ix_raffle_draws_drawn_by_id'))

    op.drop_table('raffle_draws')
    op.drop_table('calendar_feeds')
    with op.batch_alter_table('offerings', schema=None) as batch_op:
        batch_op.drop_index('ix_offerings_training_starts')
        batch_op.drop_index(batch_op.f('ix_offerings_starts_at'))
        batch_op.drop_index(batch_op.f('ix_offerings_engagement_week_id'))
        batch_op.drop_index(batch_op.f('ix_offerings_department_id'))

    op.drop_table('offerings')
    op.drop_table('trainings')
    with op.batch_alter_table('engagement_weeks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_engagement_weeks_starts_on'))

    op.drop_table('engagement_weeks')
