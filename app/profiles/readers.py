"""Read a client-profile file: the format comes from its first bytes, never its name.

    sheet = read_sheet(path)              # XLSX, ODS or CSV → Sheet, or ReadError

`PK\\x03\\x04` is a ZIP archive (XLSX or ODS, told apart by its content types or mimetype entry);
`D0 CF 11 E0` is an OLE2 file: an encrypted workbook or a legacy .xls, both refused; known
binary formats (images, PDF, archives) are refused; anything else is read as CSV text.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from pathlib import Path
from typing import Literal

from app.gcpause import paused_gc
from app.profiles.csvfile import read_csv
from app.profiles.errors import ReadError
from app.profiles.limits import DEFAULT_LIMITS, MB, Limits
from app.profiles.sheet import Sheet
from app.profiles.workbook import read_workbook

FileFormat = Literal["zip", "csv"]

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EMPTY_ZIP = b"PK\x05\x06"
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"{\\rtf", "an RTF document"),
    (b"\x00\x00\x01\x00", "an icon"),
    (b"\x7fELF", "a program"),
)


def detect_format(head: bytes) -> FileFormat:
    """"zip" or "csv" from a file's first bytes; other formats raise ReadError."""
    if not head:
        raise ReadError("file.empty",
                        "The file is empty (0 bytes). Choose the file that holds the profiles; "
                        "if it was just saved, save it again and retry.")
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(OLE_MAGIC):
        raise ReadError("file.encrypted_or_xls",
                        "This workbook is encrypted (password-protected) or in the legacy .xls "
                        "format, which are not read. Open it in Excel and save it as .xlsx "
                        "without a password, then import that file.")
    if head.startswith(_EMPTY_ZIP):
        raise ReadError("file.damaged",
                        "The file is an empty ZIP archive, not a workbook. Save the profiles "
                        "again as .xlsx or CSV.")
    for magic, what in _BINARY_MAGIC:
        if head.startswith(magic):
            raise ReadError("file.not_spreadsheet",
                            f"This file is {what}, not a spreadsheet, whatever its name says. "
                            "Import an .xlsx, .ods or .csv file in the client-profile template.")
    return "csv"


def read_sheet(path: str | os.PathLike[str], *, sheet_name: str | None = None,
               encoding: str | None = None, delimiter: str | None = None,
               limits: Limits = DEFAULT_LIMITS) -> Sheet:
    """Read the profile sheet of an XLSX, ODS or CSV file.

    `sheet_name` picks a workbook sheet (default: "Client Profiles", else the first sheet with a
    header row). `encoding` and `delimiter` override CSV detection. Every refusal is a
    ReadError whose message says what is wrong and what to do; OSError (missing file, no
    permission) passes through.
    """
    file = Path(path)
    size = file.stat().st_size
    if size > limits.max_file_bytes:
        raise ReadError("file.too_large",
                        f"The file is {size / MB:,.1f} MB; profile files may be at most "
                        f"{limits.max_file_bytes / MB:,.0f} MB. Split it into smaller files.")
    with file.open("rb") as stream:
        head = stream.read(16)
    kind = detect_format(head)
    with paused_gc():
        if kind == "zip":
            sheet = read_workbook(file, limits, sheet_name)
        else:
            sheet = read_csv(file, limits, encoding, delimiter)
    with file.open("rb") as stream:  # an import's audit row names the file and its hash
        digest = hashlib.file_digest(stream, "sha256").hexdigest()
    return replace(sheet, file=file.name, sha256=digest)
