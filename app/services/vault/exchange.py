"""A site's vault in and out of files: the password-protected export and its import, the
IT Glue / Hudu-style CSV import (validated first), and the plaintext CSV export (only when the
user confirmed it explicitly). The file formats are in app/vault/exchange.py and
app/vault/csvimport.py.

export_encrypted/import_encrypted run Argon2id: call them off the GUI thread.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.domain.errors import RuleViolation
from app.services.hierarchy import resolve_site
from app.services.vault.items import VaultItemService, site_id_of
from app.services.vault.sealing import Sealer
from app.services.vault.session import MIN_MASTER_PASSWORD, VaultKeySession
from app.vault.errors import WeakPassword, WrongPassword
from app.vault.exchange import open_export, plaintext_csv, seal_export, write_private
from app.vault.items import KINDS, Property
from storage.database import now_iso
from storage.repository import Repository
from storage.vault_item_repository import VaultItemRepository

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CsvImportResult:
    report: Any  # app.profiles.validation.Report
    imported: int
    skipped_rows: tuple[int, ...]


class ImportRefused(RuleViolation):
    def __init__(self, report: Any) -> None:
        rows = len({i.row for i in report.issues if i.severity == "error"})
        super().__init__(f"{rows} row(s) of the file have errors; nothing was imported (fix "
                         "them, or import with skip_invalid to leave them out)")
        self.report = report


class VaultExchangeService:
    def __init__(self, session: VaultKeySession, items: VaultItemService) -> None:
        self.session = session
        self.items = items
        self.db = session.db

    def _sealer(self, what: str) -> Sealer:
        return Sealer(self.session.require_key(what), self.session.workspace_id)

    def _site_rows(self, site: str) -> tuple[str, list[Any]]:
        with self.db.read() as s:
            target = resolve_site(Repository(s), site)
            return target.name, VaultItemRepository(s).site_rows(target.id)

    def export_encrypted(self, site: str, path: str | os.PathLike[str],
                         export_password: str) -> int:
        """Write a password-protected export of the site's vault (app/vault/exchange.py)."""
        sealer = self._sealer("export it")
        if len(export_password) < MIN_MASTER_PASSWORD:
            raise WeakPassword(f"the export password must have at least {MIN_MASTER_PASSWORD} "
                               "characters")
        name, rows = self._site_rows(site)
        items = [sealer.plain(r) for r in rows]
        write_private(Path(path), seal_export(items, name, export_password,
                                              self.session.target_kdf))
        log.info("vault of site %s exported encrypted (%d items)", name, len(items))
        return len(items)

    def import_encrypted(self, path: str | os.PathLike[str], password: str, site: str) -> int:
        """Add the items of an encrypted export to `site` (new ids, this vault's key)."""
        sealer = self._sealer("import into it")
        try:
            payload = open_export(Path(path), password)
        except WrongPassword:
            raise self.session.wrong("export password") from None
        entries = []
        for item in payload["items"]:
            props = [Property(str(p["name"]), str(p["value"]), bool(p.get("secret")))
                     for p in item.get("properties", [])]
            kind = str(item.get("kind", "custom"))
            entries.append((kind if kind in KINDS else "custom", item, props))
        with self.db.write() as s:
            site_id, at = site_id_of(s, site), now_iso()
            rows = [sealer.new_values(site_id, kind, str(item.get("title", "")),
                                      username=str(item.get("username", "")),
                                      password=str(item.get("password", "")),
                                      url=str(item.get("url", "")),
                                      notes=str(item.get("notes", "")),
                                      application=str(item.get("application", "")),
                                      properties=props, at=at)
                    for kind, item, props in entries]
            VaultItemRepository(s).add_many(rows, "vault.import")
        log.info("imported %d vault items from an encrypted export", len(rows))
        return len(rows)

    def _existing_keys(self, site: str) -> set[tuple[str, str]]:
        return {(v.title.casefold(), v.username.casefold()) for v in self.items.list(site)}

    def validate_csv(self, path: str | os.PathLike[str], site: str | None = None) -> Any:
        """The validation report of an IT Glue / Hudu-style CSV (no key needed, no secrets in
        it): `app.profiles.validation.Report`."""
        from app.vault.csvimport import plan_csv

        existing = self._existing_keys(site) if site else set()
        return plan_csv(path, existing).report

    def import_csv(self, path: str | os.PathLike[str], site: str, *,
                   skip_invalid: bool = False, dry_run: bool = False) -> CsvImportResult:
        """Import a password CSV into `site` in one transaction. With errors in the file,
        nothing is imported unless `skip_invalid` (then the rows with errors are left out)."""
        from app.vault.csvimport import plan_csv

        sealer = self._sealer("import into it")
        plan = plan_csv(path, self._existing_keys(site))
        report = plan.report
        error_rows = tuple(sorted({i.row for i in report.issues if i.severity == "error"}))
        if any(i.row == 1 and i.severity == "error" for i in report.issues):
            raise ImportRefused(report)
        if error_rows and not skip_invalid:
            raise ImportRefused(report)
        if dry_run:
            return CsvImportResult(report, 0, error_rows)
        with self.db.write() as s:
            site_id, at = site_id_of(s, site), now_iso()
            rows = [sealer.new_values(
                site_id, e.kind, e.title, username=e.username, password=e.password,
                url=e.url, notes=e.notes, application=e.application, at=at,
                properties=[Property(n, v, sec) for n, v, sec in e.properties]
                + ([Property("OTP secret", e.otp, True)]
                   if e.otp and all(n.casefold() != "otp secret" for n, _v, _s in e.properties)
                   else []))
                for e in plan.entries]
            VaultItemRepository(s).add_many(rows, "vault.import_csv")
        log.info("imported %d vault items from a CSV file", len(rows))
        return CsvImportResult(report, len(rows), error_rows)

    def export_plaintext(self, site: str, path: str | os.PathLike[str], *,
                         confirmed: bool) -> int:
        """Every secret of the site in clear, as CSV (re-importable). Refused unless the user
        confirmed explicitly that an unencrypted file is what they want."""
        if confirmed is not True:
            raise RuleViolation("a plaintext export writes the site's passwords unencrypted; "
                                "it needs an explicit confirmation (nothing was written)")
        sealer = self._sealer("export it")
        name, rows = self._site_rows(site)
        data = plaintext_csv(sealer.plain(r) for r in rows)  # formula cells guarded
        write_private(Path(path), data)
        log.warning("vault of site %s exported in PLAINTEXT (%d items) at the user's explicit "
                    "request", name, len(rows))
        return len(rows)


__all__ = ["CsvImportResult", "ImportRefused", "VaultExchangeService"]
