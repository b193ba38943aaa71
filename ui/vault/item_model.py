"""The table of one kind of vault item (fed `ItemView`s: no secret ever reaches the model)."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import Qt

from app.vault.items import ItemView
from ui.models.rows import RowTableModel

MASK = "••••••••"


def secrets_summary(item: ItemView) -> str:
    """Which secrets an item holds, never their values: "password, notes, 2 secret props"."""
    parts = [name for name, has in (("password", item.has_password),
                                    ("notes", item.has_notes)) if has]
    hidden = sum(p.secret for p in item.properties)
    if hidden:
        parts.append(f"{hidden} secret propert{'y' if hidden == 1 else 'ies'}")
    return ", ".join(parts)


def haystack(item: ItemView) -> str:
    """What search matches (the service's `list(search=)` fields): title, username, URL,
    application and non-secret properties, case-folded."""
    return " ".join([item.title, item.username, item.url, item.application,
                     *(f"{p.name} {p.value or ''}" for p in item.properties)]).casefold()


class VaultItemModel(RowTableModel):
    COL_TITLE, COL_USERNAME, COL_URL, COL_APPLICATION, COL_SECRETS, COL_UPDATED = range(6)
    HEADERS: ClassVar[tuple[str, ...]] = ("Title", "Username", "URL / Host", "Application",
                                          "Secrets", "Updated")

    def display(self, row: ItemView, column: int) -> str:
        if column == self.COL_TITLE:
            return row.title
        if column == self.COL_USERNAME:
            return row.username
        if column == self.COL_URL:
            return row.url
        if column == self.COL_APPLICATION:
            return row.application
        if column == self.COL_SECRETS:
            return secrets_summary(row)
        if column == self.COL_UPDATED:
            return row.updated_at[:16].replace("T", " ")
        return ""

    def sort_value(self, row: ItemView, column: int) -> Any:
        if column == self.COL_UPDATED:
            return row.updated_at
        return self.display(row, column)

    def extra(self, row: ItemView, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_SECRETS:
            return ("Select the item to reveal or copy its secrets" if secrets_summary(row)
                    else "No secrets stored")
        if role == Qt.ItemDataRole.AccessibleTextRole and column == self.COL_SECRETS:
            return secrets_summary(row) or "no secrets"
        return None


__all__ = ["MASK", "VaultItemModel", "haystack", "secrets_summary"]
