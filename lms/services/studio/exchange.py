"""Import and export of a module in the ``modules/`` folder format, as a zip.

An export holds ``<slug>/module.yaml`` and the Markdown files it names, in name
order with fixed timestamps and permissions, so export → import → export gives the
same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile

from sqlalchemy import select

from lms.extensions import db
from lms.models import Module, ModuleDraft, User
from lms.services.errors import DomainError
from lms.services.studio.drafts import create_draft, draft_for_module, replace_files, validate

FIXED_TIME = (2000, 1, 1, 0, 0, 0)
FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*\.(md|yaml)$")
MAX_ZIP_BYTES = 2_000_000
MAX_FILES = 200


def export_zip(slug: str, files: dict[str, str]) -> bytes:
    """The folder ``slug/`` with ``files`` as a zip with stable bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{slug}/{name}", date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name].encode("utf-8"))
    return buffer.getvalue()


def read_zip(data: bytes) -> tuple[str, dict[str, str]]:
    """The folder name and files of an exported module. Raises ``DomainError`` at
    ``archive`` for anything that is not one module folder of YAML and Markdown."""
    if len(data) > MAX_ZIP_BYTES:
        raise DomainError("The file is larger than 2 MB.", field="archive")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, ValueError):
        raise DomainError("This is not a zip file.", field="archive") from None
    if not infos or len(infos) > MAX_FILES:
        raise DomainError("The zip holds no module folder.", field="archive")
    folders, files, total = set(), {}, 0
    for info in infos:
        folder, _, name = info.filename.partition("/")
        if not name or "/" in name or not FILE_NAME.match(name) or folder.startswith("."):
            raise DomainError(f"Unexpected entry {info.filename!r}: a module zip holds one "
                              "folder of module.yaml and Markdown files.", field="archive")
        total += info.file_size
        if total > MAX_ZIP_BYTES * 5:
            raise DomainError("The zip unpacks to too much text.", field="archive")
        folders.add(folder)
        try:
            files[name] = archive.read(info).decode("utf-8")
        except UnicodeDecodeError:
            raise DomainError(f"{info.filename} is not UTF-8 text.", field="archive") from None
        except (zipfile.BadZipFile, ValueError, RuntimeError):
            raise DomainError(f"{info.filename} could not be read.", field="archive") from None
    if len(folders) != 1 or "module.yaml" not in files:
        raise DomainError("The zip must hold one folder with a module.yaml.", field="archive")
    return folders.pop(), files


def import_zip(data: bytes, author: User) -> ModuleDraft:
    """Load an exported module into the studio as a draft (new, or replacing the draft of
    the module with that slug); publishing is a separate step. Raises ``DomainError`` at
    ``archive`` when the zip or its module is not valid (nothing is changed then)."""
    slug, files = read_zip(data)
    draft = db.session.scalar(select(ModuleDraft).where(ModuleDraft.slug == slug))
    probe = draft or ModuleDraft(slug=slug, files=files)
    result = validate(probe, files)
    if result.definition is None:
        raise DomainError("The module has problems: " + "; ".join(
            str(e) for e in result.errors[:10]), field="archive")
    if draft is None:
        module = db.session.scalar(select(Module).where(Module.slug == slug))
        draft = draft_for_module(module, author, files) if module is not None else create_draft(
            author, slug=slug, title=result.definition.data["title"])
    replace_files(draft, author, files)
    return draft
