"""Images for a module's pages: checked on upload, served as what they are.

An upload is accepted only when its bytes are a PNG, JPEG, GIF or WebP image (the
header, then Pillow reading it whole), at most ``MAX_BYTES``, under a plain file
name whose extension matches the type found. It is served with that type,
``nosniff`` and a sandbox policy, so it can never run as a page.
"""

from __future__ import annotations

import io
import re

from flask_babel import gettext as _
from sqlalchemy import select

from lms.extensions import db
from lms.models import ModuleDraft, ModuleVersion, StudioImage, User
from lms.services.errors import DomainError

MAX_BYTES = 2_000_000
SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png", ("png",), "PNG"),
    (b"\xff\xd8\xff", "image/jpeg", ("jpg", "jpeg"), "JPEG"),
    (b"GIF87a", "image/gif", ("gif",), "GIF"),
    (b"GIF89a", "image/gif", ("gif",), "GIF"),
)
NAME = re.compile(r"[^a-z0-9-]+")


def _sniff(data: bytes) -> tuple[str, tuple[str, ...], str] | None:
    for magic, media_type, extensions, pillow_format in SIGNATURES:
        if data.startswith(magic):
            return media_type, extensions, pillow_format
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", ("webp",), "WEBP"
    return None


def _really_an_image(data: bytes, pillow_format: str) -> bool:
    try:
        from PIL import Image, UnidentifiedImageError
    except ImportError:  # pragma: no cover - Pillow comes with the PDF library
        return True
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != pillow_format:
                return False
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False
    return True


def upload(draft: ModuleDraft, author: User | None, filename: str, data: bytes) -> StudioImage:
    """Store an image for ``draft`` (replacing one of the same name); ``author`` None for
    one synced from a module folder. Raises ``DomainError`` at ``image`` when it is too
    large, not an image of an accepted type, or misnamed."""
    if len(data) > MAX_BYTES:
        raise DomainError(_("The image is larger than 2 MB."), field="image")
    found = _sniff(data)
    if found is None:
        raise DomainError(_("Upload a PNG, JPEG, GIF or WebP image."), field="image")
    media_type, extensions, pillow_format = found
    stem, _dot, extension = filename.lower().rpartition(".")
    if extension not in extensions:
        raise DomainError(_("The file is a %(format)s image; its name must end in "
                            ".%(extension)s.", format=pillow_format, extension=extensions[0]),
                          field="image")
    if not _really_an_image(data, pillow_format):
        raise DomainError(_("The file could not be read as an image."), field="image")
    stem = NAME.sub("-", stem).strip("-")[:80] or "image"
    name = f"{stem}.{extension}"
    image = db.session.scalar(select(StudioImage).where(
        StudioImage.draft_id == draft.id, StudioImage.filename == name))
    if image is None:
        image = StudioImage(draft_id=draft.id, filename=name)
        db.session.add(image)
    image.media_type = media_type
    image.data = data
    image.uploaded_by_id = author.id if author is not None else None
    db.session.flush()
    return image


def images_of(draft: ModuleDraft) -> list[StudioImage]:
    return list(db.session.execute(select(StudioImage).where(
        StudioImage.draft_id == draft.id).order_by(StudioImage.filename)).scalars())


def find(draft_id: int, filename: str) -> StudioImage | None:
    return db.session.scalar(select(StudioImage).where(
        StudioImage.draft_id == draft_id, StudioImage.filename == filename))


def url_of(image: StudioImage) -> str:
    """The address Markdown uses for the image (``lms.content.markdown`` allows only these)."""
    return f"/studio/images/{image.draft_id}/{image.filename}"


def is_published(image: StudioImage) -> bool:
    """True when a published version of the image's module shows it: the module is in the
    catalogue and one of its versions' files names the image's address. An image that
    only a draft uses is not (its draft may never be published)."""
    draft = db.session.get(ModuleDraft, image.draft_id)
    module = draft.module if draft is not None else None
    if module is None or not module.is_published:
        return False
    named = re.compile(re.escape(url_of(image)) + r"(?![\w.-])")
    versions = db.session.scalars(select(ModuleVersion.files).where(
        ModuleVersion.module_id == module.id))
    return any(named.search(text) for files in versions if files for text in files.values())
