"""`preflight vault …` end to end (subprocesses), and the canary: a secret added through the CLI
never appears in the workspace file, its WAL/journal, the backups, the log files, any output
but `reveal`'s, or any export but the explicit plaintext one."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from app.services.workspace import Workspace
from app.vault.crypto import TEST_KDF
from tests.cli.helpers import REPO_ROOT, TIMEOUT, Result, assert_unchanged, cli_env, snapshot

MASTER = "master password for the cli tests"
CANARY = "CANARY-cli-5e1f0c77-b7a4-4a4e-8f7e-6b0b1c2d3e4f"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """Where the CLI subprocesses keep logs and settings (not the user's real folders)."""
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


def vault_env(home: Path, password: str | None = None) -> dict[str, str]:
    env = cli_env()
    env.update({"HOME": str(home), "XDG_STATE_HOME": str(home / "state"),
                "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"),
                "XDG_CACHE_HOME": str(home / "cache"),
                # cheap Argon2id for tests only; the defaults are 64 MiB, t=3, p=4
                "PREFLIGHT_VAULT_INSECURE_TEST_KDF": "1"})
    env.pop("PREFLIGHT_TRUSTED_KEYRINGS", None)
    env.pop("PYTHON_KEYRING_BACKEND", None)
    if password is not None:
        env["PREFLIGHT_VAULT_PASSWORD"] = password
    return env


