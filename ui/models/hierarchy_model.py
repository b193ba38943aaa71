"""Companies → Sites as a two-level tree, fed plain company and site rows.

Names are edited in place: `setData` shows the new name at once and asks for the rename with
`rename_requested(kind, id, name)`; the page saves it (and reloads, which also reverts a name the
service refused). Company rows have internal id 0; a site row's internal id is its company's row
+ 1, so no Python object has to outlive an index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QStyle

from app.services.views import CompanyView, SiteView
from ui.models.rows import ID_ROLE, SORT_ROLE, Index, fold

KIND_ROLE = Qt.ItemDataRole.UserRole + 3
# Built once: combining enum flags in Python is slow, and views ask for flags very often.
_COMPANY_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_SITE_FLAGS = _COMPANY_FLAGS | Qt.ItemFlag.ItemNeverHasChildren
_EDITABLE = Qt.ItemFlag.ItemIsEditable
COMPANY = "company"
SITE = "site"

__all__ = ["COMPANY", "ID_ROLE", "KIND_ROLE", "SITE", "SORT_ROLE", "HierarchyModel"]


@dataclass
class _CompanyNode:
    company: CompanyView
    sites: list[SiteView]

    @property
    def devices(self) -> int:
        return sum(s.device_count for s in self.sites)


class HierarchyModel(QAbstractItemModel):
    COL_NAME = 0
    COL_PACKAGE = 1
    COL_DEVICES = 2
    HEADERS: ClassVar[tuple[str, ...]] = ("Name", "Package", "Devices")

    rename_requested = Signal(str, str, str)  # kind, id, new name

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._nodes: list[_CompanyNode] = []
        self._bold: QFont | None = None
        self._icons: dict[str, QIcon] = {}

    # feeding
    def set_rows(self, companies: Sequence[CompanyView], sites: Sequence[SiteView]) -> None:
        by_company: dict[str, list[SiteView]] = {c.id: [] for c in companies}
        for site in sites:
            by_company.setdefault(site.company_id, []).append(site)
        self.beginResetModel()
        self._nodes = [
            _CompanyNode(c, sorted(by_company[c.id], key=lambda s: s.name.casefold()))
            for c in sorted(companies, key=lambda c: c.name.casefold())
        ]
        self.endResetModel()

    def companies(self) -> list[CompanyView]:
        return [n.company for n in self._nodes]

    def sites(self, company_id: str | None = None) -> list[SiteView]:
        return [s for n in self._nodes for s in n.sites
                if company_id is None or n.company.id == company_id]

    def company_index(self, company_id: str) -> QModelIndex:
        for row, node in enumerate(self._nodes):
            if node.company.id == company_id:
                return self.index(row, 0)
        return QModelIndex()

    def site_index(self, site_id: str) -> QModelIndex:
        for row, node in enumerate(self._nodes):
            for site_row, site in enumerate(node.sites):
                if site.id == site_id:
                    return self.index(site_row, 0, self.index(row, 0))
        return QModelIndex()

    def item(self, index: Index) -> CompanyView | SiteView | None:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self._nodes[index.row()].company
        return self._nodes[index.internalId() - 1].sites[index.row()]

    # structure
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        if parent.internalId() == 0:
            return self.createIndex(row, column, parent.row() + 1)
        return QModelIndex()

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._nodes)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._nodes[parent.row()].sites)
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section == self.COL_DEVICES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    # cells
    def _icon(self, kind: str) -> QIcon:
        if kind not in self._icons:
            pixmap = (QStyle.StandardPixmap.SP_DirIcon if kind == COMPANY
                      else QStyle.StandardPixmap.SP_DriveNetIcon)
            self._icons[kind] = QApplication.style().standardIcon(pixmap)
        return self._icons[kind]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = index.column()
        if index.internalId() == 0:
            return self._company_data(self._nodes[index.row()], column, role)
        return self._site_data(self._nodes[index.internalId() - 1].sites[index.row()],
                               column, role)

    def _common(self, kind: str, item_id: str, role: int) -> Any:
        if role == ID_ROLE:
            return item_id
        if role == KIND_ROLE:
            return kind
        return None

    def _company_data(self, node: _CompanyNode, column: int, role: int) -> Any:
        company = node.company
        values = {self.COL_NAME: company.name, self.COL_PACKAGE: "",
                  self.COL_DEVICES: str(node.devices)}
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return values[column]
        if role == SORT_ROLE:
            return fold(node.devices if column == self.COL_DEVICES else values[column])
        if role == Qt.ItemDataRole.DecorationRole and column == self.COL_NAME:
            return self._icon(COMPANY)
        if role == Qt.ItemDataRole.FontRole and column == self.COL_NAME:
            if self._bold is None:
                self._bold = QFont(QApplication.font())
                self._bold.setBold(True)
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_NAME:
            count = len(node.sites)
            return f"{company.name}: {count} site{'s' if count != 1 else ''}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COL_DEVICES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return self._common(COMPANY, company.id, role)

    def _site_data(self, site: SiteView, column: int, role: int) -> Any:
        values = {self.COL_NAME: site.name, self.COL_PACKAGE: site.package or "—",
                  self.COL_DEVICES: str(site.device_count)}
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return values[column]
        if role == SORT_ROLE:
            return fold(site.device_count if column == self.COL_DEVICES else values[column])
        if role == Qt.ItemDataRole.DecorationRole and column == self.COL_NAME:
            return self._icon(SITE)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_PACKAGE:
            return (f"Package: {site.package}" if site.package
                    else "No package of its own: inherits the default package")
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COL_DEVICES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return self._common(SITE, site.id, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = _COMPANY_FLAGS if index.internalId() == 0 else _SITE_FLAGS
        return flags | _EDITABLE if index.column() == 0 else flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (not index.isValid() or index.column() != self.COL_NAME
                or role != Qt.ItemDataRole.EditRole or not isinstance(value, str)):
            return False
        name = value.strip()
        item = self.item(index)
        if item is None or not name or name == item.name:
            return False
        if index.internalId() == 0:
            node = self._nodes[index.row()]
            node.company = replace(node.company, name=name)
            kind = COMPANY
        else:
            sites = self._nodes[index.internalId() - 1].sites
            sites[index.row()] = replace(sites[index.row()], name=name)
            kind = SITE
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole,
                                             Qt.ItemDataRole.EditRole])
        self.rename_requested.emit(kind, item.id, name)
        return True
