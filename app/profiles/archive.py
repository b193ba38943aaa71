"""ZIP-based workbooks (XLSX, ODS): what kind they are, and whether they are safe to open.

python-calamine does not guard against zip bombs, so the archive's directory is checked first:
entry count, total uncompressed size and per-entry compression ratio. (An entry that lies about
its size is refused by calamine itself: "File is larger than its declared uncompressed size".)
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from typing import Literal
from xml.etree import ElementTree

from app.profiles.errors import ReadError
from app.profiles.limits import MB, Limits

WorkbookKind = Literal["xlsx", "ods"]

_SMALL_PART_LIMIT = 4 * MB  # [Content_Types].xml, workbook.xml, its .rels, mimetype
_RATIO_APPLIES_ABOVE = 1 * MB
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)

ODS_MIMETYPES = (b"application/vnd.oasis.opendocument.spreadsheet",
                 b"application/vnd.oasis.opendocument.spreadsheet-template")
_XLSX_CONTENT = (b"spreadsheetml.sheet.main+xml", b"spreadsheetml.template.main+xml",
                 b"ms-excel.sheet.macroEnabled.main+xml",
                 b"ms-excel.template.macroEnabled.main+xml")
_XLSB_CONTENT = b"ms-excel.sheet.binary.macroEnabled.main"


def damaged(detail: str) -> ReadError:
    return ReadError("file.damaged",
                     f"The workbook is damaged or not a real spreadsheet ({detail}). Open it in "
                     "Excel or LibreOffice and save it again as .xlsx, or export it as CSV.")


def check_archive(zf: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse an archive that would expand beyond the limits, before anything is decompressed."""
    infos = zf.infolist()
    if len(infos) > limits.max_zip_entries:
        raise ReadError("file.zip_bomb",
                        f"The workbook archive has {len(infos):,} parts; a spreadsheet has a few "
                        f"dozen and at most {limits.max_zip_entries:,} are accepted. The file is "
                        "not a normal workbook: save it again from Excel or export it as CSV.")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ReadError("file.encrypted_or_xls",
                            "The workbook's archive is password-protected. Save it as .xlsx "
                            "without a password and import that file.")
        total += info.file_size
        if (info.file_size > _RATIO_APPLIES_ABOVE
                and info.file_size > limits.max_compression_ratio * max(info.compress_size, 1)):
            raise ReadError("file.zip_bomb",
                            f"The workbook part {info.filename!r} expands {info.file_size:,} "
                            f"bytes from {info.compress_size:,} (more than "
                            f"{limits.max_compression_ratio:g}× compression): this looks like a "
                            "zip bomb, so it was not opened. Export the data again as .xlsx or "
                            "CSV from the program that made it.")
    if total > limits.max_uncompressed_bytes:
        raise ReadError("file.zip_bomb",
                        f"The workbook expands to {total / MB:,.0f} MB, over the "
                        f"{limits.max_uncompressed_bytes / MB:,.0f} MB limit, so it was not "
                        "opened. Split the profiles into smaller files, or check that the file "
                        "is the spreadsheet you meant.")


def read_small(zf: zipfile.ZipFile, name: str) -> bytes:
    """A small metadata part, refused if it declares a DTD (XML entity tricks)."""
    info = zf.getinfo(name)
    if info.file_size > _SMALL_PART_LIMIT:
        raise damaged(f"the part {name} is {info.file_size:,} bytes")
    data = zf.read(info)
    if _DOCTYPE.search(data):
        raise damaged(f"{name} declares XML entities")
    return data


def workbook_kind(zf: zipfile.ZipFile) -> WorkbookKind:
    """XLSX or ODS, from [Content_Types].xml or the ODF mimetype entry (never the file name)."""
    names = set(zf.namelist())
    if "mimetype" in names:
        mimetype = read_small(zf, "mimetype").strip()
        if mimetype in ODS_MIMETYPES:
            if "content.xml" not in names:
                raise damaged("the ODS file has no content.xml")
            return "ods"
        raise _not_a_workbook(mimetype.decode("ascii", "replace"))
    if "[Content_Types].xml" in names:
        content_types = read_small(zf, "[Content_Types].xml")
        if any(marker in content_types for marker in _XLSX_CONTENT):
            return "xlsx"
        if _XLSB_CONTENT in content_types:
            raise ReadError("file.unsupported",
                            "This is an Excel binary workbook (.xlsb), which is not read here. "
                            "Save it as .xlsx (Excel Workbook) or CSV and import that file.")
        raise _not_a_workbook("an Office document that is not a workbook")
    raise _not_a_workbook("a ZIP archive")


def _not_a_workbook(what: str) -> ReadError:
    return ReadError("file.not_spreadsheet",
                     f"This file is {what}, not a spreadsheet. Import an .xlsx, .ods or .csv "
                     "file in the client-profile template.")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def xlsx_sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its worksheet part in the archive (from xl/workbook.xml and its .rels)."""
    try:
        workbook = ElementTree.fromstring(read_small(zf, "xl/workbook.xml"))
        rels = ElementTree.fromstring(read_small(zf, "xl/_rels/workbook.xml.rels"))
    except KeyError as exc:
        raise damaged(f"missing {exc.args[0]}") from None
    except ElementTree.ParseError as exc:
        raise damaged(f"workbook.xml: {exc}") from None
    targets: dict[str, str] = {}
    for rel in rels:
        rel_id, target = rel.get("Id"), rel.get("Target")
        if rel_id and target:
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join("xl", target))
            targets[rel_id] = part
    parts: dict[str, str] = {}
    for element in workbook.iter():
        if _local(element.tag) != "sheet":
            continue
        rel_id = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
        name = element.get("name")
        if name is not None and rel_id in targets:
            parts[name] = targets[rel_id]
    return parts


def open_archive(path: Path, limits: Limits) -> tuple[WorkbookKind, dict[str, str]]:
    """Check a ZIP workbook and return its kind and (XLSX) sheet parts."""
    try:
        with zipfile.ZipFile(path) as zf:
            check_archive(zf, limits)
            kind = workbook_kind(zf)
            parts = xlsx_sheet_parts(zf) if kind == "xlsx" else {}
    except zipfile.BadZipFile as exc:
        raise damaged(f"the archive is truncated or corrupt: {exc}") from None
    except (zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise damaged(str(exc)) from None
    return kind, parts
