"""Import and export of a module in the ``modules/`` folder format, as a zip.

An export holds ``<slug>/module.yaml``, the Markdown files it names and the draft's
images under ``<slug>/images/``, in name order with fixed timestamps and permissions,
so export → import → export gives the same bytes. In the zip, Markdown names an image
by its place in the folder (``images/dot.png``); in the studio, by the address it is
served at (``/studio/images/<draft>/dot.png``), so it travels with the module to
another draft or another installation.
"""

from __future__ import annotations

import io
import re
import zipfile

from flask_babel import gettext as _
from sqlalchemy import select

from lms.content.markdown import IMAGE_FOLDER, IMAGE_NAME, serve_images
from lms.content.schema import ModuleDefinition
from lms.extensions import db
from lms.models import Module, ModuleDraft, User, utcnow
from lms.services.errors import DomainError
from lms.services.studio import images as studio_images
from lms.services.studio.drafts import (
    create_draft,
    draft_for_module,
    has_unpublished_changes,
    replace_files,
    validate,
)

FIXED_TIME = (2000, 1, 1, 0, 0, 0)
FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*\.(md|yaml)$")
MAX_ZIP_BYTES = 10_000_000
MAX_FILES = 200


def export_zip(slug: str, files: dict[str, str],
               images: dict[str, bytes] | None = None) -> bytes:
    """The folder ``slug/`` with ``files`` and, under ``images/``, ``images`` as a zip
    with stable bytes."""
    entries = {name: text.encode("utf-8") for name, text in files.items()}
    entries.update({f"{IMAGE_FOLDER}/{name}": data for name, data in (images or {}).items()})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(f"{slug}/{name}", date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, entries[name])
    return buffer.getvalue()


def _served_at(draft_id: int) -> re.Pattern[str]:
    return re.compile(r"\]\(/studio/images/" + str(draft_id) + r"/(?=[a-z0-9-]+\.)")


def export_draft(draft: ModuleDraft) -> bytes:
    """The draft as a zip: its files, Markdown naming its images by their place in the
    folder, and the images themselves."""
    served = _served_at(draft.id)
    files = {name: served.sub(f"]({IMAGE_FOLDER}/", text) if name.endswith(".md") else text
             for name, text in draft.files.items()}
    return export_zip(draft.slug, files, {image.filename: image.data
                                          for image in studio_images.images_of(draft)})


def read_zip(data: bytes) -> tuple[str, dict[str, str], dict[str, bytes]]:
    """The folder name, text files and images of an exported module. Raises
    ``DomainError`` at ``archive`` for anything that is not one module folder of YAML and
    Markdown with, in ``images/``, its images."""
    if len(data) > MAX_ZIP_BYTES:
        raise DomainError(_("The file is larger than 10 MB."), field="archive")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, ValueError):
        raise DomainError(_("This is not a zip file."), field="archive") from None
    if not infos or len(infos) > MAX_FILES:
        raise DomainError(_("The zip holds no module folder."), field="archive")
    folders, files, pictures, total = set(), {}, {}, 0
    for info in infos:
        folder, _slash, name = info.filename.partition("/")
        subfolder, _slash, image_name = name.partition("/")
        if subfolder == IMAGE_FOLDER and IMAGE_NAME.match(image_name) \
                and not folder.startswith("."):
            total += info.file_size
            if total > MAX_ZIP_BYTES * 5:
                raise DomainError(_("The zip unpacks to too much text."), field="archive")
            folders.add(folder)
            try:
                pictures[image_name] = archive.read(info)
            except (zipfile.BadZipFile, ValueError, RuntimeError):
                raise DomainError(_("%(name)s could not be read.", name=info.filename),
                                  field="archive") from None
            continue
        if not name or "/" in name or not FILE_NAME.match(name) or folder.startswith("."):
            raise DomainError(_("Unexpected entry %(entry)s: a module zip holds one folder of "
                                "module.yaml and Markdown files.", entry=repr(info.filename)),
                              field="archive")
        total += info.file_size
        if total > MAX_ZIP_BYTES * 5:
            raise DomainError(_("The zip unpacks to too much text."), field="archive")
        folders.add(folder)
        try:
            files[name] = archive.read(info).decode("utf-8")
        except UnicodeDecodeError:
            raise DomainError(_("%(name)s is not UTF-8 text.", name=info.filename),
                              field="archive") from None
        except (zipfile.BadZipFile, ValueError, RuntimeError):
            raise DomainError(_("%(name)s could not be read.", name=info.filename),
                              field="archive") from None
    if len(folders) != 1 or "module.yaml" not in files:
        raise DomainError(_("The zip must hold one folder with a module.yaml."),
                          field="archive")
    return folders.pop(), files, pictures


def import_zip(data: bytes, author: User) -> ModuleDraft:
    """Load an exported module into the studio as a draft (new, or replacing the draft of
    the module with that slug); publishing is a separate step. Raises ``DomainError`` at
    ``archive`` when the zip, its module or one of its images is not valid (nothing is
    changed then)."""
    slug, files, pictures = read_zip(data)
    draft = db.session.scalar(select(ModuleDraft).where(ModuleDraft.slug == slug))
    probe = draft or ModuleDraft(slug=slug, files=files)
    result = validate(probe, files)
    if result.definition is None:
        raise DomainError(_("The module has problems: %(problems)s", problems="; ".join(
            str(e) for e in result.errors[:10])), field="archive")
    if draft is None:
        module = db.session.scalar(select(Module).where(Module.slug == slug))
        draft = draft_for_module(module, author, files) if module is not None else create_draft(
            author, slug=slug, title=result.definition.data["title"])
    for name, picture in sorted(pictures.items()):
        try:
            studio_images.upload(draft, author, name, picture)
        except DomainError as problem:
            raise DomainError(f"{IMAGE_FOLDER}/{name}: {problem.message}",
                              field="archive") from None
    served = f"/studio/images/{draft.id}/"
    replace_files(draft, author, {
        name: serve_images(text, served) if name.endswith(".md") else text
        for name, text in files.items()})
    return draft


def store_folder_images(module: Module, definition: ModuleDefinition) -> str:
    """Keep the images of a module folder that ``flask modules sync`` loads as the studio
    keeps an imported zip's: uploaded images of the module's draft (made for it if it has
    none, holding the folder's files with Markdown naming the images where they are
    served; a draft without unpublished changes takes the folder's files). Returns the
    address they are served under. Raises ``ValueError`` for an image that is not one, or
    when an unpublished draft of that name is not the module's."""
    draft = db.session.scalar(select(ModuleDraft).where(ModuleDraft.slug == module.slug))
    if draft is not None and draft.module_id != module.id:
        raise ValueError(f"the studio has a draft named {module.slug} that is not this "
                         "module; publish or export it first")
    refresh = draft is None or not has_unpublished_changes(draft)
    if draft is None:
        draft = ModuleDraft(slug=module.slug, module_id=module.id, files={})
        db.session.add(draft)
        db.session.flush()
    for name, data in sorted(definition.images.items()):
        try:
            studio_images.upload(draft, None, name, data)
        except DomainError as problem:
            raise ValueError(f"{IMAGE_FOLDER}/{name}: {problem.message}") from None
    served = f"/studio/images/{draft.id}/"
    if refresh:
        draft.files = {name: serve_images(text, served) if name.endswith(".md") else text
                       for name, text in sorted(definition.files.items())}
        draft.published_hash = definition.content_hash
        draft.updated_at = utcnow()
    return served
