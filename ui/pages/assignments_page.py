"""Assignments: which package each site gets (seed 000, "Package to Site Assignment").

Check sites in the table (filter by company, search by name), then Assign Package… or Remove
Assignment…: a preview lists the sites that change and the package each one loses, and only
its button writes. The write runs off the GUI thread; the table reloads afterwards and the
change is one undoable command. Filtering is plain Python over the loaded rows plus a model
reset (no proxy model): it stays quick with thousands of sites (docs/architecture.md §5). The
loaded rows are kept in the table's sort order with their search text folded once, so a keystroke
filters 5,000 sites without sorting or case-folding any of them again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.hierarchy import CompanyService, SiteService
from app.services.packages import PackageService
from app.services.views import AssignmentResult, CompanyView, PackageView, SiteView
from ui.hierarchy_commands import AssignPackagesCommand
from ui.models.sites_table_model import SitesTableModel
from ui.ops import PageOps, present_failure
from ui.pages import last_package
from ui.pages.assignment_dialog import AssignmentDialog, plural
from ui.widgets.page_header import PageHeader, muted_label
from ui.widgets.policy_common import NoticeBar, as_sentence
from ui.widgets.row_table import row_table

if TYPE_CHECKING:
    from ui.workspace_context import WorkspaceContext

ALL_COMPANIES = ""
# sites, packages, companies, and each site's search text by site id
Loaded = tuple[list[SiteView], list[PackageView], list[CompanyView], dict[str, str]]


class AssignmentsPage(QWidget):
    refreshed = Signal()  # the sites were (re)loaded
    assignment_done = Signal()  # an assign or remove finished (after the reload it asked for)

    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assignmentsPage")
        self.sites: SiteService = context.workspace.sites
        self.packages: PackageService = context.workspace.packages
        self.companies: CompanyService = context.workspace.companies
        self.undo_stack = context.undo_stack
        self.ops = PageOps.of(self, context)  # the notice bar comes in _build
        self._table_read = self.ops.latest()
        self._all: list[SiteView] = []  # in the table's sort order
        self._search_text: dict[str, str] = {}  # site id -> what the search box matches
        self._packages: list[PackageView] = []
        self._companies: list[CompanyView] = []
        self.dialog: AssignmentDialog | None = None  # the open preview, if any
        self.loading = False
        self._notify_done = False
        self._build()

    # layout
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 10, 12, 10)
        outer.setSpacing(8)
        header = PageHeader(
            "Assignments",
            "Each site gets one package; its devices inherit it. Sites without a package of "
            "their own get the default package. Check sites, then assign or remove.", self)
        outer.addWidget(header)
        outer.addLayout(self._build_toolbar())
        self.notice = NoticeBar(self)
        self.notice.float_over(header)  # a message moves no checkbox under the pointer
        self.ops.notice = self.notice
        outer.addWidget(self._build_table(), 1)
        outer.addLayout(self._build_footer())
        self._update_counts()

    def _build_toolbar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.setSpacing(6)
        self.company_filter = QComboBox(self)
        self.company_filter.setObjectName("companyFilter")
        self.company_filter.setAccessibleName("Filter by company")
        self.company_filter.addItem("All companies", ALL_COMPANIES)
        self.company_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.company_filter.setMinimumWidth(160)
        self.company_filter.currentIndexChanged.connect(self._apply_filter)
        self.search = QLineEdit(self)
        self.search.setObjectName("siteSearch")
        self.search.setPlaceholderText("Search sites, companies or packages")
        self.search.setAccessibleName("Search sites")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(180)
        self.search.textChanged.connect(self._apply_filter)
        self.assign_button = QPushButton("Assign Package…", self)
        self.assign_button.setObjectName("assignPackage")
        self.assign_button.setIcon(self.style().standardIcon(
            QStyle.StandardPixmap.SP_ArrowRight))
        self.assign_button.clicked.connect(lambda _c=False: self.assign_checked())
        self.remove_button = QPushButton("Remove Assignment…", self)
        self.remove_button.setObjectName("removeAssignment")
        self.remove_button.setIcon(self.style().standardIcon(
            QStyle.StandardPixmap.SP_DialogResetButton))
        self.remove_button.clicked.connect(lambda _c=False: self.unassign_checked())
        bar.addWidget(self.company_filter)
        bar.addWidget(self.search, 1)
        bar.addSpacing(12)
        bar.addWidget(self.assign_button)
        bar.addWidget(self.remove_button)
        return bar

    def _build_table(self) -> QTableView:
        self.model = SitesTableModel(self)
        self.model.checked_changed.connect(self._update_counts)
        self.table = row_table(self.model, self, "sitesTable", "Sites",
                               sort_column=SitesTableModel.COL_COMPANY)
        self.table.doubleClicked.connect(self._toggle_row)
        header = self.table.horizontalHeader()
        header.sortIndicatorChanged.connect(self._resort)
        header.setSectionResizeMode(SitesTableModel.COL_CHECK, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(SitesTableModel.COL_CHECK, 32)
        for col, width in ((SitesTableModel.COL_COMPANY, 260), (SitesTableModel.COL_SITE, 260)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, width)
        header.setSectionResizeMode(SitesTableModel.COL_PACKAGE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(SitesTableModel.COL_DEVICES, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(SitesTableModel.COL_DEVICES, 90)
        return self.table

    def _build_footer(self) -> QHBoxLayout:
        footer = QHBoxLayout()
        self.check_all = QCheckBox("Check all shown", self)
        self.check_all.setObjectName("checkAll")
        self.check_all.setTristate(False)
        self.check_all.clicked.connect(self._on_check_all)
        self.clear_checks = QPushButton("Uncheck All", self)
        self.clear_checks.setFlat(True)
        self.clear_checks.clicked.connect(lambda _c=False: self.model.clear_checked())
        self.count_label = muted_label("", self)
        self.count_label.setObjectName("siteCount")
        footer.addWidget(self.check_all)
        footer.addWidget(self.clear_checks)
        footer.addStretch(1)
        footer.addWidget(self.count_label)
        return footer

    # loading and filtering
    def refresh(self) -> None:
        """Reload sites, packages and companies off the GUI thread; then `refreshed`."""
        self.loading = True
        self._table_read.run(self._load, self._on_loaded, self._on_load_error)

    def _load(self) -> Loaded:
        """In a worker thread: the data, and the search text of every site folded once."""
        sites = self.sites.all()
        search_text = {s.id: "\0".join((s.name, s.company, s.package or "")).casefold()
                       for s in sites}
        return sites, self.packages.all(), self.companies.all(), search_text

    def _on_load_error(self, exc: BaseException) -> None:
        self.loading = False
        present_failure(exc, self.notice, "Could not load the sites")
        self._finish_refresh()

    def _on_loaded(self, result: Loaded) -> None:
        self.loading = False
        sites, self._packages, self._companies, self._search_text = result
        self._all = self.model.sorted_rows(sites)
        default = next((p for p in self._packages if p.is_default), None)
        self.model.default_package = default.name if default else None
        self.model.keep_checked({s.id for s in self._all})
        self._fill_company_filter()
        self._apply_filter()
        self._finish_refresh()

    def _finish_refresh(self) -> None:
        self.refreshed.emit()
        if self._notify_done:
            self._notify_done = False
            self.assignment_done.emit()

    def _fill_company_filter(self) -> None:
        current = self.company_filter.currentData()
        self.company_filter.blockSignals(True)
        self.company_filter.clear()
        self.company_filter.addItem("All companies", ALL_COMPANIES)
        for company in sorted(self._companies, key=lambda c: c.name.casefold()):
            self.company_filter.addItem(company.name, company.id)
        found = self.company_filter.findData(current)
        self.company_filter.setCurrentIndex(max(found, 0))
        self.company_filter.blockSignals(False)

    def filtered(self) -> list[SiteView]:
        company = self.company_filter.currentData() or ALL_COMPANIES
        needle = self.search.text().strip().casefold()
        rows = self._all
        if company:
            rows = [s for s in rows if s.company_id == company]
        if needle:
            text = self._search_text
            rows = [s for s in rows if needle in text[s.id]]
        return rows

    def _apply_filter(self, *_args: Any) -> None:
        self.model.set_rows(self.filtered(), in_order=True)
        self._update_counts()

    def _resort(self, *_args: Any) -> None:
        """The view sorted the shown rows; keep all of them in that order too."""
        self._all = self.model.sorted_rows(self._all)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # checking
    def checked_ids(self) -> list[str]:
        """Checked sites in table order (all of them, shown or filtered out)."""
        checked = self.model.checked_ids()
        return [s.id for s in self._all if s.id in checked]

    def check_sites(self, ids: list[str], checked: bool = True) -> None:
        self.model.set_checked(ids, checked)

    def show_site(self, site_id: str) -> None:
        """Only this site checked and shown, ready for Assign Package… (a readiness link: the
        site gets a package with the policy it lacks)."""
        self.search.clear()
        self.company_filter.setCurrentIndex(0)
        self.model.clear_checked()
        self.model.set_checked([site_id])
        self._update_counts()
        row = self.model.find_row(site_id)
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def _toggle_row(self, index: Any) -> None:
        if index.isValid() and index.column() != SitesTableModel.COL_CHECK:
            site = self.model.row_at(index.row())
            self.model.set_checked([site.id], site.id not in self.model.checked_ids())

    def _on_check_all(self, checked: bool) -> None:
        self.model.set_checked([s.id for s in self.model.rows()], checked)

    def _update_counts(self) -> None:
        checked = len(self.model.checked_ids())
        shown = self.model.rowCount()
        visible_checked = self.model.visible_checked()
        self.check_all.blockSignals(True)
        self.check_all.setChecked(shown > 0 and visible_checked == shown)
        self.check_all.blockSignals(False)
        self.check_all.setEnabled(shown > 0)
        hidden = checked - visible_checked
        text = f"{plural(len(self._all), 'site')} · {shown} shown · {checked} checked"
        if hidden:
            text += f" ({hidden} hidden by the filter)"
        self.count_label.setText(text)
        self.assign_button.setEnabled(checked > 0 and not self.ops.writes.busy())
        self.remove_button.setEnabled(checked > 0 and not self.ops.writes.busy())
        self.clear_checks.setEnabled(checked > 0)

    # assigning
    def assign_checked(self, initial_package: str | None = None) -> AssignmentDialog | None:
        """Open the preview for assigning a package (preselected by id or name, if given; else
        the package saved last in this window) to the checked sites; the dialog's button does
        the assignment."""
        known = {p.id for p in self._packages}
        last = last_package.recall(self.undo_stack)
        if initial_package is None and last in known:
            initial_package = last
        return self._open_preview(self._packages, initial_package)

    def unassign_checked(self) -> AssignmentDialog | None:
        """Open the preview for removing the package of the checked sites."""
        return self._open_preview(None, None)

    def _open_preview(self, packages: list[PackageView] | None,
                      initial: str | None) -> AssignmentDialog | None:
        ids = self.checked_ids()
        if not ids:
            self.notice.show_message("Check the sites first (the boxes in the first column).",
                                     "info")
            return None
        if packages is not None and not packages:
            self.notice.show_message("There is no package yet: build one on the Packages "
                                     "page first.", "info")
            return None
        sites = self.sites
        dialog = AssignmentDialog(lambda package: sites.preview_assign(package, ids), len(ids),
                                  packages, self, initial)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._confirmed(dialog, ids))
        dialog.destroyed.connect(self._dialog_gone)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _dialog_gone(self, *_args: object) -> None:
        self.dialog = None

    def _confirmed(self, dialog: AssignmentDialog, ids: list[str]) -> None:
        package_id = dialog.package_id()
        preview = dialog.preview_result
        changed = {c.site_id for c in preview.changed} if preview else set(ids)
        if not changed:
            return
        previous = {s.id: s.package_id for s in self._all if s.id in changed}
        sites = self.sites
        if package_id is None:
            def write() -> AssignmentResult:
                return sites.unassign(list(previous))
        else:
            def write() -> AssignmentResult:
                return sites.assign(package_id, list(previous))

        def done(result: AssignmentResult) -> None:
            count = len(result.changed)
            if result.package is None:
                text = f"Remove the package of {plural(count, 'site')}"
                message = (f"Removed the package of {plural(count, 'site')}; they now get "
                           "the default package.")
            else:
                text = f"Assign '{result.package}' to {plural(count, 'site')}"
                message = f"Assigned '{result.package}' to {plural(count, 'site')}."
            self.undo_stack.push(AssignPackagesCommand(
                self.sites, text, package_id, previous, queue=self.ops,
                on_done=self._after_undo, on_error=self._undo_error))
            self.notice.show_message(message + " Edit → Undo puts the previous packages back.",
                                     "success")
            self.model.clear_checked()  # done with these sites: the next choice starts afresh
            self._notify_done = True
            self.refresh()

        def failed(exc: BaseException) -> None:
            present_failure(exc, self.notice, "Nothing was changed")
            self._notify_done = True
            self.refresh()

        self.notice.show_message(f"Updating {plural(len(previous), 'site')}…", "info")
        self.ops.write(write, done, on_failure=failed)
        self._update_counts()

    def _after_undo(self, _select: str | None) -> None:
        self._notify_done = True
        self.refresh()

    def _undo_error(self, message: str) -> None:
        self.notice.show_message(as_sentence(message), "error")

    def packages_by_name(self) -> dict[str, str]:
        return {p.name: p.id for p in self._packages}
