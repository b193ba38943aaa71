"""Every Qt item model of these pages passes pytest-qt's model tester, empty and filled."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from app.services.views import ComparisonRow
from app.services.workspace import Workspace
from ui.formatting import type_labels
from ui.models.assignment_preview_model import AssignmentPreviewModel
from ui.models.device_model import DeviceTableModel
from ui.models.effective_models import ComparisonTableModel, EffectiveTableModel
from ui.models.hierarchy_model import HierarchyModel
from ui.models.policy_models import PackageTableModel, PolicyTableModel
from ui.models.site_list_model import SiteListModel
from ui.models.sites_table_model import SitesTableModel

pytestmark = pytest.mark.usefixtures("qapp")  # icons and fonts need the QApplication


def test_sites_table_model(qtmodeltester, sample_workspace: Workspace) -> None:
    model = SitesTableModel()
    qtmodeltester.check(model)
    sites = sample_workspace.sites.all()
    model.default_package = "Baseline"
    model.set_rows(sites)
    model.set_checked([sites[0].id, sites[3].id])
    qtmodeltester.check(model)
    assert model.index(0, SitesTableModel.COL_CHECK).data(Qt.ItemDataRole.CheckStateRole) == \
        Qt.CheckState.Checked
    assert model.setData(model.index(1, SitesTableModel.COL_CHECK), Qt.CheckState.Checked.value,
                         Qt.ItemDataRole.CheckStateRole)
    assert model.checked_ids() == {sites[0].id, sites[1].id, sites[3].id}
    model.sort(SitesTableModel.COL_DEVICES, Qt.SortOrder.DescendingOrder)
    model.sort(SitesTableModel.COL_CHECK)
    assert model.row_at(0).id in model.checked_ids()
    qtmodeltester.check(model)


def test_hierarchy_model(qtmodeltester, sample_workspace: Workspace) -> None:
    model = HierarchyModel()
    qtmodeltester.check(model)
    model.set_rows(sample_workspace.companies.all(), sample_workspace.sites.all())
    qtmodeltester.check(model)
    first = model.index(0, 0)
    site = model.index(0, 0, first)
    assert model.parent(site) == first
    assert model.parent(first) == QModelIndex()
    assert model.rowCount(site) == 0


def test_device_model(qtmodeltester, sample_workspace: Workspace) -> None:
    model = DeviceTableModel()
    qtmodeltester.check(model)
    model.set_rows(sample_workspace.devices.all())
    model.sort(DeviceTableModel.COL_OVERRIDES, Qt.SortOrder.DescendingOrder)
    assert model.row_at(0).override_count > 0
    qtmodeltester.check(model)


def test_assignment_preview_model(qtmodeltester, sample_workspace: Workspace) -> None:
    model = AssignmentPreviewModel()
    qtmodeltester.check(model)
    ids = [s.id for s in sample_workspace.sites.all()]
    model.set_rows(sample_workspace.sites.preview_assign("Baseline", ids).changes)
    qtmodeltester.check(model)
    model.sort(AssignmentPreviewModel.COL_CHANGE)
    assert model.index(0, AssignmentPreviewModel.COL_CHANGE).data().startswith("Loses")


def test_effective_models(qtmodeltester, sample_workspace: Workspace) -> None:
    sites = sample_workspace.sites.all()
    effective = EffectiveTableModel()
    qtmodeltester.check(effective)
    effective.set_rows(sample_workspace.effective.for_site(sites[1].id).rows)
    qtmodeltester.check(effective)

    comparison = ComparisonTableModel()
    qtmodeltester.check(comparison)
    rows = sample_workspace.effective.compare(sites[0].id, sites[1].id)
    comparison.set_comparison(rows, ("A", "B"), type_labels())
    qtmodeltester.check(comparison)
    comparison.set_differences_only(True)
    qtmodeltester.check(comparison)
    assert comparison.rowCount() == sum(1 for r in rows if r.differs)


def test_site_list_model(qtmodeltester, sample_workspace: Workspace) -> None:
    model = SiteListModel()
    qtmodeltester.check(model)
    sites = sample_workspace.sites.all()
    model.set_rows(sites)
    qtmodeltester.check(model)
    assert model.index(0, 0).data() == f"{sites[0].company} / {sites[0].name}"
    assert model.index(0, 0).data(Qt.ItemDataRole.UserRole) == sites[0].id


def test_comparison_values_read_like_the_editor() -> None:
    model = ComparisonTableModel()
    row = ComparisonRow("os-patching-desktop", "classification.critical", "Critical",
                        "deploy-all", "x", None, "not set")
    model.set_comparison([row], ("A", "B"), type_labels())
    assert model.index(0, ComparisonTableModel.COL_TYPE).data() == "OS Patching Desktop"
    assert model.index(0, ComparisonTableModel.COL_LEFT).data() == "Deploy all"
    assert model.index(0, ComparisonTableModel.COL_RIGHT).data() == "—"


def test_policy_table_model(qtmodeltester, sample_workspace: Workspace) -> None:
    model = PolicyTableModel()
    qtmodeltester.check(model)
    policies = sample_workspace.policies.all()
    model.set_rows(policies)
    qtmodeltester.check(model)
    model.sort(PolicyTableModel.COL_USED, Qt.SortOrder.DescendingOrder)
    assert len(model.policy_at(0).packages) == max(len(p.packages) for p in policies)
    assert model.policy_at(len(policies)) is None
    assert model.row_of(policies[2].id) == [r.id for r in model.rows()].index(policies[2].id)
    qtmodeltester.check(model)


def test_package_table_model_lists_the_default_first(qtmodeltester,
                                                     sample_workspace: Workspace) -> None:
    model = PackageTableModel()
    qtmodeltester.check(model)
    packages = sample_workspace.packages.all()
    model.set_rows(reversed(packages))
    model.set_unsaved([packages[1].id])
    qtmodeltester.check(model)
    assert model.package_at(0).is_default
    assert model.index(0, PackageTableModel.COL_NAME).data().endswith("(default)")
    assert model.index(model.row_of(packages[1].id), 0).data().endswith(" •")
    assert model.headerData(PackageTableModel.COL_SITES, Qt.Orientation.Horizontal,
                            Qt.ItemDataRole.TextAlignmentRole) is not None


def test_rows_given_in_order_are_not_sorted_again(sample_workspace: Workspace) -> None:
    model = SitesTableModel()
    model.sort(SitesTableModel.COL_SITE)
    ordered = model.sorted_rows(sample_workspace.sites.all())
    assert [s.name for s in ordered] == sorted((s.name for s in ordered), key=str.casefold)
    model.set_rows(ordered[::-1], in_order=True)  # trusted as given
    assert model.row_at(0).id == ordered[-1].id
    model.set_rows(ordered[::-1])
    assert model.row_at(0).id == ordered[0].id
