"""authoring studio: module drafts, images, who published each content version

Adds ``module_drafts`` (a module's files as the studio edits them) and
``studio_images``; ``module_versions`` keep the published files, where
they came from and who published them; ``modules`` remember when the
studio last published them, so ``flask modules sync`` reports a conflict
instead of overwriting.

Revision ID: 1400
Revises: 1300
Create Date: 2026-12-03 17:20:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '1400'
down_revision = '1300'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('module_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=True),
    sa.Column('files', sa.JSON(), nullable=False),
    sa.Column('published_hash', sa.String(length=64), nullable=True),
    sa.Column('is_archived', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_module_drafts_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['module_id'], ['modules.id'], name=op.f('fk_module_drafts_module_id_modules'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_module_drafts_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_module_drafts')),
    sa.UniqueConstraint('module_id', name=op.f('uq_module_drafts_module_id')),
    sa.UniqueConstraint('slug', name=op.f('uq_module_drafts_slug'))
    )
    with op.batch_alter_table('module_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_module_drafts_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_module_drafts_updated_at'), ['updated_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_module_drafts_updated_by_id'), ['updated_by_id'], unique=False)

    op.create_table('studio_images',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=120), nullable=False),
    sa.Column('media_type', sa.String(length=40), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['draft_id'], ['module_drafts.id'], name=op.f('fk_studio_images_draft_id_module_drafts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_studio_images_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_studio_images')),
    sa.UniqueConstraint('draft_id', 'filename', name=op.f('uq_studio_images_draft_id_filename'))
    )
    with op.batch_alter_table('studio_images', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_studio_images_uploaded_by_id'), ['uploaded_by_id'], unique=False)

    with op.batch_alter_table('module_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('files', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('source', sa.String(length=20), nullable=False, server_default='files'))
        batch_op.add_column(sa.Column('author_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_module_versions_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_module_versions_module_created', ['module_id', 'created_at'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_module_versions_author_id_users'), 'users', ['author_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('modules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('studio_published_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('modules', schema=None) as batch_op:
        batch_op.drop_column('studio_published_at')

    with op.batch_alter_table('module_versions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_module_versions_author_id_users'), type_='foreignkey')
        batch_op.drop_index('ix_module_versions_module_created')
        batch_op.drop_index(batch_op.f('ix_module_versions_author_id'))
        batch_op.drop_column('author_id')
        batch_op.drop_column('source')
        batch_op.drop_column('files')

    with op.batch_alter_table('studio_images', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_studio_images_uploaded_by_id'))
    op.drop_table('studio_images')

    with op.batch_alter_table('module_drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_module_drafts_updated_by_id'))
        batch_op.drop_index(batch_op.f('ix_module_drafts_updated_at'))
        batch_op.drop_index(batch_op.f('ix_module_drafts_created_by_id'))
    op.drop_table('module_drafts')
