"""institutional sign-in and provisioning

Links from people to their identity providers (OpenID Connect, SAML, SCIM),
the SAML assertions already used (so a replay is refused), the bearer tokens
an HR system provisions with, and the staff number on each person.

Revision ID: 1200
Revises: 1050
Create Date: 2026-12-03 14:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '1200'
down_revision = '1050'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('employee_id', sa.String(length=64), nullable=True))

    op.create_table(
        'external_identities',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('provider', sa.String(length=64), nullable=False),
        sa.Column('subject', sa.String(length=255), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('last_sign_in_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_external_identities_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_external_identities')),
        sa.UniqueConstraint('provider', 'subject',
                            name=op.f('uq_external_identities_provider_subject')),
    )
    op.create_index('ix_external_identities_provider_last_sign_in', 'external_identities',
                    ['provider', 'last_sign_in_at'], unique=False)
    op.create_index(op.f('ix_external_identities_user_id'), 'external_identities',
                    ['user_id'], unique=False)

    op.create_table(
        'sso_seen_assertions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('provider', sa.String(length=64), nullable=False),
        sa.Column('assertion_id', sa.String(length=255), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sso_seen_assertions')),
        sa.UniqueConstraint('provider', 'assertion_id',
                            name=op.f('uq_sso_seen_assertions_provider_assertion_id')),
    )
    op.create_index(op.f('ix_sso_seen_assertions_expires_at'), 'sso_seen_assertions',
                    ['expires_at'], unique=False)

    op.create_table(
        'scim_tokens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('last_used_at', sa.DateTime(), nullable=True),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_scim_tokens_created_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_scim_tokens')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_scim_tokens_token_hash')),
    )
    op.create_index(op.f('ix_scim_tokens_created_by_id'), 'scim_tokens',
                    ['created_by_id'], unique=False)

    op.create_table(
        'scim_resources',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('resource_type', sa.String(length=20), nullable=False),
        sa.Column('lookup_name', sa.String(length=255), nullable=False),
        sa.Column('external_id', sa.String(length=255), nullable=True),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('department_id', sa.Integer(), nullable=True),
        sa.Column('cohort_id', sa.Integer(), nullable=True),
        sa.Column('document', sa.JSON(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'],
                                name=op.f('fk_scim_resources_cohort_id_cohorts'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['department_id'], ['departments.id'],
                                name=op.f('fk_scim_resources_department_id_departments'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_scim_resources_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_scim_resources')),
        sa.UniqueConstraint('resource_type', 'lookup_name',
                            name=op.f('uq_scim_resources_resource_type_lookup_name')),
    )
    op.create_index(op.f('ix_scim_resources_cohort_id'), 'scim_resources', ['cohort_id'],
                    unique=False)
    op.create_index(op.f('ix_scim_resources_department_id'), 'scim_resources',
                    ['department_id'], unique=False)
    op.create_index(op.f('ix_scim_resources_user_id'), 'scim_resources', ['user_id'],
                    unique=False)


def downgrade():
    op.drop_index(op.f('ix_scim_resources_user_id'), table_name='scim_resources')
    op.drop_index(op.f('ix_scim_resources_department_id'), table_name='scim_resources')
    op.drop_index(op.f('ix_scim_resources_cohort_id'), table_name='scim_resources')
    op.drop_table('scim_resources')
    op.drop_index(op.f('ix_scim_tokens_created_by_id'), table_name='scim_tokens')
    op.drop_table('scim_tokens')
    op.drop_index(op.f('ix_sso_seen_assertions_expires_at'), table_name='sso_seen_assertions')
    op.drop_table('sso_seen_assertions')
    op.drop_index(op.f('ix_external_identities_user_id'), table_name='external_identities')
    op.drop_index('ix_external_identities_provider_last_sign_in',
                  table_name='external_identities')
    op.drop_table('external_identities')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('employee_id')
