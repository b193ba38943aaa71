"""Item models of the sync views, fed plain rows: the plan (Pending Changes), the open
conflicts, and one conflict's fields side by side (base / mine / theirs, and the side kept)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, ClassVar, Final, Literal

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.sync import Conflict, PlanItem
from app.sync.merge import DELETED, flatten
from ui.models.rows import RowTableModel

ENTITIES = {"company": "Company", "site": "Site", "device": "Device", "policy": "Policy",
            "package": "Package", "device_override": "Device override",
            "client_profile": "Client profile", "vault_item": "Vault item",
            "helpdesk_section": "Help Desk section", "notification_rule": "Notification rule"}
OPERATIONS = {("upsert", True): "Create", ("upsert", False): "Update", ("delete", False): "Delete",
              ("delete", True): "Delete"}
_ABSENT = object()  # a field the record did not have before
HIDDEN_FIELDS = frozenset({"id", "version", "updated_at", "deleted_at", "partner_id",
                           "partnerId"})
Side = Literal["mine", "theirs"]  # whose version a resolved conflict keeps
MINE: Final = "mine"
THEIRS: Final = "theirs"
CHANGED = QColor("#fff4ce")  # a side that differs from the base
CONFLICT = QColor("#fde2e1")  # a field changed differently on both sides


def entity_label(entity: str) -> str:
    return ENTITIES.get(entity, entity.replace("_", " ").capitalize())


def record_name(payload: dict[str, Any] | None, record_id: str) -> str:
    """What a user calls the record: its name or title, else the start of its id."""
    data = payload or {}
    for key in ("name", "title"):
        if data.get(key):
            return str(data[key])
    person = " ".join(str(data[k]) for k in ("first_name", "last_name") if data.get(k))
    if person:
        return person
    if data.get("section"):
        return str(data["section"])
    return record_id[:8]


def show_value(value: Any) -> str:
    if value is _ABSENT:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


_ABSENT = object()


@dataclass(frozen=True)
class PlanRow:
    id: str
    entity: str
    name: str
    operation: str
    fields: str
    changes: int

    @classmethod
    def of(cls, item: PlanItem) -> PlanRow:
        new = item.base_version == 0
        operation = OPERATIONS.get((item.op, new), item.op)
        after = flatten(item.payload)
        names = [k for k in after if k not in HIDDEN_FIELDS]
        if item.before is not None:  # an update: the fields it changes, not all it sends
            was = flatten(item.before)
            names = [k for k in names if was.get(k, _ABSENT) != after[k]]
        if item.op == "delete":
            fields = "—"
        elif not names:
            fields = "(no field changed)"
        elif len(names) > 6:
            fields = ", ".join(names[:6]) + f" (+{len(names) - 6})"
        else:
            fields = ", ".join(names)
        return cls(f"{item.entity}:{item.id}", entity_label(item.entity),
                   record_name(item.payload, item.id), operation, fields, item.changes)


class PlanModel(RowTableModel):
    COL_ENTITY, COL_NAME, COL_OPERATION, COL_FIELDS, COL_CHANGES = range(5)
    HEADERS: ClassVar[tuple[str, ...]] = ("Kind", "Name / id", "Operation", "Fields",
                                          "Edits")
    NUMERIC: ClassVar[frozenset[int]] = frozenset({4})

    def display(self, row: PlanRow, column: int) -> str:
        return str((row.entity, row.name, row.operation, row.fields, row.changes)[column])

    def sort_value(self, row: PlanRow, column: int) -> Any:
        return row.changes if column == self.COL_CHANGES else self.display(row, column)

    def extra(self, row: PlanRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.COL_FIELDS:
                return ("The fields this change sets (an update lists those it changes); the "
                        "whole record is sent and the server merges it field by field against "
                        "the version it was edited from")
            if column == self.COL_NAME:
                return row.id.partition(":")[2]
        return None


@dataclass(frozen=True)
class ConflictRow:
    id: str  # the conflict's seq, as text
    seq: int
    entity: str
    name: str
    kind: str
    fields: str
    conflict: Conflict

    @classmethod
    def of(cls, c: Conflict) -> ConflictRow:
        name = record_name(c.mine or c.theirs or c.base, c.entity_id)
        kind = {"edit": "Edited on both sides", "rejected": "Refused by the server",
                "refused": "Refused here"}.get(c.kind, c.kind)
        fields = ", ".join("(deleted)" if f == DELETED else f for f in c.fields)
        return cls(str(c.seq), c.seq, entity_label(c.entity), name, kind, fields, c)


class ConflictListModel(RowTableModel):
    COL_ENTITY, COL_NAME, COL_KIND, COL_FIELDS = range(4)
    HEADERS: ClassVar[tuple[str, ...]] = ("Kind", "Name / id", "Conflict", "Fields")

    def display(self, row: ConflictRow, column: int) -> str:
        return (row.entity, row.name, row.kind, row.fields)[column]


@dataclass(frozen=True)
class FieldRow:
    id: str  # the field's name
    base: Any
    mine: Any
    theirs: Any
    conflicting: bool


def field_rows(c: Conflict) -> list[FieldRow]:
    """Every field of the record with its three versions; conflicting fields first."""
    if c.kind == "rejected":
        flat_mine = flatten(c.mine)
        return [FieldRow(f"reason {n}", _ABSENT, reason, _ABSENT, True)
                for n, reason in enumerate(c.fields, start=1)] + [
            FieldRow(k, _ABSENT, v, _ABSENT, False) for k, v in flat_mine.items()
            if k not in HIDDEN_FIELDS]
    b, m, t = flatten(c.base), flatten(c.mine), flatten(c.theirs)
    rows = []
    if DELETED in c.fields:
        rows.append(FieldRow(DELETED, c.base is None, c.mine is None, c.theirs is None, True))
    for key in sorted(set(b) | set(m) | set(t)):
        if key in HIDDEN_FIELDS:
            continue
        rows.append(FieldRow(key, b.get(key, _ABSENT), m.get(key, _ABSENT),
                             t.get(key, _ABSENT), key in c.fields))
    rows.sort(key=lambda r: not r.conflicting)
    return rows


# Fields that hold a notification rule's id (a policy's setting, a site's Basic Info): shown
# by the rule's name, as everywhere else (docs/rules.md: a rule is referenced by id, shown by
# name).
RULE_FIELDS = frozenset({"notification_rule", "notification_rule_id"})


def is_rule_field(key: str) -> bool:
    return key.rpartition(".")[2] in RULE_FIELDS


class FieldModel(RowTableModel):
    """One conflict's fields. The Keep column shows the side chosen for a conflicting field
    (`choose`), "merged" for the others; a rule's id shows as the rule's name (`rule_names`,
    id → name), its id in the tooltip."""

    COL_FIELD, COL_BASE, COL_MINE, COL_THEIRS, COL_KEEP = range(5)
    HEADERS: ClassVar[tuple[str, ...]] = ("Field", "Base (last synced)", "Mine (this workspace)",
                                          "Theirs (server)", "Keep")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.choices: dict[str, str] = {}
        self.rule_names: dict[str, str] = {}

    def set_rows(self, rows: Any, *, in_order: bool = False) -> None:
        self.choices = {r.id: MINE for r in rows if r.conflicting}
        super().set_rows(rows, in_order=True)

    def choose(self, row: int, side: str) -> None:
        found = self.row_or_none(row)
        if found is None or not found.conflicting:
            return
        self.choices[found.id] = side
        index = self.index(row, self.COL_KEEP)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])

    def display(self, row: FieldRow, column: int) -> str:
        if column == self.COL_FIELD:
            return "(record deleted)" if row.id == DELETED else row.id
        if column == self.COL_KEEP:
            return self.choices.get(row.id, "merged") if row.conflicting else "merged"
        value = (row.base, row.mine, row.theirs)[column - 1]
        if row.id == DELETED:
            return "deleted" if value else "kept"
        if is_rule_field(row.id) and isinstance(value, str) and value:
            return self.rule_names.get(value, f"{value} (no such rule here)")
        return show_value(value)

    def extra(self, row: FieldRow, column: int, role: int) -> Any:
        side = column in (self.COL_MINE, self.COL_THEIRS)
        differs = side and (row.mine if column == self.COL_MINE else row.theirs) != row.base
        if role == Qt.ItemDataRole.BackgroundRole and side and (row.conflicting or differs):
            return QBrush(CONFLICT if row.conflicting else CHANGED)
        if role == Qt.ItemDataRole.ForegroundRole and side and (row.conflicting or differs):
            return QBrush(QColor("#1f1f1f"))  # readable on the pale highlight
        if role == Qt.ItemDataRole.FontRole and row.conflicting and column == self.COL_FIELD:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            tips = []
            if row.conflicting:
                tips.append("Changed differently on both sides: double-click Mine or Theirs "
                            "to keep it")
            value = (row.base, row.mine, row.theirs)[column - 1] if column in (
                self.COL_BASE, self.COL_MINE, self.COL_THEIRS) else None
            if is_rule_field(row.id) and isinstance(value, str) and value:
                tips.append(f"Notification rule id {value}")
            return "\n".join(tips) or None
        return None


__all__ = ["ConflictListModel", "ConflictRow", "FieldModel", "FieldRow", "PlanModel",
           "PlanRow", "entity_label", "field_rows", "record_name"]
