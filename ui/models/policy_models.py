"""Qt item models of the Policies and Packages pages, fed plain service views (docs/architecture.md
§5).

- `PolicyTableModel`: the Policies page's table (name, type, category, used in packages).
- `PolicySourceModel`: the Package Builder's Policy List, grouped by type; a drag source whose
  mime data carries policy ids (`POLICY_IDS_MIME`).
- `PackagePoliciesModel`: the builder's building blocks; accepts drops of policy ids and reports
  them with `policies_dropped` (the builder turns them into undo commands, never the model).
- `PackageTableModel`: the package list.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QStyle

from app.services.views import PackageView, PolicyRef, PolicyView
from ui.models.rows import ID_ROLE, SORT_ROLE, RowTableModel
from ui.theme import blank_icon

POLICY_IDS_MIME = "application/x-preflight-policy-ids"

__all__ = ["DETAIL_ROLE", "ID_ROLE", "POLICY_IDS_MIME", "SORT_ROLE", "TYPE_LABEL_ROLE",
           "TYPE_ROLE", "PackagePoliciesModel", "PackageTableModel", "PolicySourceModel",
           "PolicyTableModel", "category_icon", "category_label", "decode_policy_ids",
           "encode_policy_ids"]

TYPE_ROLE = Qt.ItemDataRole.UserRole + 3
TYPE_LABEL_ROLE = Qt.ItemDataRole.UserRole + 4
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 5

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


def encode_policy_ids(ids: Iterable[str]) -> QMimeData:
    """Mime data carrying policy ids in order (JSON list), plus their ids as plain text."""
    unique = list(dict.fromkeys(ids))
    mime = QMimeData()
    mime.setData(POLICY_IDS_MIME, QByteArray(json.dumps(unique).encode()))
    return mime


def decode_policy_ids(mime: QMimeData | None) -> list[str]:
    """The policy ids of `encode_policy_ids` mime data; [] for anything else or damaged data."""
    if mime is None or not mime.hasFormat(POLICY_IDS_MIME):
        return []
    try:
        ids = json.loads(bytes(mime.data(POLICY_IDS_MIME).data()).decode())
    except (ValueError, UnicodeDecodeError):
        return []
    if not isinstance(ids, list):
        return []
    return [i for i in ids if isinstance(i, str) and i]


def category_label(category: str) -> str:
    return category.capitalize()


def category_icon(category: str) -> QIcon:
    """Sites policies and Devices policies look different in every list."""
    pixmap = (QStyle.StandardPixmap.SP_DriveNetIcon if category == "sites"
              else QStyle.StandardPixmap.SP_ComputerIcon)
    return QApplication.style().standardIcon(pixmap)


_ICONS: dict[str, QIcon] = {}


def _in_package_icon() -> QIcon:
    if "in" not in _ICONS:
        _ICONS["in"] = QApplication.style().standardIcon(
            QStyle.StandardPixmap.SP_DialogApplyButton)
    return _ICONS["in"]


def _blank_icon() -> QIcon:
    """Keeps names aligned whether or not they carry the in-package check mark."""
    if "blank" not in _ICONS:
        _ICONS["blank"] = blank_icon(16)  # sharp at every device pixel ratio
    return _ICONS["blank"]


def _sort_key(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


# --- the Policies page's table ---------------------------------------------------------------


class PolicyTableModel(RowTableModel):
    COL_NAME = 0
    COL_TYPE = 1
    COL_CATEGORY = 2
    COL_USED = 3
    HEADERS: ClassVar[tuple[str, ...]] = ("Name", "Type", "Category", "Used in packages")

    def display(self, row: PolicyView, column: int) -> str:
        if column == self.COL_NAME:
            return row.name
        if column == self.COL_TYPE:
            return row.type_label
        if column == self.COL_CATEGORY:
            return category_label(row.category)
        if column == self.COL_USED:
            return ", ".join(row.packages) if row.packages else "—"
        return ""

    def sort_value(self, row: PolicyView, column: int) -> Any:
        if column == self.COL_USED:
            return len(row.packages)
        return _sort_key(self.display(row, column))

    def sort_key(self, column: int) -> Callable[[PolicyView], Any]:
        value = self.sort_value
        return lambda r: (value(r, column), r.name.casefold(), r.id)

    def extra(self, row: PolicyView, column: int, role: int) -> Any:
        if role == TYPE_ROLE:
            return row.type
        if role == Qt.ItemDataRole.DecorationRole and column == self.COL_TYPE:
            return category_icon(row.category)
        if role == Qt.ItemDataRole.ToolTipRole:
            used = ("in packages: " + ", ".join(row.packages) if row.packages
                    else "not in any package")
            if column == self.COL_USED:
                return used[0].upper() + used[1:]
            # on every column: the list hides Used in packages when narrow
            return f"{row.name} — {row.type_label} ({category_label(row.category)}); {used}"
        return None

    def policy_at(self, row: int) -> PolicyView | None:
        found: PolicyView | None = self.row_or_none(row)
        return found

    def row_of(self, policy_id: str) -> int:
        return self.find_row(policy_id)


# --- the Package Builder's Policy List (drag source) -----------------------------------------


@dataclass
class _Group:
    type_id: str
    label: str
    category: str
    policies: list[PolicyView]


class PolicySourceModel(QAbstractItemModel):
    """Policies grouped under their type. Policies drag (copy only) as `POLICY_IDS_MIME`."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._groups: list[_Group] = []
        self._in_package: set[str] = set()

    # structure: a group's internal id is 0, a policy's is its group's row + 1
    def index(self, row: int, column: int, parent: Index = _ROOT) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, 0) if row < len(self._groups) else QModelIndex()
        if parent.internalId() != 0 or parent.column() != 0:
            return QModelIndex()
        group = parent.row()
        if group >= len(self._groups) or row >= len(self._groups[group].policies):
            return QModelIndex()
        return self.createIndex(row, 0, group + 1)

    def parent(self, index: Index = _ROOT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = _ROOT) -> int:
        if not parent.isValid():
            return len(self._groups)
        if parent.column() != 0 or parent.internalId() != 0:
            return 0
        return len(self._groups[parent.row()].policies)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 1

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if section == 0 and orientation == Qt.Orientation.Horizontal \
                and role == Qt.ItemDataRole.DisplayRole:
            return "Policy"
        return None

    def _policy(self, index: Index) -> PolicyView | None:
        if not index.isValid() or index.internalId() == 0:
            return None
        return self._groups[index.internalId() - 1].policies[index.row()]

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.internalId() == 0:
            return Qt.ItemFlag.ItemIsEnabled
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemNeverHasChildren)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        policy = self._policy(index)
        if policy is None:
            group = self._groups[index.row()]
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{group.label}  ({len(group.policies)})"
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.DecorationRole:
                return category_icon(group.category)
            if role == Qt.ItemDataRole.ToolTipRole:
                return (f"{group.label} policies ({category_label(group.category)}). "
                        "A package holds one policy of each type.")
            if role == TYPE_ROLE:
                return group.type_id
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return policy.name
        if role == ID_ROLE:
            return policy.id
        if role == TYPE_ROLE:
            return policy.type
        if role == TYPE_LABEL_ROLE:
            return policy.type_label
        if role == Qt.ItemDataRole.DecorationRole:
            return _in_package_icon() if policy.id in self._in_package else _blank_icon()
        if role == Qt.ItemDataRole.ToolTipRole:
            where = " — already in this package" if policy.id in self._in_package else ""
            return (f"{policy.name} ({policy.type_label}){where}\n"
                    "Drag into the Package Builder, or double-click to add.")
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return policy.type_label
        return None

    # feeding
    def set_rows(self, rows: Sequence[PolicyView], type_order: Sequence[str] = ()) -> None:
        """Group the policies by type; groups follow `type_order`, policies sort by name."""
        order = {t: i for i, t in enumerate(type_order)}
        groups: dict[str, _Group] = {}
        for row in rows:
            group = groups.setdefault(row.type, _Group(row.type, row.type_label, row.category, []))
            group.policies.append(row)
        for group in groups.values():
            group.policies.sort(key=lambda p: (p.name.casefold(), p.id))
        self.beginResetModel()
        self._groups = sorted(groups.values(),
                              key=lambda g: (order.get(g.type_id, len(order)), g.label))
        self.endResetModel()

    def set_in_package(self, ids: Iterable[str]) -> None:
        """Mark the policies the builder's package holds (a check mark beside each)."""
        self._in_package = set(ids)
        for g, group in enumerate(self._groups):
            if group.policies:
                parent = self.index(g, 0)
                self.dataChanged.emit(self.index(0, 0, parent),
                                      self.index(len(group.policies) - 1, 0, parent),
                                      [Qt.ItemDataRole.DecorationRole,
                                       Qt.ItemDataRole.ToolTipRole])

    def policy_index(self, policy_id: str) -> QModelIndex:
        for g, group in enumerate(self._groups):
            for r, policy in enumerate(group.policies):
                if policy.id == policy_id:
                    return self.index(r, 0, self.index(g, 0))
        return QModelIndex()

    def policy_count(self) -> int:
        return sum(len(g.policies) for g in self._groups)

    # drag
    def mimeTypes(self) -> list[str]:
        return [POLICY_IDS_MIME]

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.IgnoreAction

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        """The dragged policies' ids, in the order the list shows them."""
        chosen = sorted(
            {(i.internalId() - 1, i.row()) for i in indexes
             if i.isValid() and i.internalId() != 0},
        )
        return encode_policy_ids(self._groups[g].policies[r].id for g, r in chosen)


