"""Effective Settings: provenance of every setting, device overrides, two sites compared."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from app.services.workspace import Workspace
from tests.ui.conftest import wait_idle
from tests.ui.context_support import make_context
from ui.models.effective_models import ComparisonTableModel, EffectiveTableModel
from ui.pages.effective_page import EffectivePage


@pytest.fixture
def page(qtbot, sample_workspace: Workspace) -> Iterator[EffectivePage]:
    ws = sample_workspace
    widget = EffectivePage(make_context(ws, qtbot))
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    with qtbot.waitSignal(widget.refreshed):
        widget.refresh()
    yield widget
    wait_idle(qtbot)


def site(ws: Workspace, name: str):
    return next(s for s in ws.sites.all() if s.name == name)


def row(model: EffectiveTableModel, setting: str) -> dict[str, str]:
    for r in range(model.rowCount()):
        if model.index(r, EffectiveTableModel.COL_SETTING).data() == setting:
            return {name: model.index(r, col).data() for name, col in (
                ("type", EffectiveTableModel.COL_TYPE), ("value", EffectiveTableModel.COL_VALUE),
                ("level", EffectiveTableModel.COL_LEVEL),
                ("package", EffectiveTableModel.COL_PACKAGE),
                ("policy", EffectiveTableModel.COL_POLICY))}
    raise AssertionError(f"no row {setting}")


def choose(qtbot, page: EffectivePage, combo_name: str, text: str) -> None:
    combo = getattr(page, combo_name)
    index = next(i for i in range(combo.count()) if combo.itemText(i).startswith(text))
    if combo.currentIndex() == index:
        return
    with qtbot.waitSignal(page.effective_loaded):
        combo.setCurrentIndex(index)


def test_site_package_and_default_package_are_told_apart(qtbot, page: EffectivePage) -> None:
    choose(qtbot, page, "site_combo", "Contoso Dental / Main Office")
    rmm = row(page.model, "Enable NOC Services")
    assert rmm == {"type": "RMM Site Configuration", "value": "On", "level": "Site package",
                   "package": "Help Desk Ready", "policy": "RMM with NOC"}
    choose(qtbot, page, "site_combo", "Contoso Dental / Lab")
    rmm = row(page.model, "Enable NOC Services")
    assert rmm["level"] == "Default package"
    assert rmm["package"] == "Baseline"
    assert rmm["policy"] == "RMM Standard"
    assert "has no package of its own" in page.source_info.text()


def test_device_override_shows_as_the_source(qtbot, page: EffectivePage,
                                             sample_workspace: Workspace) -> None:
    ws = sample_workspace
    office = site(ws, "Main Office")
    device = next(d for d in ws.devices.all(office.id) if d.override_count == 0)
    ws.devices.set_override(device.id, "remote-access", "notification_balloon", True)

    choose(qtbot, page, "site_combo", "Contoso Dental / Main Office")
    assert row(page.model, "Notification Balloon")["level"] == "Site package"
    choose(qtbot, page, "device_combo", device.name)
    balloon = row(page.model, "Notification Balloon")
    assert balloon["value"] == "On"
    assert balloon["level"] == "Device override"
    assert balloon["policy"] == "Set on this device"
    consent = row(page.model, "Is User Allowed to Require Consent")
    assert consent["level"] == "Site package"
    assert consent["package"] == "Help Desk Ready"
    assert device.name in page.source_info.text()
    assert "1 from device override" in page.source_info.text()
    assert page.device_combo.currentText() == f"{device.name} — 1 override"


def test_show_site_and_filter(qtbot, page: EffectivePage, sample_workspace: Workspace) -> None:
    with qtbot.waitSignal(page.effective_loaded):
        page.show_site(site(sample_workspace, "Headquarters").id)
    qtbot.keyClicks(page.search, "window")
    labels = {page.model.index(r, EffectiveTableModel.COL_SETTING).data()
              for r in range(page.model.rowCount())}
    assert labels == {"Installation Window", "Reboot Window"}


def test_comparison_highlights_differences(qtbot, page: EffectivePage,
                                           sample_workspace: Workspace) -> None:
    ws = sample_workspace
    left, right = site(ws, "Main Office"), site(ws, "Lab")
    with qtbot.waitSignal(page.comparison_loaded):
        page.compare(left.id, right.id)
    model = page.compare_model
    assert model.headerData(ComparisonTableModel.COL_LEFT, Qt.Orientation.Horizontal) == \
        "Main Office"
    assert model.headerData(ComparisonTableModel.COL_RIGHT, Qt.Orientation.Horizontal) == "Lab"
    total = model.rowCount()
    differing = [r for r in range(total) if model.row_at(r).differs]
    same = [r for r in range(total) if not model.row_at(r).differs]
    assert differing
    assert same
    for r in differing:
        assert model.index(r, ComparisonTableModel.COL_LEFT).data(
            Qt.ItemDataRole.BackgroundRole) is not None
    for r in same:
        assert model.index(r, ComparisonTableModel.COL_LEFT).data(
            Qt.ItemDataRole.BackgroundRole) is None
    noc = next(model.row_at(r) for r in range(total) if model.row_at(r).key == "noc_enabled")
    assert noc.differs
    assert f"{len(differing)} of {total} settings differ" in page.compare_info.text()

    page.differences_only.click()
    assert model.rowCount() == len(differing)
    assert all(model.row_at(r).differs for r in range(model.rowCount()))
    page.differences_only.click()
    assert model.rowCount() == total


def test_comparing_a_site_with_itself(qtbot, page: EffectivePage,
                                      sample_workspace: Workspace) -> None:
    lab = site(sample_workspace, "Lab")
    with qtbot.waitSignal(page.comparison_loaded):
        page.compare(lab.id, lab.id)
    assert page.compare_model.difference_count() == 0
    assert "same site on both sides" in page.compare_info.text()
