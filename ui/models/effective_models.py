"""Effective settings of a site or device (with provenance), and two sites side by side."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QIcon

from app.domain.settings import SettingValue
from app.services.views import ComparisonRow, EffectiveRow
from ui import theme
from ui.formatting import format_value, level_label
from ui.models.rows import RowTableModel

# the source levels' colours, light and dark: ui.theme's `level_*` tokens
LEVEL_TOKENS = {
    "default-package": "level_default_package",
    "site-package": "level_site_package",
    "device-override": "level_device_override",
}
_swatches: dict[tuple[str, bool], QIcon] = {}


def level_icon(level: str) -> QIcon:
    """A small coloured dot per source level, so the levels are told apart at a glance; drawn
    for the current light or dark scheme, sharp at every device pixel ratio."""
    key = (level, theme.is_dark())
    if key not in _swatches:
        token = LEVEL_TOKENS.get(level, "level_default_package")
        _swatches[key] = theme.dot_icon(theme.color(token), size=12, diameter=8)
    return _swatches[key]


def source_phrase(row: EffectiveRow) -> str:
    """Where a row's value comes from, as a phrase ("from the site's own package 'X', policy
    'Y'")."""
    if row.level == "device-override":
        return "set on this device"
    where = "the site's own package" if row.level == "site-package" \
        else "the default package (inherited by every site)"
    return f"from {where} '{row.package}', policy '{row.policy}'"


class EffectiveTableModel(RowTableModel):
    COL_TYPE = 0
    COL_SETTING = 1
    COL_VALUE = 2
    COL_LEVEL = 3
    COL_PACKAGE = 4
    COL_POLICY = 5
    HEADERS: ClassVar[tuple[str, ...]] = ("Policy type", "Setting", "Value", "Source",
                                          "Package", "Policy")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.compact = False  # Package and Policy hidden: Source names the policy

    def set_compact(self, compact: bool) -> None:
        self.compact = compact
        if self.rowCount():
            self.dataChanged.emit(self.index(0, self.COL_LEVEL),
                                  self.index(self.rowCount() - 1, self.COL_LEVEL))

    def row_id(self, row: EffectiveRow) -> str:
        return f"{row.type}.{row.key}"

    def display(self, row: EffectiveRow, column: int) -> str:
        if column == self.COL_TYPE:
            return row.type_label
        if column == self.COL_SETTING:
            return row.label
        if column == self.COL_VALUE:
            return format_value(row.type, row.key, row.value)
        if column == self.COL_LEVEL:
            # compact: the dot tells the level (the legend above), the text the policy
            return self.display(row, self.COL_POLICY) if self.compact \
                else level_label(row.level)
        if column == self.COL_PACKAGE:
            return row.package or ""
        if column == self.COL_POLICY:
            return row.policy or ("Set on this device" if row.level == "device-override" else "")
        return ""

    def extra(self, row: EffectiveRow, column: int, role: int) -> Any:
        if column == self.COL_LEVEL and role == Qt.ItemDataRole.DecorationRole:
            return level_icon(row.level)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_SETTING:
            return f"{row.type}.{row.key}"
        if role == Qt.ItemDataRole.ToolTipRole and column in (self.COL_VALUE, self.COL_POLICY):
            return self.display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_LEVEL:
            if row.level == "device-override":
                return "Set on the device itself; it wins over every package"
            phrase = source_phrase(row)
            return phrase[:1].upper() + phrase[1:]
        return None


class ComparisonTableModel(RowTableModel):
    COL_TYPE = 0
    COL_SETTING = 1
    COL_LEFT = 2
    COL_LEFT_SOURCE = 3
    COL_RIGHT = 4
    COL_RIGHT_SOURCE = 5
    HEADERS: ClassVar[tuple[str, ...]] = ("Policy type", "Setting", "Site A", "Source (A)",
                                          "Site B", "Source (B)")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[ComparisonRow] = []
        self._type_labels: dict[str, str] = {}
        self.differences_only = False
        self.names = ("Site A", "Site B")
        self.compact = False  # the sources hidden: each value's tooltip says where it is from

    def set_compact(self, compact: bool) -> None:
        self.compact = compact  # only tooltips change: asked for when shown

    def set_comparison(self, rows: Sequence[ComparisonRow], names: tuple[str, str],
                       type_labels: dict[str, str]) -> None:
        self._all = list(rows)
        self._type_labels = dict(type_labels)
        self.names = names
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, self.COL_LEFT, self.COL_RIGHT)
        self._refilter()

    def set_differences_only(self, on: bool) -> None:
        self.differences_only = on
        self._refilter()

    def _refilter(self) -> None:
        self.set_rows([r for r in self._all if r.differs or not self.differences_only])

    def difference_count(self) -> int:
        return sum(1 for r in self._all if r.differs)

    def total_count(self) -> int:
        return len(self._all)

    def row_id(self, row: ComparisonRow) -> str:
        return f"{row.type}.{row.key}"

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and section in (self.COL_LEFT, self.COL_RIGHT)):
            return self.names[0 if section == self.COL_LEFT else 1]
        return super().headerData(section, orientation, role)

    def display(self, row: ComparisonRow, column: int) -> str:
        if column == self.COL_TYPE:
            return self._type_labels.get(row.type, row.type)
        if column == self.COL_SETTING:
            return row.label
        if column == self.COL_LEFT:
            return self._value(row, row.left, row.right)
        if column == self.COL_LEFT_SOURCE:
            return row.left_source
        if column == self.COL_RIGHT:
            return self._value(row, row.right, row.left)
        if column == self.COL_RIGHT_SOURCE:
            return row.right_source
        return ""

    @staticmethod
    def _value(row: ComparisonRow, value: SettingValue, other: SettingValue) -> str:
        text = format_value(row.type, row.key, value)
        if row.differs and text == format_value(row.type, row.key, other):
            # Both read "—" yet differ: one is set to nothing, the other not set at all.
            return "not set" if value is None else "(empty)"
        return text

    def extra(self, row: ComparisonRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column in (self.COL_LEFT_SOURCE,
                                                              self.COL_RIGHT_SOURCE):
            return self.display(row, column)
        if row.differs:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(theme.color("diff_bg"))  # follows light and dark
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(theme.color("diff_text"))
            if role == Qt.ItemDataRole.AccessibleDescriptionRole:
                return "differs"
            if role == Qt.ItemDataRole.ToolTipRole and column in (self.COL_LEFT, self.COL_RIGHT):
                return "The two sites differ here" + self._source_note(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (self.COL_LEFT, self.COL_RIGHT) \
                and self.compact:
            return self.display(row, column) + self._source_note(row, column)
        return None

    def _source_note(self, row: ComparisonRow, column: int) -> str:
        """Where a value comes from, when its Source column is hidden."""
        if not self.compact:
            return ""
        source = row.left_source if column == self.COL_LEFT else row.right_source
        return f"\nFrom: {source}" if source else ""
