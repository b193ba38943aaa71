"""`preflight profiles validate|import|export` run as a user runs them (docs/architecture.md §10,
issue 5): exit codes, the JSON shapes, human output, and every bad input leaving the workspace as
it was.
"""

from __future__ import annotations

import hashlib
import sqlite3
import zipfile
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from app.profiles import HEADERS, read_sheet, validate_rows
from tests.cli.helpers import Result, assert_unchanged, run_cli, run_raw, snapshot
from tests.profiles.conftest import row, write_csv, write_xlsx
from tests.profiles.test_bad_input import PNG, _patched


@pytest.fixture
def fresh_ws(fresh_ws: Path) -> Path:
    """The sample workspace, opened once by the app before a test takes its baseline (so a
    migration added meanwhile by the code under test is not mistaken for a change)."""
    from app.services.workspace import Workspace

    Workspace.open(fresh_ws).close()
    return fresh_ws


def site_of(workspace: Path) -> tuple[str, str]:
    """(id, name) of a site of the sample workspace whose name is unique."""
    with closing(sqlite3.connect(workspace)) as db:
        found = db.execute("SELECT id, name FROM sites WHERE deleted_at IS NULL GROUP BY name "
                           "HAVING count(*) = 1 ORDER BY name LIMIT 1").fetchone()
    return str(found[0]), str(found[1])


def profile_count(workspace: Path, site_id: str) -> int:
    """Live profiles of one site (the sample has profiles of its own on another site)."""
    with closing(sqlite3.connect(workspace)) as db:
        return int(db.execute("SELECT count(*) FROM client_profiles "
                              "WHERE deleted_at IS NULL AND site_id = ?",
                              (site_id,)).fetchone()[0])


def checksum(workspace: Path) -> str:
    """A digest of every row of every table."""
    return hashlib.sha256(repr(snapshot(workspace)).encode()).hexdigest()


def mixed(tmp_path: Path, name: str = "mixed.csv") -> Path:
    """Rows 2 and 4 valid, row 3 a hyphenated phone, row 5 "UK", row 6 a provider (warning)."""
    data = [row(0), row(1, mobile_phone="201-555-0123"), row(2),
            row(3, mobile_country_code="UK", mobile_phone="07400123456"),
            row(4, mobile_provider="Verizon")]
    if name.endswith(".xlsx"):
        return write_xlsx(tmp_path / name, data)
    return write_csv(tmp_path / name, data)


# --- validate -----------------------------------------------------------------------------------

def test_validate_json_is_the_contract_shape(tmp_path: Path) -> None:
    result = run_raw("profiles", "validate", str(mixed(tmp_path)), "--json")
    assert result.code == 1, str(result)
    body = result.json()
    assert list(body) == ["rows", "valid_rows", "issues"]
    assert (body["rows"], body["valid_rows"]) == (5, 3)
    assert body["issues"] == [
        {"row": 3, "column": "Mobile Phone", "severity": "error", "code": "phone.not_digits",
         "message": "Write Mobile Phone with digits only: no spaces, hyphens, brackets, dots "
                    "or '+'.", "fix": "2015550123"},
        {"row": 5, "column": "Mobile Country Code", "severity": "error",
         "code": "country_code.invalid",
         "message": "'UK' is not a 2-letter ISO country code. Use GB.", "fix": "GB"},
        {"row": 6, "column": "Mobile Provider", "severity": "warning",
         "code": "provider.not_blank",
         "message": "Leave Mobile Provider blank: it will probably not sync to the Help Desk.",
         "fix": ""},
    ]
    assert result.stderr == ""


def test_validate_human_lines(tmp_path: Path) -> None:
    result = run_raw("profiles", "validate", str(mixed(tmp_path, "m.xlsx")))
    assert result.code == 1, str(result)
    assert result.stdout.splitlines() == [
        "row 3, column Mobile Phone: error phone.not_digits: Write Mobile Phone with digits "
        "only: no spaces, hyphens, brackets, dots or '+'. (fix: 2015550123)",
        "row 5, column Mobile Country Code: error country_code.invalid: 'UK' is not a "
        "2-letter ISO country code. Use GB. (fix: GB)",
        "row 6, column Mobile Provider: warning provider.not_blank: Leave Mobile Provider "
        "blank: it will probably not sync to the Help Desk. (fix: clear the cell)",
        "5 row(s), 3 valid; 2 error(s), 1 warning(s)",
    ]


