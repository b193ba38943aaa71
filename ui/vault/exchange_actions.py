"""Export and import of a site's vault from the Passwords tab: encrypted export / import,
IT Glue / Hudu CSV import (with its validation report), and the plaintext CSV export, which
only runs after a confirmation that says the file holds every secret in clear text."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6

from ui.vault.csv_report import CsvReportDialog, open_csv_report
from ui.vault.vault_dialogs import CSV_FILTER, EXPORT_FILTER, PLAINTEXT_FILTER
from ui.widgets.policy_common import as_sentence

if TYPE_CHECKING:
    from app.services.vault.exchange import CsvImportResult
    from ui.vault.passwords_tab import PasswordsTab

MIN_EXPORT_PASSWORD = 10  # the service's rule for export passwords (it checks again)
PLAINTEXT_WARNING = ("The file will hold every secret of this site — passwords, notes and "
                     "secret properties — in clear text. Anyone who can read the file can "
                     "read them. Use the encrypted export unless you must have plain text.")


def file_stem(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in " -_." else "_" for ch in text).strip() or "site"


def plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def export_encrypted(tab: PasswordsTab) -> None:
    site = tab.site
    if site is None:
        return
    path = tab.dialogs.save_file("Export Passwords (Encrypted)",
                                 Path.home() / f"{file_stem(site.name)} - passwords.pfvault",
                                 EXPORT_FILTER)
    if path is None:
        return
    password = tab.dialogs.ask_password(
        "Export Password", "Choose a password for the export file (at least "
        f"{MIN_EXPORT_PASSWORD} characters). It is needed to import the file.", confirm=True,
        min_length=MIN_EXPORT_PASSWORD)
    if password is None:
        return
    tab.notice.show_message(f"Exporting to {path.name}…", "info")
    tab.session.call(lambda vault: vault.exchange.export_encrypted(site.id, path, password),
                     lambda count: tab.notice.show_message(
                         f"Exported {plural(count, 'item')} of {site.name}, encrypted, to "
                         f"{path}.", "success"),
                     lambda exc: tab.report(exc, "Could not export"), owner=tab)


def import_encrypted(tab: PasswordsTab) -> None:
    site = tab.site
    if site is None:
        return
    path = tab.dialogs.open_file("Import Passwords (Encrypted Export)", Path.home(),
                                 EXPORT_FILTER)
    if path is None:
        return
    password = tab.dialogs.ask_password("Export Password",
                                        f"The password of the export file {path.name}:")
    if password is None:
        return
    tab.notice.show_message(f"Importing {path.name}…", "info")

    def imported(count: int) -> None:
        tab.notice.show_message(f"Imported {plural(count, 'item')} into {site.name}.",
                                "success")
        tab.refresh()

    tab.session.call(lambda vault: vault.exchange.import_encrypted(path, password, site.id),
                     imported, lambda exc: tab.report(exc, "Could not import"), owner=tab)


def import_csv(tab: PasswordsTab, path: Path | None = None) -> None:
    """Validate an IT Glue / Hudu-style CSV, show the report, import on request."""
    site = tab.site
    if site is None:
        return
    if path is None:
        path = tab.dialogs.open_file("Import Passwords (IT Glue / Hudu CSV)", Path.home(),
                                     CSV_FILTER)
    if path is None:
        return
    chosen = path

    def import_rows(dialog: CsvReportDialog, skip: bool) -> None:
        def done(result: CsvImportResult) -> None:
            count = result.imported
            if shiboken6.isValid(dialog):
                dialog.accept()
            tab.notice.show_message(f"Imported {plural(count, 'item')} from {chosen.name} "
                                    f"into {site.name}.", "success")
            tab.refresh()

        def failed(exc: BaseException) -> None:
            if shiboken6.isValid(dialog):
                dialog.failed(as_sentence(str(exc)))
            else:
                tab.report(exc, "Could not import")

        tab.session.call(
            lambda vault: vault.exchange.import_csv(chosen, site.id, skip_invalid=skip),
            done, failed, owner=tab)

    def validated(report: object) -> None:
        tab.notice.clear()
        tab.csv_dialog = open_csv_report(report, chosen.name, tab.window(), import_rows)

    tab.notice.show_message(f"Checking {chosen.name}…", "info")
    tab.session.call(lambda vault: vault.exchange.validate_csv(chosen, site.id), validated,
                     lambda exc: tab.report(exc, f"Could not read {chosen.name}"), owner=tab)


def export_plaintext(tab: PasswordsTab) -> None:
    site = tab.site
    if site is None:
        return
    if not tab.dialogs.confirm("Export Passwords in Clear Text?",
                               "Export the passwords of this site UNENCRYPTED?",
                               "Export in Clear Text", destructive=True,
                               details=PLAINTEXT_WARNING):
        return
    path = tab.dialogs.save_file("Export Passwords (Clear Text)",
                                 Path.home() / f"{file_stem(site.name)} - passwords.csv",
                                 PLAINTEXT_FILTER)
    if path is None:
        return
    tab.session.call(lambda vault: vault.exchange.export_plaintext(site.id, path, confirmed=True),
                     lambda count: tab.notice.show_message(
                         f"Exported {plural(count, 'item')} of {site.name} in CLEAR TEXT to "
                         f"{path}. Delete the file once you no longer need it.", "warning"),
                     lambda exc: tab.report(exc, "Could not export"), owner=tab)


__all__ = ["PLAINTEXT_WARNING", "export_encrypted", "export_plaintext", "import_csv",
           "import_encrypted"]
