"""The preview shown before a package is assigned to (or removed from) the checked sites.

It lists every checked site with its package now and after, says which sites change and which
package each one loses, and only then offers the button that does it. Choosing another package
recomputes the preview (off the GUI thread). The dialog is window-modal and opened with
`open()`: the page continues on `accepted`, so nothing blocks in a nested event loop.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.views import AssignmentResult, PackageView
from ui import theme
from ui.models.assignment_preview_model import AssignmentPreviewModel
from ui.ops import Latest, present_failure, quiet_failure
from ui.widgets.policy_common import as_sentence
from ui.widgets.row_table import row_table

Preview = Callable[[str | None], AssignmentResult]  # package id (None: remove) -> preview


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summarize(result: AssignmentResult) -> str:
    changed = result.changed
    replaced = result.replaced
    same = len(result.changes) - len(changed)
    if result.package is None:
        if not changed:
            return "None of these sites has a package of its own: nothing to remove."
        their = "its" if len(changed) == 1 else "their"
        text = (f"{plural(len(changed), 'site')} will lose {their} package and fall back to "
                "the default package.")
    else:
        if not changed:
            return f"Every checked site already has '{result.package}': nothing to change."
        text = f"{plural(len(changed), 'site')} will get '{result.package}'."
        if replaced:
            losses: dict[str, int] = {}
            for change in replaced:
                losses[change.previous_package or ""] = \
                    losses.get(change.previous_package or "", 0) + 1
            lost = ", ".join(f"'{name}' ({count})" for name, count in sorted(losses.items()))
            has = "the package it has" if len(replaced) == 1 else "the packages they have"
            text += f" {plural(len(replaced), 'site')} will lose {has} now: {lost}."
    if same and result.package:
        text += f" {plural(same, 'site')} already {'has' if same == 1 else 'have'} it."
    elif same:
        text += f" {plural(same, 'site')} without a package of their own stay as they are."
    return text


class AssignmentDialog(QDialog):
    """`package_id()` is the chosen package (None: removing); `preview_result` the preview."""

    preview_ready = Signal()

    def __init__(self, preview: Preview, site_count: int,
                 packages: Sequence[PackageView] | None, parent: QWidget | None = None,
                 initial_package: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assignmentDialog")
        self.preview = preview
        self.removing = packages is None
        self.preview_result: AssignmentResult | None = None
        self._preview_read = Latest(self, lambda exc: present_failure(exc, None))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setWindowTitle("Remove Assignment" if self.removing else "Assign Package")
        self.resize(760, 460)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)

        intro = QLabel(
            f"Remove the package of the {plural(site_count, 'checked site')}? Their devices "
            "fall back to the default package (device overrides stay)." if self.removing else
            f"Choose the package for the {plural(site_count, 'checked site')}. A site has one "
            "package: assigning this one replaces the package it has now.", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.package_combo = QComboBox(self)
        self.package_combo.setObjectName("packageChoice")
        self.package_combo.setAccessibleName("Package")
        if packages is not None:
            form = QFormLayout()
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
            for package in sorted(packages, key=lambda p: p.name.casefold()):
                label = package.name + (" (default package)" if package.is_default else "")
                self.package_combo.addItem(label, package.id)
            if initial_package:  # an id or an exact name
                found = self.package_combo.findData(initial_package)
                if found < 0:
                    named = next((p.id for p in packages if p.name == initial_package), None)
                    found = self.package_combo.findData(named) if named else -1
                self.package_combo.setCurrentIndex(max(found, 0))
            form.addRow("&Package:", self.package_combo)
            layout.addLayout(form)
            self.package_combo.currentIndexChanged.connect(self._recompute)
        else:
            self.package_combo.hide()

        self.summary = QLabel("Working out what changes…", self)
        self.summary.setObjectName("previewSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)

        layout.addWidget(self._build_table(), 1)
        self.buttons = QDialogButtonBox(self)
        self.ok_button: QPushButton = self.buttons.addButton(
            "Remove Assignment" if self.removing else "Assign",
            QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("confirmAssignment")
        self.ok_button.setDefault(True)
        self.ok_button.setEnabled(False)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._recompute()

    def _build_table(self) -> QTableView:
        self.model = AssignmentPreviewModel(self)
        self.table = row_table(self.model, self, "previewTable",
                               "Sites and their packages before and after",
                               sort_column=AssignmentPreviewModel.COL_CHANGE)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        # Fixed widths: sizing to contents would read thousands of rows on every change.
        for col, width in ((AssignmentPreviewModel.COL_COMPANY, 150),
                           (AssignmentPreviewModel.COL_SITE, 150),
                           (AssignmentPreviewModel.COL_BEFORE, 140),
                           (AssignmentPreviewModel.COL_AFTER, 140)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, width)
        return self.table

    def package_id(self) -> str | None:
        return None if self.removing else self.package_combo.currentData()

    def _recompute(self, *_args: object) -> None:
        self._preview_read.cancel()  # whatever is in flight is for another choice
        package_id = self.package_id()
        self.ok_button.setEnabled(False)
        theme.set_style(self.summary, "")
        self.summary.setText("Working out what changes…")
        if not self.removing and package_id is None:
            self.summary.setText("There is no package yet: build one on the Packages page.")
            return

        def shown(result: AssignmentResult) -> None:
            self.preview_result = result
            self.model.set_rows(result.changes)
            self.summary.setText(summarize(result))
            count = len(result.changed)
            self.ok_button.setEnabled(count > 0)
            if count:
                what = "Remove from" if self.removing else "Assign to"
                self.ok_button.setText(f"{what} {plural(count, 'Site')}")
            self.preview_ready.emit()

        def failed(exc: BaseException) -> None:  # shown in the summary line, bugs reported
            self.preview_result = None
            self.model.set_rows([])
            theme.set_style(self.summary, "color: $error")
            self.summary.setText(as_sentence(str(exc)))
            quiet_failure(exc)  # shown above; a bug also to the error dialog and the log
            self.preview_ready.emit()

        self._preview_read.run(lambda: self.preview(package_id), shown, failed)