def test_validate_warnings_only_exits_0(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "w.csv", [row(0, mobile_sms_gateway="txt.att.net"), row(1)])
    result = run_raw("profiles", "validate", str(path), "--json")
    assert result.code == 0, str(result)
    assert [i["code"] for i in result.json()["issues"]] == ["sms_gateway.not_blank"]
    clean = run_raw("profiles", "validate", str(write_csv(tmp_path / "c.csv", [row(0)])))
    assert clean.code == 0
    assert clean.stdout == "1 row(s), 1 valid; 0 error(s), 0 warning(s)\n"


def test_validate_needs_no_workspace_but_uses_one_with_site(fresh_ws: Path,
                                                           tmp_path: Path) -> None:
    site_id, _ = site_of(fresh_ws)
    path = write_csv(tmp_path / "p.csv", [row(0), row(1)])
    assert run_cli(fresh_ws, "profiles", "import", str(write_csv(tmp_path / "one.csv",
                                                                 [row(0)])),
                   "--site", site_id).code == 0
    result = run_cli(fresh_ws, "profiles", "validate", str(path), "--site", site_id, "--json")
    assert result.code == 0, str(result)
    assert [(i["row"], i["code"]) for i in result.json()["issues"]] == [
        (2, "duplicate.existing")]
    missing = run_raw("profiles", "validate", str(path), "--site", "x",
                      "--workspace", str(tmp_path / "none.preflight"))
    assert missing.code == 2
    assert "no workspace at" in missing.stderr


def test_csv_overrides(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "semi.csv", [row(0)], delimiter=";", encoding="cp1252")
    ok = run_raw("profiles", "validate", str(path), "--delimiter", ";", "--encoding", "cp1252")
    assert ok.code == 0, str(ok)
    wrong = run_raw("profiles", "validate", str(path), "--delimiter", "tab")
    assert wrong.code == 1, str(wrong)
    assert "cannot import" in wrong.stderr
    bad = run_raw("profiles", "validate", str(path), "--encoding", "klingon")
    assert bad.code == 2
    assert "unknown encoding 'klingon'" in bad.stderr
    bad = run_raw("profiles", "validate", str(path), "--delimiter", ";;")
    assert bad.code == 2
    assert "one character" in bad.stderr
    book = write_xlsx(tmp_path / "b.xlsx", [row(0)], sheet="People")
    assert run_raw("profiles", "validate", str(book), "--sheet", "People").code == 0
    nope = run_raw("profiles", "validate", str(book), "--sheet", "Nope")
    assert nope.code == 1
    assert "Nope" in nope.stderr


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = run_raw("profiles", "validate", str(tmp_path / "nope.csv"))
    assert result.code == 2
    assert "no file at" in result.stderr
    folder = run_raw("profiles", "validate", str(tmp_path))
    assert folder.code == 2
    assert "is not a file" in folder.stderr


# --- import ---------------------------------------------------------------------------------------

def test_import_refused_writes_nothing_and_shows_the_report(fresh_ws: Path,
                                                           tmp_path: Path) -> None:
    site_id, _ = site_of(fresh_ws)
    before = checksum(fresh_ws)
    result = run_cli(fresh_ws, "profiles", "import", str(mixed(tmp_path)), "--site", site_id,
                     "--json")
    assert result.code == 1, str(result)
    body = result.json()
    assert body["refused"] is True
    assert [i["row"] for i in body["report"]["issues"]] == [3, 5, 6]
    assert "nothing was imported" in body["message"]
    assert "preflight: refused: 2 row(s) of the file have errors" in result.stderr
    assert "--skip-invalid" in result.stderr
    assert checksum(fresh_ws) == before
    human = run_cli(fresh_ws, "profiles", "import", str(mixed(tmp_path)), "--site", site_id)
    assert human.code == 1
    assert human.stdout.splitlines()[0].startswith("row 3, column Mobile Phone: error")
    assert checksum(fresh_ws) == before


def test_import_json_and_reimport(fresh_ws: Path, tmp_path: Path) -> None:
    site_id, site_name = site_of(fresh_ws)
    path = write_csv(tmp_path / "p.csv", [row(n) for n in range(4)])
    result = run_cli(fresh_ws, "profiles", "import", str(path), "--site", site_name, "--json")
    assert result.code == 0, str(result)
    body = result.json()
    assert {k: body[k] for k in ("created", "updated", "unchanged", "rejected", "dry_run",
                                 "rejects_path")} == {
        "created": 4, "updated": 0, "unchanged": 0, "rejected": 0, "dry_run": False,
        "rejects_path": None}
    assert body["report"] == {"rows": 4, "valid_rows": 4, "issues": []}
    again = write_csv(tmp_path / "q.csv", [row(0, title="Boss"), *[row(n) for n in range(1, 5)]])
    human = run_cli(fresh_ws, "profiles", "import", str(again), "--site", site_id)
    assert human.code == 0, str(human)
    assert human.stdout.splitlines() == [
        f"imported into site '{site_name}': 1 created, 1 updated, 3 unchanged, 0 rejected",
        "4 warning(s); `preflight profiles validate FILE` lists them"]
    assert profile_count(fresh_ws, site_id) == 5


