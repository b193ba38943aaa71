"""Encrypted export/import, the plaintext export's confirmation, and password CSV imports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.domain.errors import RuleViolation
from app.services.vault import ImportRefused, Vault
from app.vault.errors import FormatError, VaultLocked, WrongPassword
from app.vault.items import Property
from tests.vault.conftest import CANARY, PASSWORD, Env

EXPORT_PASSWORD = "export password for the client"
ILO = "iLO console"


def _fill(env: Env, vault: Vault) -> None:
    vault.items.add(env.site, "server", "DC01", username="admin", url="10.0.0.5", password=CANARY,
              notes="notes " + CANARY, properties=[Property("PIN", CANARY + "-pin", secret=True),
                                                   Property("Rack", "B2")])
    vault.items.add(env.site, "lom", ILO, username="Administrator", password="ilo-pass")


def test_encrypted_export_round_trip(env: Env, vault: Vault, tmp_path: Path) -> None:
    _fill(env, vault)
    target = tmp_path / "hq.pfvault"
    assert vault.exchange.export_encrypted(env.site, target, EXPORT_PASSWORD) == 2
    data = target.read_bytes()
    assert CANARY.encode() not in data
    # Titles are looked for with a quote or a space: base64 has neither, while a bare short
    # title like "iLO" turns up in the ciphertext now and then by chance (~1 run in 100).
    assert b'"DC01"' not in data  # as plaintext JSON would hold it
    assert ILO.encode() not in data
    header = json.loads(data)
    assert header["format"] == "preflight-vault-export"
    assert header["version"] == 1
    assert header["kdf"]["algorithm"] == "argon2id"
    assert (target.stat().st_mode & 0o777) == 0o600
    assert vault.exchange.import_encrypted(target, EXPORT_PASSWORD, env.other_site) == 2
    copied = {v.title: v for v in vault.items.list(env.other_site)}
    assert set(copied) == {"DC01", ILO}
    dc = copied["DC01"]
    assert vault.items.reveal(dc.id) == CANARY
    assert vault.items.reveal(dc.id, "notes") == "notes " + CANARY
    assert vault.items.reveal(dc.id, "property:PIN") == CANARY + "-pin"
    assert vault.items.reveal(dc.id, "property:Rack") == "B2"
    assert dc.url == "10.0.0.5"
    assert dc.username == "admin"


def test_encrypted_import_wrong_password_and_damage(env: Env, vault: Vault,
                                                    tmp_path: Path) -> None:
    _fill(env, vault)
    target = tmp_path / "hq.pfvault"
    vault.exchange.export_encrypted(env.site, target, EXPORT_PASSWORD)
    with pytest.raises(WrongPassword, match="wrong export password"):
        vault.exchange.import_encrypted(target, "not the export password", env.other_site)
    assert env.sleeps.calls == [0.5]
    assert vault.items.list(env.other_site) == []
    document = json.loads(target.read_text())
    document["payload"] = document["payload"][:-8] + "AAAAAAA="
    target.write_text(json.dumps(document))
    with pytest.raises(Exception, match="altered") as caught:
        vault.exchange.import_encrypted(target, EXPORT_PASSWORD, env.other_site)
    assert CANARY not in str(caught.value)
    (tmp_path / "junk").write_text("{}")
    with pytest.raises(FormatError):
        vault.exchange.import_encrypted(tmp_path / "junk", EXPORT_PASSWORD, env.other_site)


def test_plaintext_export_needs_explicit_confirmation(env: Env, vault: Vault,
                                                      tmp_path: Path) -> None:
    _fill(env, vault)
    target = tmp_path / "plain.csv"
    for confirmed in (False, 1, "yes"):
        with pytest.raises(RuleViolation, match="explicit confirmation"):
            vault.exchange.export_plaintext(env.site, target, confirmed=confirmed)  # type: ignore[arg-type]
    assert not target.exists()
    vault.session.lock()
    with pytest.raises(VaultLocked):
        vault.exchange.export_plaintext(env.site, target, confirmed=True)
    vault.session.unlock(PASSWORD)
    assert vault.exchange.export_plaintext(env.site, target, confirmed=True) == 2
    text = target.read_text()
    assert CANARY in text
    assert (target.stat().st_mode & 0o777) == 0o600
    # ... and it re-imports, properties included.
    result = vault.exchange.import_csv(target, env.other_site)
    assert result.imported == 2
    dc = next(v for v in vault.items.list(env.other_site) if v.title == "DC01")
    assert vault.items.reveal(dc.id, "property:PIN") == CANARY + "-pin"


ITGLUE = (
    "id,organization,name,username,password,url,notes,password_category_name,otp_secret\n"
    "1,Contoso,DC01,admin,Pa55-1,10.0.0.5,domain controller,Server,\n"
    "2,Contoso,,backup,Pa55-2,backup.contoso.local,,Application,\n"
    "3,Contoso,,,Pa55-3,,,,\n"
    "4,Contoso,iDRAC,root,Pa55-4,10.0.0.9,,iDRAC,JBSWY3DPEHPK3PXP\n"
    "5,Contoso,DC01,admin,Pa55-5,,,Server,\n"
    "6,Contoso,Printer,,,,,Printers,\n"
    f"7,Contoso,{'T' * 250},x,Pa55-7,,,,\n"
)


def test_itglue_csv_report_and_import(env: Env, vault: Vault, tmp_path: Path) -> None:
    source = tmp_path / "itglue.csv"
    source.write_text(ITGLUE, encoding="utf-8")
    report = vault.exchange.validate_csv(source, env.site)
    assert report.rows == 7
    assert report.valid_rows == 5
    found = {(i.row, i.code) for i in report.issues}
    assert (1, "header.unknown_column") in found  # id, organization: not imported
    assert (3, "title.missing") in found
    assert (4, "title.required") in found
    assert (6, "duplicate.in_file") in found
    assert (7, "kind.unknown") in found
    assert (7, "password.empty") in found
    assert (8, "value.too_long") in found
    proposal = next(i for i in report.issues if i.code == "title.missing")
    assert proposal.fix == "backup @ backup.contoso.local"
    shape = report.to_dict()
    assert set(shape) == {"rows", "valid_rows", "issues"}
    assert set(shape["issues"][0]) == {"row", "column", "severity", "code", "message", "fix"}
    assert not any("Pa55" in json.dumps(i.to_dict()) for i in report.issues)
    with pytest.raises(ImportRefused) as refused:
        vault.exchange.import_csv(source, env.site)
    assert refused.value.report.rows == 7
    assert vault.items.list(env.site) == []
    result = vault.exchange.import_csv(source, env.site, skip_invalid=True)
    assert result.imported == 5
    assert result.skipped_rows == (4, 8)
    items = {v.title: v for v in vault.items.list(env.site)}
    assert items["iDRAC"].kind == "lom"
    assert items["backup @ backup.contoso.local"].kind == "application"
    assert vault.items.reveal(items["iDRAC"].id, "property:OTP secret") == "JBSWY3DPEHPK3PXP"
    assert items["Printer"].kind == "custom"
    assert not items["Printer"].has_password


def test_hudu_csv_with_semicolons_and_bom(env: Env, vault: Vault, tmp_path: Path) -> None:
    source = tmp_path / "hudu.csv"
    source.write_bytes("\ufeffName;Username;Password;URL;Description;Password Type\n"
                       "M365 admin;admin@contoso.com;Pw-1;https://admin.microsoft.com;;Email\n"
                       .encode())
    result = vault.exchange.import_csv(source, env.site)
    assert result.imported == 1
    assert result.report.issues == ()
    (item,) = vault.items.list(env.site)
    assert item.kind == "custom"
    assert item.url == "https://admin.microsoft.com"
    assert vault.items.reveal(item.id) == "Pw-1"


def test_csv_without_a_password_column_is_refused(env: Env, vault: Vault,
                                                  tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text("name,login\nx,y\n")
    report = vault.exchange.validate_csv(source)
    assert [(i.row, i.code, i.column) for i in report.issues] == [
        (1, "header.missing_column", "Password")]
    with pytest.raises(ImportRefused):
        vault.exchange.import_csv(source, env.site, skip_invalid=True)
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(RuleViolation, match="no header"):
        vault.exchange.validate_csv(tmp_path / "empty.csv")