# --- the Package Builder's building blocks (drop target) -------------------------------------


class PackagePoliciesModel(QAbstractListModel):
    """The policies of the package being built, in order. Accepts drops of policy ids.

    The model never changes itself on a drop: it emits `policies_dropped(ids, row)` and the
    builder applies the drop as an undoable command (with the one-per-type rule).
    """

    policies_dropped = Signal(list, int)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[PolicyRef] = []
        self._categories: dict[str, str] = {}

    def set_type_categories(self, categories: dict[str, str]) -> None:
        self._categories = dict(categories)

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        ref = self._rows[index.row()]
        category = self._categories.get(ref.type, "")
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return ref.name
        if role == ID_ROLE:
            return ref.id
        if role == TYPE_ROLE:
            return ref.type
        if role == TYPE_LABEL_ROLE:
            return ref.type_label
        if role == DETAIL_ROLE:
            return f"{ref.type_label} · {category_label(category)}" if category \
                else ref.type_label
        if role == Qt.ItemDataRole.DecorationRole:
            return category_icon(category)
        if role == Qt.ItemDataRole.ToolTipRole:
            return (f"{ref.name} — the package's {ref.type_label} policy.\n"
                    "Dropping another policy of this type replaces it.")
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return ref.type_label
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemNeverHasChildren)

    def set_policies(self, refs: Sequence[PolicyRef]) -> None:
        self.beginResetModel()
        self._rows = list(refs)
        self.endResetModel()

    def policies(self) -> list[PolicyRef]:
        return list(self._rows)

    def policy_ids(self) -> list[str]:
        return [r.id for r in self._rows]

    # drop
    def mimeTypes(self) -> list[str]:
        return [POLICY_IDS_MIME]

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.IgnoreAction

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: Index) -> bool:
        return bool(decode_policy_ids(data)) and action in (
            Qt.DropAction.CopyAction, Qt.DropAction.MoveAction)

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: Index) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        if parent.isValid():  # dropped onto a policy: put the new ones just before it
            row = parent.row()
        self.policies_dropped.emit(decode_policy_ids(data), row)
        return True


