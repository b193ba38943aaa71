"""Effective Settings: what a site or one of its devices really gets, and where it comes from.

Every setting is listed with its value and its source — the default package, the site's own
package or a device override — with the package and policy it came from (the Asio effective-
policy "mapping"). A setting opens the policy it comes from, and with a device chosen can be
overridden on it (`ui.pages.device_overrides`). A second tab puts two sites side by side and
highlights what differs. Narrow, both tables fit their columns to the width (`ColumnFit`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.effective import EffectiveService
from app.services.hierarchy import DeviceService, SiteService
from app.services.views import ComparisonRow, DeviceView, EffectiveView, SiteView
from ui import theme
from ui.formatting import format_value, level_label, type_labels
from ui.models.effective_models import LEVEL_TOKENS, ComparisonTableModel, EffectiveTableModel
from ui.models.site_list_model import SiteListModel
from ui.ops import Latest, PageOps, present_failure
from ui.pages.device_overrides import SettingActions
from ui.widgets.column_fit import ColumnFit
from ui.widgets.page_header import PageHeader, muted_label
from ui.widgets.policy_common import NoticeBar

if TYPE_CHECKING:
    from ui.workspace_context import WorkspaceContext

WHOLE_SITE = ""


def device_label(device: DeviceView) -> str:
    count = device.override_count
    if not count:
        return device.name
    return f"{device.name} — {count} override{'s' if count != 1 else ''}"


def buddy_label(text: str, buddy: QWidget, parent: QWidget) -> QLabel:
    """A label whose &-mnemonic puts the focus on `buddy`."""
    label = QLabel(text, parent)
    label.setBuddy(buddy)
    return label


def make_table(model: Any, name: str, parent: QWidget) -> QTableView:
    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)  # Tab leaves the table; the arrow keys move in it
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setStretchLastSection(True)
    return table


class EffectivePage(QWidget):
    refreshed = Signal()  # the site list and the shown site's settings were (re)loaded
    effective_loaded = Signal()  # the settings table shows the chosen site/device
    comparison_loaded = Signal()  # the comparison table shows the chosen pair

    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("effectivePage")
        self.sites: SiteService = context.workspace.sites
        self.devices: DeviceService = context.workspace.devices
        self.effective: EffectiveService = context.workspace.effective
        self._sites: list[SiteView] = []
        self._view: EffectiveView | None = None
        self._type_labels = type_labels()
        self.site_list = SiteListModel(self)  # shared by the three site pickers
        # the newest choice's settings and comparison only: an older answer never overwrites
        self._sites_read = Latest(self, self._on_load_error)
        self._view_read = Latest(self, self._on_effective_error)
        self._compare_read = Latest(
            self, lambda exc: present_failure(exc, self.notice, "Could not compare the sites"))
        self._announce_refresh = False
        self.loading = False
        self._context = context
        self._device_wanted: str | None = None  # `show_site`'s device, until it is listed
        self._build()

    # layout
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 10, 12, 10)
        outer.setSpacing(8)
        header = PageHeader(
            "Effective Settings",
            "What a site or device actually gets: a device override wins over the site's "
            "package, which wins over the default package.", self)
        outer.addWidget(header)
        self.notice = NoticeBar(self)
        self.notice.float_over(header)  # a message moves nothing under the pointer
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._build_single(), "Site or Device")
        self.tabs.addTab(self._build_compare(), "Compare Two Sites")
        self.tabs.currentChanged.connect(self._on_tab)
        outer.addWidget(self.tabs, 1)

    def _build_single(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(6)
        bar = QHBoxLayout()
        bar.setSpacing(6)
        self.site_combo = QComboBox(page)
        self.site_combo.setModel(self.site_list)
        self.site_combo.setObjectName("effectiveSite")
        self.site_combo.setAccessibleName("Site")
        self.site_combo.setMinimumWidth(220)
        self.site_combo.currentIndexChanged.connect(self._on_site_chosen)
        self.device_combo = QComboBox(page)
        self.device_combo.setObjectName("effectiveDevice")
        self.device_combo.setAccessibleName("Device")
        self.device_combo.setMinimumWidth(180)
        self.device_combo.addItem("Whole site", WHOLE_SITE)
        self.device_combo.currentIndexChanged.connect(self._on_device_chosen)
        self.search = QLineEdit(page)
        self.search.setObjectName("effectiveSearch")
        self.search.setPlaceholderText("Filter settings")
        self.search.setAccessibleName("Filter settings")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._apply_filter)
        bar.addWidget(buddy_label("&Site:", self.site_combo, page))
        bar.addWidget(self.site_combo)
        bar.addSpacing(8)
        bar.addWidget(buddy_label("&Device:", self.device_combo, page))
        bar.addWidget(self.device_combo)
        bar.addSpacing(8)
        bar.addWidget(self.search, 1)
        layout.addLayout(bar)

        info = QHBoxLayout()
        self.source_info = muted_label("", page)
        self.source_info.setObjectName("sourceInfo")
        self.source_info.setWordWrap(True)
        info.addWidget(self.source_info, 1)
        self.legend: dict[str, QLabel] = {}
        for level in LEVEL_TOKENS:
            self.legend[level] = QLabel(page)
            info.addWidget(self.legend[level])
        self._paint_legend()
        theme.on_change(self._paint_legend)  # the dots' colours follow light/dark
        layout.addLayout(info)

        layout.addWidget(self._build_settings_table(page), 1)
        return page

    def _build_settings_table(self, page: QWidget) -> QTableView:
        self.model = EffectiveTableModel(self)
        self.table = make_table(self.model, "effectiveTable", page)
        self.table.setAccessibleName("Effective settings")
        m = EffectiveTableModel
        # narrower than every column: Package and Policy go, Source names the policy
        self.table_fit = ColumnFit(
            self.table, {m.COL_TYPE: 160, m.COL_SETTING: 225, m.COL_VALUE: 245,
                         m.COL_LEVEL: 130, m.COL_PACKAGE: 125, m.COL_POLICY: 110},
            lambda width: {m.COL_TYPE: 150, m.COL_SETTING: 225,
                           m.COL_VALUE: max(160, (width - 375) * 58 // 100)},
            (m.COL_PACKAGE, m.COL_POLICY), self.model.set_compact)
        self.setting_actions = SettingActions(
            self.table, self.model, devices=self.devices, navigator=self._context.navigator,
            ops=PageOps.of(self, self._context, self.notice), notice=self.notice,
            device=lambda: self._view.device if self._view is not None else None,
            reload=self.refresh)  # the window's pending count follows `refreshed`
        return self.table

    def _build_compare(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(6)
        bar = QHBoxLayout()
        bar.setSpacing(6)
        self.left_combo = QComboBox(page)
        self.left_combo.setObjectName("compareLeft")
        self.left_combo.setAccessibleName("First site")
        self.right_combo = QComboBox(page)
        self.right_combo.setObjectName("compareRight")
        self.right_combo.setAccessibleName("Second site")
        for combo in (self.left_combo, self.right_combo):
            combo.setModel(self.site_list)
            combo.setMinimumWidth(200)
            combo.currentIndexChanged.connect(self._compare_chosen)
        self.differences_only = QCheckBox("Differences only", page)
        self.differences_only.setObjectName("differencesOnly")
        self.differences_only.toggled.connect(self._on_differences_only)
        bar.addWidget(buddy_label("Site &A:", self.left_combo, page))
        bar.addWidget(self.left_combo)
        bar.addSpacing(8)
        bar.addWidget(buddy_label("Site &B:", self.right_combo, page))
        bar.addWidget(self.right_combo)
        bar.addSpacing(12)
        bar.addWidget(self.differences_only)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.compare_info = muted_label("", page)
        self.compare_info.setObjectName("compareInfo")
        self.compare_info.setWordWrap(True)
        self.compare_info.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.compare_info)
        self.compare_model = ComparisonTableModel(self)
        self.compare_table = make_table(self.compare_model, "comparisonTable", page)
        self.compare_table.setAccessibleName("Settings of the two sites")
        c = ComparisonTableModel
        # narrower than every column: both sites' values stay in sight, their sources go
        # into the values' tooltips
        self.compare_fit = ColumnFit(
            self.compare_table, {c.COL_TYPE: 150, c.COL_SETTING: 230, c.COL_LEFT: 140,
                                 c.COL_LEFT_SOURCE: 230, c.COL_RIGHT: 140,
                                 c.COL_RIGHT_SOURCE: 120},
            lambda width: {c.COL_TYPE: 150, c.COL_SETTING: 225,
                           c.COL_LEFT: max(120, (width - 375) // 2)},
            (c.COL_LEFT_SOURCE, c.COL_RIGHT_SOURCE), self.compare_model.set_compact)
        layout.addWidget(self.compare_table, 1)
        return page

    # loading
    def _paint_legend(self, *_dark: bool) -> None:
        for level, label in self.legend.items():
            dot = theme.color_name(LEVEL_TOKENS[level])
            label.setText(f"<span style='color:{dot}'>●</span> {level_label(level)}")

    def refresh(self) -> None:
        """Reload the site list, then the shown settings (and comparison); then `refreshed`."""
        self.loading = True
        self._sites_read.run(self.sites.all, self._on_sites)

    def _on_load_error(self, exc: BaseException) -> None:
        self.loading = False
        present_failure(exc, self.notice, "Could not load the sites")
        self.refreshed.emit()

    def _on_sites(self, sites: list[SiteView]) -> None:
        self._sites = sites
        current = self.site_combo.currentData()
        left, right = self.left_combo.currentData(), self.right_combo.currentData()
        combos = (self.site_combo, self.left_combo, self.right_combo)
        for combo in combos:
            combo.blockSignals(True)
        self.site_list.set_rows(sites)
        for combo in combos:
            combo.blockSignals(False)
        # First visit: a site with a package of its own, beside one without, show the levels.
        own = next((i for i, s in enumerate(sites) if s.package_id), 0)
        other = next((i for i, s in enumerate(sites) if not s.package_id), 1)
        self._choose(self.site_combo, current, own)
        self._choose(self.left_combo, left, own)
        self._choose(self.right_combo, right, other if other != own else 1)
        self._announce_refresh = True
        if not sites:
            self.model.set_rows([])
            self.compare_model.set_comparison([], ("Site A", "Site B"), self._type_labels)
            self.source_info.setText("No sites yet: create them on the Companies & Sites page.")
            self._finish_refresh()
            return
        self._load_site(keep_device=True)
        if self.tabs.currentIndex() == 1:
            self._compare_chosen()

    @staticmethod
    def _choose(combo: QComboBox, value: Any, fallback: int) -> None:
        found = combo.findData(value) if value else -1
        combo.blockSignals(True)
        combo.setCurrentIndex(found if found >= 0 else max(0, min(fallback, combo.count() - 1)))
        combo.blockSignals(False)

    def _finish_refresh(self) -> None:
        self.loading = False
        if self._announce_refresh:
            self._announce_refresh = False
            self.refreshed.emit()

    # one site or device
    def show_site(self, site_id: str, device_id: str | None = None) -> None:
        """Show the effective settings of a site (or one of its devices)."""
        self.tabs.setCurrentIndex(0)
        self._choose(self.site_combo, site_id, 0)
        # a reload asked meanwhile (the page was just brought forward) keeps this device
        # too: the device list has not arrived to hold it yet
        self._device_wanted = device_id
        self._load_site(keep_device=False, device_id=device_id)

    def _on_site_chosen(self, *_args: Any) -> None:
        self._load_site(keep_device=False)

    def _on_device_chosen(self, *_args: Any) -> None:
        site_id = self.site_combo.currentData()
        if site_id:
            self._load_effective(site_id, self.device_combo.currentData() or None)

    def _load_site(self, keep_device: bool, device_id: str | None = None) -> None:
        site_id = self.site_combo.currentData()
        if not site_id:
            return
        if keep_device:
            device_id = self._device_wanted or self.device_combo.currentData() or None
        devices, effective = self.devices, self.effective

        def load() -> tuple[list[DeviceView], EffectiveView]:
            rows = devices.all(site_id)
            chosen = device_id if any(d.id == device_id for d in rows) else None
            return rows, effective.for_site(site_id, chosen)

        def shown(result: tuple[list[DeviceView], EffectiveView]) -> None:
            rows, view = result
            self._device_wanted = None  # the device list holds the choice from now on
            self.device_combo.blockSignals(True)
            self.device_combo.clear()
            self.device_combo.addItem("Whole site", WHOLE_SITE)
            for device in sorted(rows, key=lambda d: d.name.casefold()):
                self.device_combo.addItem(device_label(device), device.id)
            self._choose(self.device_combo, view.device.id if view.device else None, 0)
            self.device_combo.blockSignals(False)
            self._show(view)

        self._view_read.run(load, shown)

    def _load_effective(self, site_id: str, device_id: str | None) -> None:
        effective = self.effective
        self._view_read.run(lambda: effective.for_site(site_id, device_id), self._show)

    def _on_effective_error(self, exc: BaseException) -> None:
        present_failure(exc, self.notice, "Could not work out the effective settings")
        self._finish_refresh()

    def _show(self, view: EffectiveView) -> None:
        self._view = view
        if view.device is not None:  # its override count may have changed since the list
            found = self.device_combo.findData(view.device.id)
            if found >= 0:
                self.device_combo.setItemText(found, device_label(view.device))
        site = view.site
        subject = f"Device {view.device.name} at {site.name}" if view.device else site.name
        package = f"its own package '{site.package}'" if site.package else \
            "no package of its own"
        counts: dict[str, int] = {}
        for row in view.rows:
            counts[row.level] = counts.get(row.level, 0) + 1
        sources = ", ".join(f"{n} from {level_label(level).lower()}"
                            for level, n in counts.items())
        hint = ("Right-click a setting to override it on this device." if view.device
                else "Double-click a setting to open its policy.")
        self.source_info.setText(f"{subject} ({site.company}) has {package}. "
                                 f"{len(view.rows)} settings: {sources or 'none'}. {hint}")
        self.setting_actions.update()
        self._apply_filter()
        self.effective_loaded.emit()
        self._finish_refresh()

    def _apply_filter(self, *_args: Any) -> None:
        rows = list(self._view.rows) if self._view else []
        needle = self.search.text().strip().casefold()
        if needle:
            rows = [r for r in rows if needle in r.label.casefold()
                    or needle in r.type_label.casefold() or needle in r.key.casefold()
                    or needle in format_value(r.type, r.key, r.value).casefold()
                    or needle in (r.policy or "").casefold()
                    or needle in (r.package or "").casefold()]
        current = self.model.row_or_none(self.table.currentIndex().row())
        self.model.set_rows(rows)
        if current is not None:  # the same setting stays current (say, just overridden)
            found = self.model.find_row(self.model.row_id(current))
            if found >= 0:
                self.table.setCurrentIndex(self.model.index(found, 0))

    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # comparison
    def compare(self, left_id: str, right_id: str) -> None:
        self.tabs.setCurrentIndex(1)
        self._choose(self.left_combo, left_id, 0)
        self._choose(self.right_combo, right_id, 0)
        self._compare_chosen()

    def _on_tab(self, index: int) -> None:
        if index == 1 and not self.compare_model.total_count():
            self._compare_chosen()

    def _compare_chosen(self, *_args: Any) -> None:
        left, right = self.left_combo.currentData(), self.right_combo.currentData()
        if not left or not right:
            return
        names = (self.left_combo.currentText().split(" / ")[-1],
                 self.right_combo.currentText().split(" / ")[-1])
        effective = self.effective

        def shown(rows: list[ComparisonRow]) -> None:
            self.compare_model.set_comparison(rows, names, self._type_labels)
            differ = self.compare_model.difference_count()
            swatch = (f"<span style='background:{theme.color_name('diff_bg')}'>"
                      "&nbsp;&nbsp;&nbsp;</span>")
            if left == right:
                text = "The same site on both sides: choose another site to compare."
            elif differ:
                text = (f"{swatch} {differ} of {len(rows)} settings differ between "
                        f"{names[0]} and {names[1]}.")
            else:
                text = f"{names[0]} and {names[1]} get the same {len(rows)} settings."
            self.compare_info.setText(text)
            self.comparison_loaded.emit()

        self._compare_read.run(lambda: effective.compare(left, right), shown)

    def _on_differences_only(self, on: bool) -> None:
        self.compare_model.set_differences_only(on)

