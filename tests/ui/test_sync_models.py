"""The sync views' item models on their own: plain rows in, Qt's model contract kept
(`qtmodeltester`), names and choices as a user reads them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from app.sync import Conflict, PlanItem
from app.sync.merge import DELETED
from ui.sync.controller import Status
from ui.sync.models import (
    ConflictListModel,
    ConflictRow,
    FieldModel,
    PlanModel,
    PlanRow,
    field_rows,
    record_name,
)
from ui.sync.status_widget import status_text


def conflict(kind: str = "edit", **changes: Any) -> Conflict:
    values: dict[str, Any] = {
        "seq": 7, "entity": "policy", "entity_id": "p-1", "kind": kind,
        "base": {"id": "p-1", "name": "RMM", "settings": {"rule": "a", "noc": False}},
        "mine": {"id": "p-1", "name": "RMM mine", "settings": {"rule": "b", "noc": False}},
        "theirs": {"id": "p-1", "name": "RMM theirs", "settings": {"rule": "a", "noc": True}},
        "theirs_version": 3, "fields": ("name",)}
    values.update(changes)
    return Conflict(**values)


def test_plan_rows_name_records_and_operations(qtmodeltester: Any) -> None:
    model = PlanModel()
    items = [PlanItem("company", "c-1", "upsert", 0, {"id": "c-1", "name": "Acme"}, 1),
             PlanItem("client_profile", "cp-1", "upsert", 4,
                      {"id": "cp-1", "first_name": "Ann", "last_name": "Lee"}, 3),
             PlanItem("site", "s-123456789", "delete", 2, {"id": "s-123456789"}, 1)]
    model.set_rows([PlanRow.of(i) for i in items])
    shown = [[model.index(r, c).data() for c in range(5)] for r in range(3)]
    assert shown[0] == ["Company", "Acme", "Create", "name", "1"]
    assert shown[1][:3] == ["Client profile", "Ann Lee", "Update"]
    assert shown[2] == ["Site", "s-123456", "Delete", "—", "1"]
    qtmodeltester.check(model)


def test_field_rows_put_conflicts_first_and_mark_changes(qtmodeltester: Any) -> None:
    model = FieldModel()
    model.set_rows(field_rows(conflict()))
    assert model.row_at(0).id == "name"
    assert [model.index(0, c).data() for c in range(5)] == [
        "name", "RMM", "RMM mine", "RMM theirs", "mine"]
    noc = model.find_row("settings.noc")
    assert model.index(noc, FieldModel.COL_KEEP).data() == "merged"
    model.choose(noc, "theirs")  # not a conflicting field: nothing to choose
    assert model.choices == {"name": "mine"}
    model.choose(0, "theirs")
    assert model.choices == {"name": "theirs"}
    qtmodeltester.check(model)


def test_deleted_and_refused_conflicts_read_plainly(qtmodeltester: Any) -> None:
    deleted = conflict(theirs=None, fields=(DELETED,))
    rows = field_rows(deleted)
    assert rows[0].id == DELETED
    model = FieldModel()
    model.set_rows(rows)
    assert model.index(0, 0).data() == "(record deleted)"
    assert model.index(0, FieldModel.COL_THEIRS).data() == "deleted"
    qtmodeltester.check(model)
    refused = conflict("rejected", base=None, theirs=None,
                       fields=("name must be unique",))
    model.set_rows(field_rows(refused))
    assert model.index(0, FieldModel.COL_MINE).data() == "name must be unique"
    listing = ConflictListModel()
    listing.set_rows([ConflictRow.of(deleted), ConflictRow.of(refused)])
    assert listing.index(0, 3).data() == "(deleted)"
    assert listing.index(1, 2).data() == "Refused by the server"
    qtmodeltester.check(listing)


def test_names_and_status_text() -> None:
    assert record_name({"title": "Admin"}, "x") == "Admin"
    assert record_name(None, "0123456789") == "01234567"
    assert status_text(Status()) == "Not connected · never synced"
    assert status_text(Status(online=False)).startswith("Offline")
    assert status_text(Status(pending=1, conflicts=2, last_sync="2020-01-02T03:04:05Z",
                              online=True)).startswith("Online · synced 2020-01-02")
    assert "1 change pending · 2 conflicts" in status_text(Status(pending=1, conflicts=2))


def test_a_rule_reference_reads_as_the_rules_name(qtmodeltester: Any) -> None:
    """A policy's notification rule (and a site's Basic Info one) is stored as the rule's
    id; the conflict view shows the name, the id in the tooltip, and says so when the id
    names no rule of this workspace."""
    base = {"id": "p-1", "name": "RMM", "settings": {"notification_rule": "r-1"}}
    mine = {"id": "p-1", "name": "RMM", "settings": {"notification_rule": "r-2"}}
    theirs = {"id": "p-1", "name": "RMM", "settings": {"notification_rule": "r-gone"}}
    model = FieldModel()
    model.rule_names = {"r-1": "After Hours", "r-2": "Business Hours"}
    model.set_rows(field_rows(conflict(base=base, mine=mine, theirs=theirs,
                                       fields=("settings.notification_rule",))))
    row = model.find_row("settings.notification_rule")
    assert [model.index(row, c).data() for c in range(1, 4)] == [
        "After Hours", "Business Hours", "r-gone (no such rule here)"]
    tip = model.index(row, FieldModel.COL_MINE).data(Qt.ItemDataRole.ToolTipRole)
    assert "r-2" in tip
    section = conflict(entity="helpdesk_section",
                       base={"id": "h", "data": {"notification_rule_id": "r-1"}},
                       mine={"id": "h", "data": {"notification_rule_id": "r-2"}},
                       theirs={"id": "h", "data": {"notification_rule_id": "r-1"}},
                       fields=("data.notification_rule_id",))
    model.set_rows(field_rows(section))
    row = model.find_row("data.notification_rule_id")
    assert model.index(row, FieldModel.COL_MINE).data() == "Business Hours"
    qtmodeltester.check(model)