# --- the package list ------------------------------------------------------------------------


class PackageTableModel(RowTableModel):
    """The package list: the default package first, then by name (the view does not sort)."""

    COL_NAME = 0
    COL_POLICIES = 1
    COL_SITES = 2
    HEADERS: ClassVar[tuple[str, ...]] = ("Package", "Policies", "Sites")
    NUMERIC: ClassVar[frozenset[int]] = frozenset({COL_POLICIES, COL_SITES})

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._unsaved: set[str] = set()

    def display(self, row: PackageView, column: int) -> str:
        if column == self.COL_NAME:
            default = "  (default)" if row.is_default else ""
            mark = " •" if row.id in self._unsaved else ""
            return f"{row.name}{default}{mark}"
        if column == self.COL_POLICIES:
            return str(len(row.policies))
        if column == self.COL_SITES:
            if row.inherited_by:  # the default package: the sites that inherit it count too
                if not row.site_count:
                    return f"{row.inherited_by} (inherited)"
                return f"{row.sites_using} ({row.inherited_by} inherited)"
            return str(row.site_count)
        return ""

    def sort_value(self, row: PackageView, column: int) -> Any:
        return (_sort_key(row.name), len(row.policies), row.sites_using)[column]

    def sorted_rows(self, rows: Iterable[PackageView]) -> list[PackageView]:
        if self._sort is None:
            return sorted(rows, key=lambda p: (not p.is_default, p.name.casefold(), p.id))
        return super().sorted_rows(rows)

    def extra(self, row: PackageView, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.FontRole and column == self.COL_NAME and row.is_default:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [row.name]
            if row.is_default:
                lines.append("Default package: assigned at partner level, inherited by all.")
            lines.extend(f"• {p.name} ({p.type_label})" for p in row.policies)
            lines.append(f"Assigned to {row.site_count} site(s)."
                         + (f" Inherited by {row.inherited_by} site(s) without a package of "
                            "their own." if row.inherited_by else ""))
            if row.id in self._unsaved:
                lines.append("Has unsaved changes in the builder.")
            return "\n".join(lines)
        return None

    def set_unsaved(self, ids: Iterable[str]) -> None:
        unsaved = set(ids)
        if unsaved == self._unsaved:
            return
        self._unsaved = unsaved
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0),
                                  [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole])

    def package_at(self, row: int) -> PackageView | None:
        found: PackageView | None = self.row_or_none(row)
        return found

    def row_of(self, package_id: str) -> int:
        return self.find_row(package_id)
