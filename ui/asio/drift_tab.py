"""The site's ConnectWise Drift tab: setting by setting, what we planned for each endpoint and
what the platform applies, with the package and policy the platform took it from — as last
pulled (Sync → ConnectWise… → Pull, or Pull This Site there). Read-only; loads off the GUI
thread when shown."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from app.asio.service import AsioService
from ui.asio.columns import keep_fitted
from ui.asio.models import DriftModel, DriftRow
from ui.background import run_blocking

EMPTY = ("No drift recorded for this site: either the platform applies what we planned, or "
         "its endpoints' effective policies were not pulled yet (Sync → ConnectWise… → Drift "
         "→ Pull This Site).")


class DriftTab(QWidget):
    def __init__(self, workspace: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("asioDriftTab")
        self.service = AsioService(workspace.db)
        self.devices = workspace.devices
        self.site: Any = None
        self.summary = QLabel(EMPTY, self)
        self.summary.setObjectName("asioDriftSummary")
        self.summary.setWordWrap(True)
        self.model = DriftModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("asioSiteDriftTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName("ConnectWise drift of the site")
        keep_fitted(self.table, rows=True)  # a site's drift: rows grow to fit
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)

    def set_site(self, site: Any) -> None:
        """The site shown (a SiteView, or None): its drift is read in the background."""
        self.site = site
        if site is None:
            self.model.set_rows([])
            self.summary.setText(EMPTY)
            return
        site_id, service, devices = site.id, self.service, self.devices

        def read() -> list[DriftRow]:
            names = {d.id: d.name for d in devices.all(site_id)}
            return [DriftRow.of(r, names, i) for i, r in enumerate(service.drift(site_id))]

        def show(rows: list[DriftRow]) -> None:
            if self.site is None or self.site.id != site_id:
                return  # another site was chosen meanwhile
            self.model.set_rows(rows)
            endpoints = len({r.device for r in rows})
            self.summary.setText(
                f"{len(rows)} setting(s) on {endpoints} endpoint(s) where the platform applies "
                "something other than what we planned." if rows else EMPTY)

        run_blocking(self, read, show, lambda exc: self.summary.setText(
            f"Could not read the drift report: {exc}"))