def test_import_dry_run_changes_nothing(fresh_ws: Path, tmp_path: Path) -> None:
    site_id, _ = site_of(fresh_ws)
    before = snapshot(fresh_ws)
    result = run_cli(fresh_ws, "profiles", "import", str(mixed(tmp_path)), "--site", site_id,
                     "--dry-run", "--skip-invalid", "--rejects", str(tmp_path / "r.csv"),
                     "--json")
    assert result.code == 0, str(result)
    body = result.json()
    assert (body["created"], body["rejected"], body["dry_run"]) == (3, 2, True)
    assert body["rejects_path"] is None
    assert not (tmp_path / "r.csv").exists()
    assert_unchanged(before, snapshot(fresh_ws))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_import_skip_invalid_with_rejects(fresh_ws: Path, tmp_path: Path, fmt: str) -> None:
    site_id, site_name = site_of(fresh_ws)
    rejects = tmp_path / f"rejects.{fmt}"
    result = run_cli(fresh_ws, "profiles", "import", str(mixed(tmp_path, f"m.{fmt}")),
                     "--site", site_id, "--skip-invalid", "--rejects", str(rejects))
    assert result.code == 0, str(result)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("row 3, column Mobile Phone: error phone.not_digits")
    assert f"imported into site '{site_name}': 3 created, 0 updated, 0 unchanged, 2 rejected" \
        in lines
    assert f"rejected rows written to {rejects}" in lines
    back = read_sheet(rejects)
    assert back.headers[-1] == "Errors"
    assert [r.values[2] for r in back.rows] == ["ada1@contoso.com", "ada3@contoso.com"]
    assert [r.values[-1].split(":")[0] for r in back.rows] == ["Mobile Phone",
                                                               "Mobile Country Code"]
    assert profile_count(fresh_ws, site_id) == 3


def test_import_usage_errors(fresh_ws: Path, tmp_path: Path) -> None:
    site_id, _ = site_of(fresh_ws)
    before = checksum(fresh_ws)
    source = str(mixed(tmp_path))
    cases: list[tuple[list[str], str]] = [
        (["--rejects", str(tmp_path / "r.csv")], "--rejects needs --skip-invalid"),
        (["--skip-invalid", "--rejects", str(tmp_path / "r.xlsx")], "name it ….csv"),
        (["--skip-invalid", "--rejects", str(tmp_path / "no" / "r.csv")], "does not exist"),
    ]
    for extra, needle in cases:
        result = run_cli(fresh_ws, "profiles", "import", source, "--site", site_id, *extra)
        assert result.code == 2, str(result)
        assert needle in result.stderr, str(result)
    no_site = run_cli(fresh_ws, "profiles", "import", source)
    assert no_site.code == 2
    assert "--site" in no_site.stderr
    unknown = run_cli(fresh_ws, "profiles", "import", source, "--site", "Atlantis")
    assert unknown.code == 1
    assert "no site with id or name 'Atlantis'" in unknown.stderr
    assert checksum(fresh_ws) == before
    assert not (tmp_path / "r.csv").exists()


# --- export ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_then_validate_finds_nothing(fresh_ws: Path, tmp_path: Path,
                                            suffix: str) -> None:
    site_id, site_name = site_of(fresh_ws)
    path = write_csv(tmp_path / "p.csv", [row(n) for n in range(5)])
    assert run_cli(fresh_ws, "profiles", "import", str(path), "--site", site_id).code == 0
    out = tmp_path / f"export{suffix}"
    result = run_cli(fresh_ws, "profiles", "export", "--site", site_name, str(out), "--json")
    assert result.code == 0, str(result)
    assert result.json() == {"site": site_name, "site_id": site_id, "path": str(out),
                             "profiles": 5}
    check = run_raw("profiles", "validate", str(out), "--json")
    assert check.code == 0, str(check)
    assert check.json() == {"rows": 5, "valid_rows": 5, "issues": []}
    assert validate_rows(read_sheet(out)).issues == ()


