"""The studio: authors and admins only; an uploaded image that a published version shows
for anyone signed in, one that only the draft uses for authors and admins."""

from tests.authz_matrix import ADMIN, AUTHOR, SIGNED_IN, Rule

AUTHORS = frozenset({AUTHOR, ADMIN})
DRAFT = {"draft_id": "studio_draft.id"}

ROWS = [
    Rule("studio.index", AUTHORS),
    Rule("studio.new_module", AUTHORS, "POST"),
    Rule("studio.adopt", AUTHORS, "POST", args={"module_id": "studio_module.id"}),
    Rule("studio.edit", AUTHORS, args=DRAFT),
    Rule("studio.edit", AUTHORS, "POST", args=DRAFT),
    Rule("studio.add_step", AUTHORS, "POST", args=DRAFT),
    Rule("studio.move_step", AUTHORS, "POST", args={**DRAFT, "index": "=0"}),
    Rule("studio.remove_step", AUTHORS, "POST", args={**DRAFT, "index": "=0"}),
    Rule("studio.edit_step", AUTHORS, args={**DRAFT, "index": "=0"}),
    Rule("studio.edit_step", AUTHORS, "POST", args={**DRAFT, "index": "=0"}),
    Rule("studio.markdown_preview", AUTHORS, "POST"),
    Rule("studio.publish", AUTHORS, "POST", args=DRAFT),
    Rule("studio.archive", AUTHORS, "POST", args=DRAFT),
    Rule("studio.preview", AUTHORS, args=DRAFT),
    Rule("studio.preview", AUTHORS, args={**DRAFT, "step_slug": "=welcome"}),
    Rule("studio.preview_answer", AUTHORS, "POST", args={**DRAFT, "step_slug": "=welcome"}),
    Rule("studio.history", AUTHORS, args=DRAFT),
    Rule("studio.diff", AUTHORS, args=DRAFT),
    Rule("studio.revert", AUTHORS, "POST", args={**DRAFT, "version_id": "studio_version.id"}),
    Rule("studio.export", AUTHORS, args=DRAFT),
    Rule("studio.import_module", AUTHORS, "POST"),
    Rule("studio.upload_image", AUTHORS, "POST", args=DRAFT),
    Rule("studio.image", SIGNED_IN, args={**DRAFT, "filename": "studio_image.filename"}),
    Rule("studio.image", AUTHORS, args={**DRAFT, "filename": "studio_draft_image.filename"}),
    Rule("studio.image", AUTHORS,
         args={"draft_id": "studio_unpublished_draft.id",
               "filename": "studio_unpublished_image.filename"}),
]


def build_world(world, factories):
    """A published studio module with one page, its version, the image the page shows and
    one only its draft uses; a never-published draft whose page shows an image."""
    from lms.content.kinds.page import KIND  # noqa: F401  (the registry is loaded)
    from lms.extensions import db
    from lms.models import StudioImage
    from lms.services.studio import drafts, publishing

    author = factories.make_user(roles=("author",), name="Matrix Author")

    def page_draft(slug, title, body):
        """A draft of one page, "welcome", whose Markdown is ``body(draft)``."""
        draft = drafts.create_draft(author, slug=slug, title=title)
        write_page(draft, body(draft))
        return draft

    def write_page(draft, markdown):
        step = drafts.step_at(draft, 0) if drafts.data_of(draft)["steps"] else None
        if step is None:
            step = drafts.step_at(draft, drafts.add_step(draft, author, "page"))
        step["slug"], step["body"] = "welcome", "welcome.md"
        drafts.replace_step(draft, author, 0, step, {"welcome.md": markdown})

    draft = page_draft("matrix-studio-module", "Matrix Studio",
                       lambda d: f"Hello.\n\n![A dot](/studio/images/{d.id}/dot.png)\n")
    world.studio_version = publishing.publish(draft, author)
    # Used by the draft only, after publishing.
    write_page(draft, f"Hello.\n\n![A dot](/studio/images/{draft.id}/dot.png)\n"
                      f"![New](/studio/images/{draft.id}/new-dot.png)\n")
    world.studio_draft = draft
    world.studio_module = draft.module
    world.studio_unpublished_draft = unpublished = page_draft(
        "matrix-unpublished", "Unpublished",
        lambda d: f"![A dot](/studio/images/{d.id}/dot.png)\n")

    def image(of, filename):
        made = StudioImage(draft_id=of.id, filename=filename, media_type="image/png",
                           data=b"\x89PNG\r\n\x1a\n")
        db.session.add(made)
        return made

    world.studio_image = image(draft, "dot.png")
    world.studio_draft_image = image(draft, "new-dot.png")
    world.studio_unpublished_image = image(unpublished, "dot.png")
    db.session.flush()
