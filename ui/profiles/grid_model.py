"""The import wizard's validation grid: the sheet's cells as read, editable in place, with every
finding of the last validation on its cell (background colour and tooltip).

Rows are the sheet's own `Row` objects: editing a cell changes the value the import will use
(and clears its "numeric cell" and "formula" marks: it is typed text now). "Errors only" keeps
the rows with at least one error, filtered in Python with a model reset (docs/architecture.md §5).
A finding whose column is not in the file (say "no phone number at all" in a file without a
Mobile Phone column) is shown on the row's header.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from app.profiles import Issue, Report, Sheet
from ui import theme

Index = QModelIndex | QPersistentModelIndex
# the light scheme's cell colours; data() gives the current scheme's (ui.theme tokens)
ERROR_BRUSH = QBrush(QColor("#f6c9c6"))
WARNING_BRUSH = QBrush(QColor("#fbe7b5"))
IGNORED_BRUSH = QBrush(QColor("#8a8a8a"))
EDITABLE = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemNeverHasChildren)
ISSUE_ROLE = Qt.ItemDataRole.UserRole + 10  # the cell's findings, as a list of Issue


def _brush(token: str) -> QBrush:
    return QBrush(theme.color(token))


def describe(issues: Iterable[Issue]) -> str:
    lines = []
    for issue in issues:
        line = f"{issue.severity.capitalize()}: {issue.message}"
        if issue.fix is not None:
            line += f"\nProposed fix: {issue.fix!r}" if issue.fix else "\nProposed fix: clear it"
        lines.append(line)
    return "\n\n".join(lines)


class SheetGridModel(QAbstractTableModel):
    edited = Signal()  # a cell was changed: the findings shown may be out of date

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.sheet: Sheet | None = None
        self.report: Report | None = None
        self.errors_only = False
        self._visible: list[int] = []  # indexes into sheet.rows
        self._cells: dict[tuple[int, int], list[Issue]] = {}
        self._row_issues: dict[int, list[Issue]] = {}  # findings with no cell of their own
        self._error_rows: frozenset[int] = frozenset()
        self._column_of: dict[str, int] = {}
        self.stale = False  # edited since the last validation

    # feeding
    def set_sheet(self, sheet: Sheet, report: Report | None = None) -> None:
        self.beginResetModel()
        self.sheet = sheet
        self._column_of = {sheet.column_name(i): i for i in range(len(sheet.headers))}
        self._index_report(report)
        self._filter()
        self.endResetModel()

    def set_report(self, report: Report | None) -> None:
        self.beginResetModel()
        self._index_report(report)
        self._filter()
        self.endResetModel()

    def set_errors_only(self, errors_only: bool) -> None:
        self.beginResetModel()
        self.errors_only = errors_only
        self._filter()
        self.endResetModel()

    def _index_report(self, report: Report | None) -> None:
        self.report = report
        self.stale = False
        self._cells = {}
        self._row_issues = {}
        self._error_rows = report.error_rows if report is not None else frozenset()
        if report is None:
            return
        for issue in report.issues:
            column = self._column_of.get(issue.column)
            if column is None:
                self._row_issues.setdefault(issue.row, []).append(issue)
            else:
                self._cells.setdefault((issue.row, column), []).append(issue)

    def _filter(self) -> None:
        rows = self.sheet.rows if self.sheet is not None else []
        if self.errors_only:
            bad = self._error_rows
            self._visible = [i for i, row in enumerate(rows) if row.number in bad]
        else:
            self._visible = list(range(len(rows)))

    # look-ups
    def row_number(self, row: int) -> int:
        assert self.sheet is not None
        return self.sheet.rows[self._visible[row]].number

    def issues_at(self, index: Index) -> list[Issue]:
        if not index.isValid() or self.sheet is None:
            return []
        return self._cells.get((self.row_number(index.row()), index.column()), [])

    def row_issues(self, row: int) -> list[Issue]:
        return self._row_issues.get(self.row_number(row), [])

    def index_of(self, row_number: int, column: int) -> QModelIndex:
        """The index showing spreadsheet row `row_number`, column `column` (if visible)."""
        if self.sheet is None:
            return QModelIndex()
        for visible, source in enumerate(self._visible):
            if self.sheet.rows[source].number == row_number:
                return self.index(visible, column)
        return QModelIndex()

    def column_of(self, issue: Issue) -> int | None:
        return self._column_of.get(issue.column)

    def fixable(self, code: str) -> list[Issue]:
        """The findings of kind `code` whose proposed fix can be applied to a cell."""
        if self.report is None:
            return []
        return [i for i in self.report.issues
                if i.code == code and i.fix is not None and i.column in self._column_of]

    # changing cells
    def apply_fixes(self, issues: Iterable[Issue]) -> int:
        """Put each finding's proposed value into its cell; returns how many cells changed."""
        if self.sheet is None:
            return 0
        rows = {row.number: row for row in self.sheet.rows}
        changed = 0
        for issue in issues:
            column = self._column_of.get(issue.column)
            row = rows.get(issue.row)
            if column is None or row is None or issue.fix is None:
                continue
            changed += self._write(row, column, issue.fix)
        if changed:
            self.stale = True
            top = self.index(0, 0)
            bottom = self.index(self.rowCount() - 1, self.columnCount() - 1)
            self.dataChanged.emit(top, bottom)
            self.edited.emit()
        return changed

    @staticmethod
    def _write(row: Any, column: int, text: str) -> int:
        while len(row.values) <= column:
            row.values.append("")
        was = (row.values[column], column in row.numeric, column in row.formula)
        row.values[column] = text
        if column in row.numeric:
            row.numeric = row.numeric - {column}
        if column in row.formula:
            row.formula = row.formula - {column}
        return int(was != (text, False, False))

    # Qt
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self.sheet is None:
            return 0
        return len(self.sheet.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.sheet is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self.sheet.headers):
                return None
            ignored = self.sheet.fields[section] is None
            if role == Qt.ItemDataRole.DisplayRole:
                name = self.sheet.column_name(section)
                return f"{name} (ignored)" if ignored else name
            if role == Qt.ItemDataRole.ToolTipRole:
                found = self.sheet.headers[section]
                return (f"Header in the file: {found!r}" + ("; not imported" if ignored else ""))
            if role == Qt.ItemDataRole.ForegroundRole and ignored:
                return _brush("ignored")
            return None
        if not 0 <= section < len(self._visible):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return str(self.row_number(section))
        if role == Qt.ItemDataRole.ToolTipRole:
            issues = self.row_issues(section)
            return describe(issues) if issues else f"Row {self.row_number(section)} of the file"
        if role == Qt.ItemDataRole.BackgroundRole and self.row_issues(section):
            return _brush("cell_error_bg")
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (self.sheet is None or not index.isValid()
                or not 0 <= index.row() < len(self._visible)):
            return None
        row = self.sheet.rows[self._visible[index.row()]]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return row.values[column] if column < len(row.values) else ""
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole, ISSUE_ROLE):
            issues = self._cells.get((row.number, column), [])
            if role == ISSUE_ROLE:
                return issues
            if not issues:
                return None
            if role == Qt.ItemDataRole.ToolTipRole:
                return describe(issues)
            error = any(i.severity == "error" for i in issues)
            return _brush("cell_error_bg" if error else "cell_warning_bg")
        if role == Qt.ItemDataRole.ForegroundRole and self.sheet.fields[column] is None:
            return _brush("ignored")
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (role != Qt.ItemDataRole.EditRole or self.sheet is None or not index.isValid()
                or not 0 <= index.row() < len(self._visible)):
            return False
        row = self.sheet.rows[self._visible[index.row()]]
        if self._write(row, index.column(), "" if value is None else str(value)):
            self.stale = True
            self.dataChanged.emit(index, index)
            self.edited.emit()
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return EDITABLE