def test_export_usage_errors(fresh_ws: Path, tmp_path: Path) -> None:
    site_id, _ = site_of(fresh_ws)
    for name in ("out.ods", "out"):
        result = run_cli(fresh_ws, "profiles", "export", "--site", site_id,
                         str(tmp_path / name))
        assert result.code == 2, str(result)
        assert "export to a file named .xlsx or .csv" in result.stderr
    folder = run_cli(fresh_ws, "profiles", "export", "--site", site_id,
                     str(tmp_path / "no" / "out.csv"))
    assert folder.code == 2
    assert "does not exist" in folder.stderr
    unknown = run_cli(fresh_ws, "profiles", "export", "--site", "Atlantis",
                      str(tmp_path / "o.csv"))
    assert unknown.code == 1
    assert not (tmp_path / "o.csv").exists()


# --- every bad input of issue 5 -------------------------------------------------------------------

def _png(tmp: Path) -> Path:
    path = tmp / "clients.xlsx"
    path.write_bytes(PNG)
    return path


def _truncated(tmp: Path) -> Path:
    data = write_xlsx(tmp / "good.xlsx", [row(0), row(1)]).read_bytes()
    path = tmp / "truncated.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


def _encrypted(tmp: Path) -> Path:
    header = bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff"
    path = tmp / "protected.xlsx"
    path.write_bytes(header + b"\x00" * 482 + "EncryptionInfo".encode("utf-16-le")
                     + b"\x00" * 1024)
    return path


def _zip_bomb(tmp: Path) -> Path:
    base = zipfile.ZipFile(write_xlsx(tmp / "good.xlsx", [row(0)]))
    path = tmp / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in base.infolist():
            zf.writestr(info.filename, base.read(info))
        with zf.open("xl/media/padding.bin", "w") as part:
            for _ in range(16):
                part.write(b"\x00" * (1 << 22))
    return path


def _entities(tmp: Path) -> Path:
    return _patched(tmp, "xxe.xlsx",
                    b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
                    into=b">&xxe;<")


def _empty(tmp: Path) -> Path:
    path = tmp / "empty.csv"
    path.write_bytes(b"")
    return path


def _header_only(tmp: Path) -> Path:
    return write_xlsx(tmp / "header.xlsx", [])


def _mixed_delimiters(tmp: Path) -> Path:
    path = tmp / "mixed.csv"
    lines = [",".join(HEADERS), ",".join(row(0)), ";".join(row(1)), ",".join(row(2))]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def _huge_cell(tmp: Path) -> Path:
    return write_csv(tmp / "huge.csv", [row(0, notes="x" * 20_000_000)])


def _wide(tmp: Path) -> Path:
    headers = [*HEADERS, *[f"Extra {n}" for n in range(5_000 - len(HEADERS))]]
    return write_csv(tmp / "wide.csv", [row(0)], headers=headers)


def _too_large(tmp: Path) -> Path:
    path = write_csv(tmp / "big.csv", [row(0)])
    with path.open("a", encoding="utf-8") as stream:
        stream.write(("x" * 1023 + "\n") * (51 * 1024))  # 51 MB: over the 50 MB limit
    return path


BAD_FILES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "png renamed .xlsx": (_png, "PNG image"),
    "truncated xlsx": (_truncated, "save it again"),
    "encrypted xlsx": (_encrypted, "without a password"),
    "zip bomb": (_zip_bomb, "zip bomb"),
    "xml entities": (_entities, "entit"),
    "0 bytes": (_empty, "0 bytes"),
    "header only": (_header_only, "no profile rows"),
    "mixed delimiters": (_mixed_delimiters, "semicolon"),
    "20 MB cell": (_huge_cell, "row 2"),
    "5,000 columns": (_wide, "5,000"),
    "over the size limit": (_too_large, "split it"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_input_is_refused_and_changes_nothing(fresh_ws: Path, tmp_path: Path,
                                                  case: str) -> None:
    make, needle = BAD_FILES[case]
    path = make(tmp_path)
    site_id, _ = site_of(fresh_ws)
    before = checksum(fresh_ws)
    rejects = tmp_path / f"rejects{'.csv' if path.suffix == '.csv' else '.xlsx'}"
    result: Result = run_cli(fresh_ws, "profiles", "import", str(path), "--site", site_id,
                             "--skip-invalid", "--rejects", str(rejects), "--json")
    assert result.code == 1, str(result)
    assert result.stdout == "", str(result)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, str(result)
    assert lines[0].startswith(f"preflight: refused: cannot import {path}: "), str(result)
    assert needle.casefold() in lines[0].casefold(), str(result)
    assert lines[0].endswith("]"), str(result)  # the stable code, e.g. [file.zip_bomb]
    assert checksum(fresh_ws) == before
    assert not list(tmp_path.glob("rejects*"))
    check = run_raw("profiles", "validate", str(path))
    assert check.code == 1, str(check)
