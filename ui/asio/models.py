"""Item models of the ConnectWise dialog, fed plain rows: the push plan and the drift report."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from app.asio.service import DriftRecord, PlanItem
from ui.models.rows import RowTableModel

ACTIONS = {"create": "Create", "update": "Update", "skip": "Skip"}
ENTITIES = {"company": "Company", "site": "Site", "contact": "Contact"}
CREATE = QColor("#e6f4ea")
UPDATE = QColor("#fff4ce")


class PushPlanModel(RowTableModel):
    COL_ENTITY, COL_NAME, COL_ACTION, COL_WHY = range(4)
    HEADERS: ClassVar[tuple[str, ...]] = ("Kind", "Name", "Action", "Why")

    def row_id(self, row: PlanItem) -> str:
        return f"{row.entity}:{row.id}"

    def display(self, row: PlanItem, column: int) -> str:
        return (ENTITIES.get(row.entity, row.entity), row.name,
                ACTIONS.get(row.action, row.action), row.reason)[column]

    def extra(self, row: PlanItem, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and row.action != "skip":
            return QBrush(CREATE if row.action == "create" else UPDATE)
        if role == Qt.ItemDataRole.ToolTipRole and row.remote_id:
            return f"On the platform: {row.remote_id}"
        return None


@dataclass(frozen=True)
class DriftRow:
    id: str
    device: str
    setting: str
    planned: str
    applied: str
    source: str

    @classmethod
    def of(cls, record: DriftRecord, device_names: dict[str, str], seq: int) -> DriftRow:
        link = record.mapping
        parts = [f"{what} '{link[what].get('name')}'" for what in ("package", "policy")
                 if isinstance(link.get(what), dict) and link[what].get("name")]
        return cls(str(seq), device_names.get(record.device_id, record.device_id[:8]),
                   f"{record.domain} · {record.key}", _show(record.planned),
                   _show(record.applied), ", ".join(parts) or "—")


def _show(value: Any) -> str:
    if value is None:
        return "(not set)"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


class DriftModel(RowTableModel):
    COL_DEVICE, COL_SETTING, COL_PLANNED, COL_APPLIED, COL_SOURCE = range(5)
    HEADERS: ClassVar[tuple[str, ...]] = ("Device", "Setting", "Planned",
                                          "Platform applies", "From (platform)")

    def display(self, row: DriftRow, column: int) -> str:
        return (row.device, row.setting, row.planned, row.applied, row.source)[column]
