"""The selected item's fields: plain ones as text, secrets masked with Reveal and Copy each.

Revealing decrypts one field off the GUI thread (the vault must be unlocked) and shows it until
Hide, another item is selected, or the vault locks. Copy decrypts it again and hands it to the
session's `SecretClipboard` (hinted, cleared after 10 s).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.vault.items import ItemView
from ui.vault.item_model import MASK
from ui.widgets.page_header import muted_label

Reveal = Callable[[str, Callable[[str], None]], None]  # (field, on_value)


class SecretField:
    """One masked secret in the grid: its value label and Reveal / Copy buttons."""

    def __init__(self, parent: QWidget, field: str, reveal: Reveal,
                 copy: Callable[[str], None]) -> None:
        self.field = field
        self._reveal = reveal
        self._copy = copy
        self.value = QLabel(MASK, parent)
        self.value.setObjectName(f"secret:{field}")
        self.value.setAccessibleName("hidden secret")
        self.value.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.value.setWordWrap(True)
        self.reveal_button = QPushButton("Reveal", parent)
        self.reveal_button.setObjectName(f"reveal:{field}")
        self.reveal_button.setCheckable(True)
        self.reveal_button.toggled.connect(self._toggled)
        self.copy_button = QPushButton("Copy", parent)
        self.copy_button.setObjectName(f"copy:{field}")
        self.copy_button.setToolTip("Copy to the clipboard (cleared again after 10 seconds)")
        self.copy_button.clicked.connect(lambda _c=False: self._reveal(self.field, self._copy))

    @property
    def revealed(self) -> bool:
        return self.value.text() != MASK

    def _toggled(self, on: bool) -> None:
        self.reveal_button.setText("Hide" if on else "Reveal")
        if on:
            self._reveal(self.field, self._show)
        else:
            self.hide_value()

    def _show(self, text: str) -> None:
        if self.reveal_button.isChecked():
            self.value.setTextFormat(Qt.TextFormat.PlainText)
            self.value.setText(text)
            self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def hide_value(self) -> None:
        self.value.setText(MASK)
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        if self.reveal_button.isChecked():
            self.reveal_button.blockSignals(True)
            self.reveal_button.setChecked(False)
            self.reveal_button.setText("Reveal")
            self.reveal_button.blockSignals(False)

    def set_enabled(self, on: bool) -> None:
        self.reveal_button.setEnabled(on)
        self.copy_button.setEnabled(on)


def detail_rows(item: ItemView) -> list[tuple[str, str | None, str | None]]:
    """(label, plain text, secret field) for each line of the detail grid."""
    rows: list[tuple[str, str | None, str | None]] = [("Type", item.kind_label, None)]
    if item.application:
        rows.append(("Application", item.application, None))
    rows += [("Username", item.username, None), ("URL / Host", item.url, None)]
    if item.has_password:
        rows.append(("Password", None, "password"))
    if item.has_notes:
        rows.append(("Notes", None, "notes"))
    for prop in item.properties:
        rows.append((prop.name, prop.value, f"property:{prop.id}" if prop.secret else None))
    return rows


class ItemDetail(QScrollArea):
    def __init__(self, reveal: Callable[[str, str, Callable[[str], None]], None],
                 copy: Callable[[str], None], parent: QWidget | None = None) -> None:
        """`reveal(item_id, field, on_value)` decrypts off the GUI thread; `copy(text)`."""
        super().__init__(parent)
        self.setObjectName("vaultItemDetail")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._reveal = reveal
        self._copy = copy
        self.item: ItemView | None = None
        self.secrets: dict[str, SecretField] = {}
        self.unlocked = False
        self._body: QWidget | None = None
        self.placeholder = "Select an item to see its details."
        self.show_item(None)

    def set_placeholder(self, text: str) -> None:
        """What shows when no item is selected."""
        if text != self.placeholder:
            self.placeholder = text
            if self.item is None:
                self.show_item(None)

    def show_item(self, item: ItemView | None) -> None:
        for secret in self.secrets.values():
            secret.hide_value()
        self.item = item
        self.secrets = {}
        body = QWidget()
        outer = QVBoxLayout(body)
        outer.setContentsMargins(8, 8, 8, 8)
        if item is None:
            note = muted_label(self.placeholder, body)
            note.setObjectName("detailPlaceholder")
            note.setWordWrap(True)
            outer.addWidget(note)
            outer.addStretch(1)
            self._set_body(body)
            return
        title = QLabel(item.title, body)
        title.setObjectName("detailTitle")
        font = title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        title.setFont(font)
        outer.addWidget(title)
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        rows = detail_rows(item)
        for line, (label, text, field) in enumerate(rows):
            align = Qt.AlignmentFlag.AlignTop if field is None else Qt.AlignmentFlag.AlignVCenter
            grid.addWidget(muted_label(label, body), line, 0, align)
            if field is None:
                value = QLabel(text or "—", body)
                value.setTextFormat(Qt.TextFormat.PlainText)
                value.setWordWrap(True)
                value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                grid.addWidget(value, line, 1)
                continue
            secret = SecretField(body, field, self._reveal_field, self._copy)
            secret.set_enabled(self.unlocked)
            self.secrets[field] = secret
            grid.addWidget(secret.value, line, 1)
            grid.addWidget(secret.reveal_button, line, 2)
            grid.addWidget(secret.copy_button, line, 3)
        if not item.secret_fields():
            grid.addWidget(muted_label("No secrets stored.", body), len(rows), 1)
        outer.addLayout(grid)
        outer.addStretch(1)
        self._set_body(body)

    def _set_body(self, body: QWidget) -> None:
        old = self.takeWidget()
        if old is not None:
            old.deleteLater()
        self.setWidget(body)
        self._body = body

    def _reveal_field(self, field: str, on_value: Callable[[str], None]) -> None:
        if self.item is not None:
            self._reveal(self.item.id, field, on_value)

    def set_unlocked(self, unlocked: bool) -> None:
        self.unlocked = unlocked
        for secret in self.secrets.values():
            if not unlocked:
                secret.hide_value()
            secret.set_enabled(unlocked)


__all__ = ["ItemDetail", "SecretField"]
