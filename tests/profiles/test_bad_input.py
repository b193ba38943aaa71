"""Every bad input of issue 5 is refused with one ReadError: a stable code and a message that
says what is wrong and what to do. Nothing here is read half-way."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from app.profiles import HEADERS, Limits, ReadError, read_sheet
from app.profiles.errors import READ_ERROR_CODES
from tests.profiles.conftest import row, write_csv, write_xlsx

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
       b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
       b"\x00\x00\x00IEND\xaeB`\x82")


def refused(path: Path, code: str, *words: str, **kwargs: object) -> ReadError:
    with pytest.raises(ReadError) as caught:
        read_sheet(path, **kwargs)  # type: ignore[arg-type]
    error = caught.value
    assert error.code == code, str(error)
    assert code in READ_ERROR_CODES
    message = str(error)
    assert message == error.message
    assert len(message) > 40
    assert message.rstrip().endswith("."), message
    for word in words:
        assert word.lower() in message.lower(), message
    return error


def _xlsx(tmp_path: Path, name: str = "good.xlsx") -> Path:
    return write_xlsx(tmp_path / name, [row(0), row(1)])


def test_png_renamed_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "clients.xlsx"
    path.write_bytes(PNG)
    refused(path, "file.not_spreadsheet", "PNG image", ".xlsx")


def test_binary_without_known_magic(tmp_path: Path) -> None:
    path = tmp_path / "clients.csv"
    path.write_bytes(b"\x01\x02\x03garbage\x00\x00\xff" * 50)
    refused(path, "file.not_spreadsheet", "binary")


def test_truncated_xlsx(tmp_path: Path) -> None:
    data = _xlsx(tmp_path).read_bytes()
    path = tmp_path / "truncated.xlsx"
    path.write_bytes(data[: len(data) // 2])
    refused(path, "file.damaged", "save it again")


@pytest.mark.parametrize("stream", ["EncryptionInfo", "Workbook"])
def test_encrypted_or_legacy_ole_file(tmp_path: Path, stream: str) -> None:
    # An OLE2 compound file header (what Excel writes for .xls and for password-protected files)
    header = bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff"
    path = tmp_path / "protected.xlsx"
    path.write_bytes(header + b"\x00" * 482 + stream.encode("utf-16-le") + b"\x00" * 1024)
    refused(path, "file.encrypted_or_xls", "encrypted", ".xls", "without a password")


def test_zip_bomb_is_refused_by_size_before_reading(tmp_path: Path) -> None:
    base = zipfile.ZipFile(_xlsx(tmp_path))
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in base.infolist():
            zf.writestr(info.filename, base.read(info))
        with zf.open("xl/media/padding.bin", "w") as part:  # 64 MB of zeros, ~64 KB packed
            chunk = b"\x00" * (1 << 22)
            for _ in range(16):
                part.write(chunk)
    assert path.stat().st_size < 200_000
    refused(path, "file.zip_bomb", "zip bomb")
    # and by total size alone, when the ratio is ordinary
    refused(path, "file.zip_bomb", "limit",
            limits=Limits(max_compression_ratio=1e9, max_uncompressed_bytes=10_000_000))


def test_zip_with_too_many_entries(tmp_path: Path) -> None:
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        for n in range(60):
            zf.writestr(f"x/{n}", b"")
    refused(path, "file.zip_bomb", "parts", limits=Limits(max_zip_entries=50))


def test_entry_lying_about_its_size_is_refused(tmp_path: Path) -> None:
    source = zipfile.ZipFile(_xlsx(tmp_path))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * 5_000_000)
            zf.writestr(info.filename, data)
    raw = bytearray(out.getvalue())
    info = zipfile.ZipFile(io.BytesIO(bytes(raw))).getinfo("xl/worksheets/sheet1.xml")
    struct.pack_into("<I", raw, info.header_offset + 22, 20_000)  # local header: "20 KB"
    central = raw.rfind(b"xl/worksheets/sheet1.xml") - 46
    assert raw[central:central + 4] == b"PK\x01\x02"
    struct.pack_into("<I", raw, central + 24, 20_000)  # central directory too
    path = tmp_path / "liar.xlsx"
    path.write_bytes(bytes(raw))
    refused(path, "file.damaged", "save it again")


def _patched(tmp_path: Path, name: str, change: bytes, text: bytes = b">Ada<",
             into: bytes = b">&lol9;<") -> Path:
    """The good workbook with a DTD in its sheet XML (xlsxwriter writes inline strings in
    constant_memory mode, so the sheet holds the text)."""
    import xlsxwriter

    plain = tmp_path / "plain.xlsx"
    book = xlsxwriter.Workbook(str(plain), {"constant_memory": True})
    sheet = book.add_worksheet("Client Profiles")
    sheet.write_row(0, 0, HEADERS)
    sheet.write_row(1, 0, row(0))
    book.close()
    source = zipfile.ZipFile(plain)
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"?>", b"?>" + change, 1).replace(text, into, 1)
            zf.writestr(info.filename, data)
    return path


def test_billion_laughs(tmp_path: Path) -> None:
    entities = b'<!ENTITY lol0 "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (n, b"&lol%d;" % (n - 1) * 10) for n in range(1, 10))
    path = _patched(tmp_path, "laughs.xlsx", b"<!DOCTYPE lolz [" + entities + b"]>")
    refused(path, "file.damaged", "entit")


def test_external_entity(tmp_path: Path) -> None:
    path = _patched(tmp_path, "xxe.xlsx",
                    b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
                    into=b">&xxe;<")
    refused(path, "file.damaged", "entit")


def test_dtd_without_use_is_refused_too(tmp_path: Path) -> None:
    path = _patched(tmp_path, "dtd.xlsx", b'<!DOCTYPE x [<!ENTITY a "b">]>', into=b">Ada<")
    refused(path, "file.damaged")


def test_zero_bytes(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    refused(path, "file.empty", "0 bytes")


def test_header_only(tmp_path: Path) -> None:
    refused(write_csv(tmp_path / "h.csv", []), "sheet.no_rows", "header row", "no profile rows")
    refused(write_xlsx(tmp_path / "h.xlsx", []), "sheet.no_rows", "row 1")


def test_no_header(tmp_path: Path) -> None:
    path = tmp_path / "n.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    refused(path, "sheet.no_header", "First Name")
    refused(write_xlsx(tmp_path / "n.xlsx", [["x"]], headers=["Name", "Phone number"]),
            "sheet.no_header", "First Name")


def test_mixed_delimiters(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    lines = [",".join(HEADERS), ",".join(row(0)), ";".join(row(1)), ",".join(row(2))]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    refused(path, "csv.mixed_delimiters", "row 3", "semicolon", "comma")


def test_twenty_megabyte_cell(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    write_csv(path, [row(0, notes="x" * 20_000_000)])
    refused(path, "csv.cell_too_large", "row 2")


def test_long_cell_under_the_csv_field_limit(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "long.csv", [row(0, notes="x" * 40_000)])
    refused(path, "csv.cell_too_large", "row 2", "32,767")


def test_five_thousand_columns(tmp_path: Path) -> None:
    headers = [*HEADERS, *[f"Extra {n}" for n in range(5_000 - len(HEADERS))]]
    refused(write_csv(tmp_path / "wide.csv", [row(0)], headers=headers),
            "sheet.too_many_columns", "5,000", "256")
    refused(write_xlsx(tmp_path / "wide.xlsx", [row(0)], headers=headers),
            "sheet.too_many_columns", "5,000")


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "big.csv", [row(n) for n in range(200)])
    refused(path, "file.too_large", "split", limits=Limits(max_file_bytes=10_000))
    refused(_xlsx(tmp_path), "file.too_large", limits=Limits(max_file_bytes=1_000))


def test_too_many_rows(tmp_path: Path) -> None:
    rows = [row(n) for n in range(20)]
    refused(write_csv(tmp_path / "r.csv", rows), "sheet.too_many_rows",
            limits=Limits(max_rows=10))
    refused(write_xlsx(tmp_path / "r.xlsx", rows), "sheet.too_many_rows",
            limits=Limits(max_rows=10))


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "doc.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", '<Types><Override ContentType="application/'
                    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                    "</Types>")
    refused(path, "file.not_spreadsheet", "not a workbook")
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("photo.jpg", b"\xff\xd8\xff")
    refused(path, "file.not_spreadsheet", "ZIP archive")


def test_xlsb(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsb"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", '<Types><Override ContentType="application/'
                    'vnd.ms-excel.sheet.binary.macroEnabled.main"/></Types>')
    refused(path, "file.unsupported", ".xlsb")


def test_empty_zip(tmp_path: Path) -> None:
    path = tmp_path / "e.xlsx"
    with zipfile.ZipFile(path, "w"):
        pass
    refused(path, "file.damaged")


def test_sheet_not_found(tmp_path: Path) -> None:
    refused(_xlsx(tmp_path), "sheet.not_found", "Client Profiles", sheet_name="Nope")


def test_text_that_is_not_any_known_encoding(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes((",".join(HEADERS) + "\r\nAda,L\x81ovelace\r\n").encode("latin-1"))
    refused(path, "csv.encoding", "UTF-8")


def test_missing_file_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_sheet(tmp_path / "nope.csv")
