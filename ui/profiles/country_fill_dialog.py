"""Fill Country Code…: the import wizard's bulk fix for phone numbers without a country code
(the column missing from the file, or blank cells): pick the line and the code, read the
preview, apply. The file itself is never changed; the rows are checked again at once."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import PreflightError
from app.profiles.fill_country import CountryFill, fill_country_codes, preview
from app.profiles.sheet import Sheet
from app.profiles.template import BY_FIELD
from ui.widgets.cells import MessageLine
from ui.widgets.policy_common import as_sentence


class CountryFillDialog(QDialog):
    """`result_sheet` is the sheet with the codes filled once accepted."""

    def __init__(self, sheet: Sheet, lines: list[str], code: str = "US",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("countryFillDialog")
        self.setWindowTitle("Fill Country Code")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.sheet = sheet
        self.fill: CountryFill | None = None
        self.result_sheet: Sheet | None = None
        layout = QVBoxLayout(self)
        intro = QLabel("Give every phone number of one line the same country code. Rows "
                       "without a number stay blank; the file itself is not changed.", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.line = QComboBox(self)
        self.line.setObjectName("fillPhoneLine")
        for field in lines:
            self.line.addItem(BY_FIELD[field].header, field)
        self.code = QLineEdit(code, self)
        self.code.setObjectName("fillCountryCode")
        self.code.setMaxLength(8)
        self.code.setPlaceholderText("US, GB, DE …")
        form.addRow("Phone line:", self.line)
        form.addRow("Country code:", self.code)
        layout.addLayout(form)
        self.preview = MessageLine(self, 3)  # it changes as the code is typed: no jumps
        self.preview.setObjectName("fillPreview")
        layout.addWidget(self.preview)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.apply = self.buttons.addButton("Fill", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply.setObjectName("fillApply")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.line.currentIndexChanged.connect(lambda _i: self._update())
        self.code.textChanged.connect(lambda _t: self._update())
        self._update()

    def _update(self) -> None:
        try:
            self.fill = preview(self.sheet, self.line.currentData(), self.code.text())
        except PreflightError as exc:
            self.fill = None
            self.preview.setText(as_sentence(str(exc)))
        else:
            self.preview.setText(self.fill.describe())
        self.apply.setEnabled(self.fill is not None and bool(self.fill.rows))

    def accept(self) -> None:
        if self.fill is None or not self.fill.rows:
            return
        self.result_sheet = fill_country_codes(self.sheet, self.fill)
        super().accept()


__all__ = ["CountryFillDialog"]