def vault_cli(ws: Path, home: Path, *args: str, stdin: str = "",
              password: str | None = None) -> Result:
    done = subprocess.run(
        [sys.executable, "-m", "preflight", "vault", *args, "--workspace", str(ws)],
        input=stdin, capture_output=True, text=True, timeout=TIMEOUT,
        env=vault_env(home, password), cwd=REPO_ROOT, check=False)
    result = Result(("vault", *args), done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stdout + done.stderr, str(result)
    return result


def site_id(ws: Path, name: str = "Main Office") -> str:
    with closing(sqlite3.connect(ws)) as db:
        (found,) = db.execute("SELECT id FROM sites WHERE name = ? AND deleted_at IS NULL",
                              (name,)).fetchone()
    return str(found)


def init(ws: Path, home: Path) -> None:
    result = vault_cli(ws, home, "init", "--json", stdin=MASTER + "\n")
    assert result.code == 0, str(result)
    assert result.json()["created"] is True


def add(ws: Path, home: Path, secret: str, *extra: str) -> dict[str, Any]:
    result = vault_cli(ws, home, "add", site_id(ws), "--kind", "server", "--title", "DC01",
                       "--username", "admin", "--json", *extra, stdin=secret + "\n",
                       password=MASTER)
    assert result.code == 0, str(result)
    body: dict[str, Any] = result.json()
    return body


def test_canary_never_leaves_the_vault_in_clear(fresh_ws: Path, home: Path,
                                                tmp_path: Path) -> None:
    outputs: list[str] = []
    init(fresh_ws, home)
    item = add(fresh_ws, home, CANARY)
    assert item["has_password"]
    assert "CANARY" not in json.dumps(item)
    listed = vault_cli(fresh_ws, home, "list", site_id(fresh_ws), "--json")
    (row,) = listed.json()
    assert {"id", "name", "kind", "title", "username"} <= set(row)
    assert row["name"] == "DC01"
    table = vault_cli(fresh_ws, home, "list", site_id(fresh_ws))
    assert "DC01" in table.stdout
    assert "password" in table.stdout
    outputs += [listed.stdout, listed.stderr, table.stdout, table.stderr]
    for args, password in ((("reveal", item["id"]), "a wrong master password"),
                           (("reveal", item["id"], "--field", "notes"), MASTER),
                           (("unlock", "--remember"), MASTER)):
        result = vault_cli(fresh_ws, home, *args, password=password)
        outputs += [result.stdout, result.stderr]
    reveal = vault_cli(fresh_ws, home, "reveal", item["id"], password=MASTER)
    assert reveal.code == 0
    assert reveal.stdout == CANARY + "\n"
    outputs.append(reveal.stderr)
    # A tampered ciphertext: the error names the item, not the value.
    tampered = tmp_path / "tampered.preflight"
    with closing(sqlite3.connect(fresh_ws)) as src, closing(sqlite3.connect(tampered)) as dst:
        src.backup(dst)
        dst.execute("UPDATE vault_items SET password_ct = substr(password_ct, 1, 20) || "
                    "'AAAA' || substr(password_ct, 25)")
        dst.commit()
    broken = vault_cli(tampered, home, "reveal", item["id"], password=MASTER)
    assert broken.code == 2
    assert "altered" in broken.stderr
    outputs += [broken.stdout, broken.stderr]
    tampered.unlink()
    for side in tmp_path.glob("tampered.preflight*"):
        side.unlink()

    # Exports through the service, as the GUI makes them.
    ws = Workspace.open(fresh_ws)
    try:
        ws.vault.session._kdf = TEST_KDF
        ws.vault.session.unlock(MASTER)
        encrypted = tmp_path / "exports" / "site.pfvault"
        encrypted.parent.mkdir()
        ws.vault.exchange.export_encrypted(site_id(fresh_ws), encrypted, "export password 123")
        with pytest.raises(Exception, match="explicit confirmation"):
            ws.vault.exchange.export_plaintext(site_id(fresh_ws), tmp_path / "exports" / "no.csv",
                                      confirmed=False)
        plaintext = tmp_path / "plaintext-export.csv"
        ws.vault.exchange.export_plaintext(site_id(fresh_ws), plaintext, confirmed=True)
    finally:
        ws.close()
    assert CANARY in plaintext.read_text()  # the explicit one, and only that one

    needles = [CANARY.encode("utf-8"), CANARY.encode("utf-16-le"), MASTER.encode("utf-8")]
    scanned = []
    for path in sorted(tmp_path.rglob("*")):
        if not path.is_file() or path == plaintext:
            continue
        data = path.read_bytes()
        scanned.append(path.name)
        for needle in needles:
            assert needle not in data, f"{needle!r} found in {path}"
    assert fresh_ws.name in scanned
    assert "site.pfvault" in scanned
    assert any(name.startswith("preflight.log") for name in scanned), scanned
    for text in outputs:
        assert CANARY not in text
        assert MASTER not in text


def test_the_wal_holds_no_secret_before_checkpoint(fresh_ws: Path, home: Path) -> None:
    init(fresh_ws, home)
    reader = sqlite3.connect(fresh_ws)  # an open reader keeps the WAL from being truncated
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM sites").fetchone()
        add(fresh_ws, home, CANARY)
        wal = Path(f"{fresh_ws}-wal")
        assert wal.exists()
        assert wal.stat().st_size > 0
        assert CANARY.encode() not in wal.read_bytes()
        assert CANARY.encode() not in fresh_ws.read_bytes()
    finally:
        reader.close()


def test_secret_comes_from_stdin_never_from_arguments(fresh_ws: Path, home: Path) -> None:
    init(fresh_ws, home)
    result = vault_cli(fresh_ws, home, "add", site_id(fresh_ws), "--kind", "server",
                       "--title", "X", "--password", "oops", password=MASTER)
    assert result.code == 2
    assert "unrecognized arguments" in result.stderr
    empty = vault_cli(fresh_ws, home, "add", site_id(fresh_ws), "--kind", "server",
                      "--title", "X", stdin="", password=MASTER)
    assert empty.code == 2
    assert "no secret on stdin" in empty.stderr
    # A multi-line secret keeps its inner line breaks; only the final newline goes.
    item = add(fresh_ws, home, "line one\nline two")
    shown = vault_cli(fresh_ws, home, "reveal", item["id"], "--json", password=MASTER)
    assert shown.json()["value"] == "line one\nline two"


def test_init_unlock_wrong_password_and_exit_codes(fresh_ws: Path, home: Path) -> None:
    before_init = vault_cli(fresh_ws, home, "unlock", stdin=MASTER + "\n")
    assert before_init.code == 1
    assert "no vault yet" in before_init.stderr
    init(fresh_ws, home)
    again = vault_cli(fresh_ws, home, "init", stdin=MASTER + "\n")
    assert again.code == 1
    assert "already has a vault" in again.stderr
    before = snapshot(fresh_ws)
    wrong = vault_cli(fresh_ws, home, "unlock", stdin="not the master password\n")
    assert wrong.code == 1
    assert wrong.stdout == ""
    assert wrong.stderr.strip() == ("preflight: refused: wrong master password: the vault was not "
                                    "unlocked (nothing was changed)")
    assert_unchanged(before, snapshot(fresh_ws))
    remember = vault_cli(fresh_ws, home, "unlock", "--remember", "--json", stdin=MASTER + "\n")
    assert remember.code == 0
    body = remember.json()
    assert body["remembered"] is False
    assert body["keyring"].startswith("no secure keyring on this machine")
    assert "no secure keyring on this machine" in remember.stderr
    locked = vault_cli(fresh_ws, home, "reveal", "DC01")
    assert locked.code == 1
    assert "no vault item" in locked.stderr
    add(fresh_ws, home, CANARY)
    no_password = vault_cli(fresh_ws, home, "reveal", "DC01")
    assert no_password.code == 2
    assert "PREFLIGHT_VAULT_PASSWORD" in no_password.stderr
    bad_kind = vault_cli(fresh_ws, home, "add", "Main Office", "--kind", "printer",
                         "--title", "X", password=MASTER)
    assert bad_kind.code == 2
    no_site = vault_cli(fresh_ws, home, "add", "Nowhere", "--kind", "server", "--title", "X",
                        stdin="x\n", password=MASTER)
    assert no_site.code == 1
    assert "no site" in no_site.stderr
