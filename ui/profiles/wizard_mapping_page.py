"""Step 2 of the import wizard: which template field each column of the file is imported as.

Columns the template recognised come pre-set; unknown headers and second columns for the same
field start as "Ignore" and are marked. Choosing a field another column has takes it away from
that column (as `Sheet.remap` does), so no field is imported twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from app.profiles import COLUMNS, Sheet
from app.profiles.template import BY_FIELD, REQUIRED_FIELDS
from ui import theme

if TYPE_CHECKING:
    from ui.profiles.import_wizard import ImportWizard

IGNORE = "Ignore (not imported)"
SAMPLES = 3


def samples(sheet: Sheet, column: int) -> str:
    found: list[str] = []
    for row in sheet.rows:
        value = row.values[column] if column < len(row.values) else ""
        if value.strip():
            found.append(value.strip()[:30])
            if len(found) == SAMPLES:
                break
    return ", ".join(found)


class MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.owner = wizard
        self.setTitle("Match the columns")
        self.setSubTitle("Choose the template field each column holds, or Ignore. Columns marked "
                         "⚠ were not recognised.")
        self.combos: list[QComboBox] = []
        self._built_for: Sheet | None = None
        layout = QVBoxLayout(self)
        self.status = QLabel(self)
        self.status.setObjectName("mappingStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.scroller = QScrollArea(self)
        self.scroller.setWidgetResizable(True)
        layout.addWidget(self.scroller, 1)

    def initializePage(self) -> None:
        sheet = self.owner.read_sheet
        assert sheet is not None
        if sheet is self._built_for:  # back and forth again: keep the user's choices
            return
        self._built_for = sheet
        holder = QWidget(self.scroller)
        grid = QGridLayout(holder)
        for col, title in enumerate(("Column in the file", "Import as", "First values")):
            label = QLabel(f"<b>{title}</b>", holder)
            grid.addWidget(label, 0, col)
        flagged = set(sheet.unknown_columns) | {i for i, _ in sheet.duplicate_columns}
        repeats = dict(sheet.duplicate_columns)
        self.combos = []
        for index, header in enumerate(sheet.headers):
            name = header.strip() or f"(no header, column {index + 1})"
            label = QLabel(("⚠ " if index in flagged else "") + name, holder)
            if index in repeats:
                label.setToolTip(f"A second column for {BY_FIELD[repeats[index]].label}; "
                                 "only the first is imported unless you choose here.")
            elif index in flagged:
                label.setToolTip("The template has no column of this name.")
            combo = QComboBox(holder)
            combo.setObjectName(f"mapColumn{index}")
            combo.setAccessibleName(f"Import column {name} as")
            combo.addItem(IGNORE, None)
            for column in COLUMNS:
                combo.addItem(column.label, column.field)
            field = sheet.fields[index]
            combo.setCurrentIndex(combo.findData(field) if field is not None else 0)
            combo.currentIndexChanged.connect(lambda _i, c=index: self._chosen(c))
            self.combos.append(combo)
            grid.addWidget(label, index + 1, 0)
            grid.addWidget(combo, index + 1, 1)
            grid.addWidget(QLabel(samples(sheet, index), holder), index + 1, 2)
        grid.setColumnStretch(2, 1)
        grid.setRowStretch(len(sheet.headers) + 1, 1)
        self.scroller.setWidget(holder)
        self._update_status()

    def _chosen(self, column: int) -> None:
        field = self.combos[column].currentData()
        if field is not None:
            for other, combo in enumerate(self.combos):
                if other != column and combo.currentData() == field:
                    combo.blockSignals(True)
                    combo.setCurrentIndex(0)
                    combo.blockSignals(False)
        self._update_status()

    def mapping(self) -> dict[int, str | None]:
        """The columns whose field differs from what was recognised."""
        sheet = self.owner.read_sheet
        assert sheet is not None
        return {i: combo.currentData() for i, combo in enumerate(self.combos)
                if combo.currentData() != sheet.fields[i]}

    def choose(self, column: int, field: str | None) -> None:
        """Pick `field` (None: Ignore) for `column`, as the user does with the combo."""
        combo = self.combos[column]
        combo.setCurrentIndex(combo.findData(field) if field is not None else 0)

    def _chosen_fields(self) -> set[str]:
        return {c.currentData() for c in self.combos if c.currentData() is not None}

    def _update_status(self) -> None:
        chosen = self._chosen_fields()
        missing = [BY_FIELD[f].label for f in REQUIRED_FIELDS if f not in chosen]
        phones = {"mobile_phone", "office_phone", "home_phone"} & chosen
        problems = []
        if missing:
            problems.append(f"No column is imported as {' or '.join(missing)}: every row would "
                            "be refused. Choose the column that holds it.")
        if not phones:
            problems.append("No phone column is imported: every profile needs a phone number.")
        if problems:
            self.status.setText(" ".join(problems))
            theme.set_style(self.status, "color: $error")
        else:
            ignored = sum(c.currentData() is None for c in self.combos)
            self.status.setText(f"{len(chosen)} columns are imported"
                                + (f", {ignored} ignored." if ignored else "."))
            theme.set_style(self.status, "")

    def validatePage(self) -> bool:
        sheet = self.owner.read_sheet
        assert sheet is not None
        mapping = self.mapping()
        self.owner.sheet = sheet.remap(mapping) if mapping else sheet
        return True
