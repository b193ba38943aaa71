"""The custom properties of the item form: name, value and a "secret" box per row (a secret
value is masked while typed, and encrypted by the vault)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.vault.items import Property


class PropertyRow(QWidget):
    removed = Signal(object)

    def __init__(self, prop: Property | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("propertyRow")
        self.prop_id = prop.id if prop is not None else None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.name = QLineEdit(prop.name if prop else "", self)
        self.name.setObjectName("propertyName")
        self.name.setPlaceholderText("Name (e.g. PIN)")
        self.value = QLineEdit(prop.value if prop else "", self)
        self.value.setObjectName("propertyValue")
        self.value.setPlaceholderText("Value")
        self.secret = QCheckBox("Secret", self)
        self.secret.setObjectName("propertySecret")
        self.secret.setToolTip("Encrypt this value and mask it like a password")
        self.secret.toggled.connect(self._masked)
        self.secret.setChecked(bool(prop and prop.secret))
        self._masked(self.secret.isChecked())
        remove = QToolButton(self)
        remove.setObjectName("removeProperty")
        remove.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_TrashIcon))
        remove.setToolTip("Remove this property")
        remove.setAccessibleName("Remove property")
        remove.clicked.connect(lambda _c=False: self.removed.emit(self))
        layout.addWidget(self.name, 2)
        layout.addWidget(self.value, 3)
        layout.addWidget(self.secret)
        layout.addWidget(remove)

    def _masked(self, secret: bool) -> None:
        self.value.setEchoMode(QLineEdit.EchoMode.Password if secret
                               else QLineEdit.EchoMode.Normal)

    def property(self) -> Property | None:  # type: ignore[override]
        name = self.name.text().strip()
        if not name and not self.value.text():
            return None
        return Property(name, self.value.text(), self.secret.isChecked(), self.prop_id)


class PropertyList(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("propertyList")
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.rows: list[PropertyRow] = []
        self.add_button = QPushButton("Add Property", self)
        self.add_button.setObjectName("addProperty")
        self.add_button.clicked.connect(lambda _c=False: self.add_row(None))
        self.layout_.addWidget(self.add_button)

    def add_row(self, prop: Property | None) -> PropertyRow:
        row = PropertyRow(prop, self)
        row.removed.connect(self._remove)
        self.rows.append(row)
        self.layout_.insertWidget(len(self.rows) - 1, row)
        return row

    def _remove(self, row: PropertyRow) -> None:
        self.rows.remove(row)
        row.value.clear()
        row.deleteLater()

    def properties(self) -> list[Property]:
        return [p for p in (r.property() for r in self.rows) if p is not None]

    def clear_values(self) -> None:
        for row in self.rows:
            row.value.clear()


__all__ = ["PropertyList", "PropertyRow"]
