"""Sync → ConnectWise…: pull from and push to ConnectWise Asio (docs/asio.md).

The platform (a region or a URL) and the client id are the workspace's (shared with `preflight
asio`); the secret typed here goes to the workspace's vault, else the OS keychain, else this
session's memory — never the settings. Review Plan lists per object what a push would do and
why (reads only); Push sends that plan, with progress and Cancel. The tabs show the drift
report of a site and the PSA Integration policy's pick lists as last pulled.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import httpx
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.asio.client import REGIONS, resolve_base_url
from app.asio.errors import AsioError
from app.services.client_secrets import KEYCHAIN, SESSION, VAULT
from ui.asio.columns import keep_fitted
from ui.asio.controller import (
    DONE,
    PLAN,
    PULL,
    PUSH,
    AsioController,
    Connection,
    Outcome,
)
from ui.asio.models import DriftModel, DriftRow, PushPlanModel
from ui.background import run_blocking

REGION_LABELS = (("North America", "na"), ("Europe", "eu"), ("Australia", "au"),
                 ("Another URL…", "url"))
LOOKUP_LABELS = {"service_boards": "Service boards", "priorities": "Priorities",
                 "statuses": "Statuses", "types": "Ticket types", "sources": "Ticket sources"}


W = TypeVar("W", bound=QWidget)


def _named(widget: W, name: str) -> W:
    widget.setObjectName(name)
    return widget


def _table(model: Any, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    keep_fitted(view)
    return view


# where the client secret is kept (`ClientSecretStore.home`), as the secret field says it
SECRET_HOMES = {
    VAULT: "kept in the workspace's vault once accepted",
    KEYCHAIN: "kept in this computer's keychain once accepted",
    SESSION: "kept until Preflight quits: set up the vault (Vault menu) to keep it",
}


class AsioDialog(QDialog):
    def __init__(self, workspace: Any, parent: QWidget | None = None, *,
                 http: Callable[[], httpx.AsyncClient] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("asioDialog")
        self.setWindowTitle("ConnectWise Asio")
        self.resize(900, 600)
        self.workspace = workspace
        self.controller = AsioController(workspace, self, http=http)
        self.controller.progressed.connect(self._progressed)
        self.controller.finished.connect(self._finished)
        self.last_outcome: Outcome | None = None
        layout = QVBoxLayout(self)
        layout.addLayout(self._form())
        layout.addLayout(self._buttons())
        self.progress = _named(QProgressBar(), "asioProgress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setTextVisible(False)  # no "0%" before anything ran: nothing is stuck
        self.status = _named(QLabel("Pull reads the platform (reads only); Review Plan shows "
                                    "what a push would create or change, and why."),
                             "asioStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self._tabs(), 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self._load_settings()

    def _form(self) -> QFormLayout:
        self.region = _named(QComboBox(), "asioRegion")
        for label, key in REGION_LABELS:
            self.region.addItem(label, key)
        self.url = _named(QLineEdit(), "asioUrl")
        self.url.setPlaceholderText("https://openapi.service.itsupport247.net")
        self.client_id = _named(QLineEdit(), "asioClientId")
        self.secret = _named(QLineEdit(), "asioSecret")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setPlaceholderText("kept in the vault or the OS keychain, never in the "
                                       "settings")
        form = QFormLayout()
        form.addRow("&Region:", self.region)
        form.addRow("&URL:", self.url)
        form.addRow("Client &id:", self.client_id)
        form.addRow("Client &secret:", self.secret)
        self.region.currentIndexChanged.connect(lambda _i: self._region_changed())
        return form

    def _buttons(self) -> QHBoxLayout:
        self.pull_button = _named(QPushButton("&Pull"), "asioPull")
        self.pull_button.setToolTip("Companies, sites, endpoints, ticketing lookups and drift "
                                    "from the platform")
        self.plan_button = _named(QPushButton("&Review Plan"), "asioPlan")
        self.plan_button.setToolTip("What a push would do, per object, and why (reads only)")
        self.push_button = _named(QPushButton("P&ush"), "asioPush")
        self.push_button.setToolTip("Send the reviewed plan: create companies, sites and "
                                    "contacts; rename sites. Nothing is ever deleted there.")
        self.push_button.setEnabled(False)
        self.cancel_button = _named(QPushButton("&Cancel"), "asioCancel")
        self.cancel_button.setEnabled(False)
        buttons = QHBoxLayout()
        for button in (self.pull_button, self.plan_button, self.push_button,
                       self.cancel_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.pull_button.clicked.connect(lambda: self.start(PULL))
        self.plan_button.clicked.connect(lambda: self.start(PLAN))
        self.push_button.clicked.connect(lambda: self.start(PUSH))
        self.cancel_button.clicked.connect(self.controller.cancel)
        refresh = QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self)
        refresh.activated.connect(lambda: self.start(PULL))
        return buttons

    def _tabs(self) -> QTabWidget:
        self.plan_model = PushPlanModel(self)
        self.drift_model = DriftModel(self)
        self.drift_site = _named(QComboBox(), "asioDriftSite")
        self.drift_site.currentIndexChanged.connect(lambda _i: self.load_drift())
        drift = QWidget()
        drift_layout = QVBoxLayout(drift)
        self.drift_pull = _named(QPushButton("Pull This &Site"), "asioDriftPull")
        self.drift_pull.setToolTip("Pull this site with the effective policy of each of its "
                                   "endpoints (one request per endpoint)")
        self.drift_pull.clicked.connect(self.pull_site)
        row = QHBoxLayout()
        row.addWidget(self.drift_site, 1)
        row.addWidget(self.drift_pull)
        drift_layout.addLayout(row)
        drift_layout.addWidget(_table(self.drift_model, "asioDriftTable"))
        self.lookups = _named(QTreeWidget(), "asioLookups")
        self.lookups.setHeaderLabels(["PSA pick list", "Platform id"])
        self.tabs = _named(QTabWidget(), "asioTabs")
        self.tabs.addTab(_table(self.plan_model, "asioPlanTable"), "Push plan")
        self.tabs.addTab(drift, "Drift")
        self.tabs.addTab(self.lookups, "PSA pick lists")
        return self.tabs

    # --- settings ---------------------------------------------------------------------------

    def _load_settings(self) -> None:
        service = self.controller.service

        def loaded(found: tuple[tuple[str | None, str | None], list[tuple[str, str]]]) -> None:
            (url, client_id), sites = found
            region = next((k for k, v in REGIONS.items() if v == url), None)
            self.region.setCurrentIndex(self.region.findData(region or ("url" if url
                                                                         else "na")))
            if url and region is None:
                self.url.setText(url)
            self.client_id.setText(client_id or "")
            self.drift_site.blockSignals(True)
            for site_id, name in sites:
                self.drift_site.addItem(name, site_id)
            self.drift_site.blockSignals(False)
            self._region_changed()
            self.load_lookups()
            self.load_drift()

        run_blocking(self, lambda: (service.remembered(),
                                    [(s.id, s.name) for s in self.workspace.sites.all()]),
                     loaded, self._failed_read)
        # where a secret typed now would be kept (the keychain takes a moment to load)
        run_blocking(self, self.controller.secret_home,
                     lambda home: self.secret.setPlaceholderText(SECRET_HOMES[home]),
                     lambda _exc: None)  # the generic text stays

    def _region_changed(self) -> None:
        custom = self.region.currentData() == "url"
        self.url.setEnabled(custom)
        if not custom:
            self.url.setText(REGIONS[self.region.currentData()])

    def connection(self) -> Connection:
        key = self.region.currentData()
        url = resolve_base_url(None, self.url.text()) if key == "url" else REGIONS[key]
        client_id = self.client_id.text().strip()
        if not client_id:
            raise AsioError("Enter the client id of the API key (ConnectWise RMM → "
                            "Integrations → API keys).")
        return Connection(url, client_id, self.secret.text())

    # --- runs -------------------------------------------------------------------------------

    def pull_site(self) -> bool:
        """Pull the site shown in the Drift tab, its drift included."""
        site_id = self.drift_site.currentData()
        return bool(site_id) and self.start(PULL, [site_id])

    def start(self, action: str, sites: list[str] | None = None) -> bool:
        if self.controller.running:
            return False
        try:
            connection = self.connection()
        except AsioError as exc:
            self.status.setText(str(exc))
            return False
        if action == PUSH and self.controller.plan is None:
            return False
        self.controller.start(action, connection, sites)
        self._running(True)
        self.progress.setRange(0, 0)  # busy until the first step says how many
        self.progress.setTextVisible(True)
        self.status.setText({PULL: "Pulling…", PLAN: "Reading the platform…",
                             PUSH: "Pushing…"}[action])
        return True

    def _running(self, on: bool) -> None:
        for button in (self.pull_button, self.plan_button, self.drift_pull):
            button.setEnabled(not on)
        self.push_button.setEnabled(not on and self.controller.plan is not None
                                    and self.controller.plan.writes > 0)
        self.cancel_button.setEnabled(on)

    def _progressed(self, done: int, total: int, what: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.status.setText(f"{what} ({done} of {total})" if total else what)

    def _finished(self, outcome: Outcome) -> None:
        self.last_outcome = outcome
        self.secret.clear()  # kept where it belongs now; not in a widget
        if outcome.action == PLAN and outcome.kind == DONE and self.controller.plan:
            self.plan_model.set_rows(self.controller.plan.items, in_order=True)
            self.tabs.setCurrentIndex(0)
        self._running(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(1 if outcome.kind == DONE else 0)
        self.progress.setTextVisible(outcome.kind == DONE)  # "100%"; no "0%" after a refusal
        self.status.setText(outcome.message)
        if outcome.action in (PULL, PUSH):
            self.load_lookups()
            self.load_drift()

    # --- the tabs ---------------------------------------------------------------------------

    def load_lookups(self) -> None:
        def show(lookups: dict[str, list[tuple[str, str]]]) -> None:
            self.lookups.clear()
            for kind, label in LOOKUP_LABELS.items():
                top = QTreeWidgetItem([f"{label} ({len(lookups.get(kind, []))})", ""])
                for remote_id, name in lookups.get(kind, []):
                    top.addChild(QTreeWidgetItem([name, remote_id]))
                self.lookups.addTopLevelItem(top)
            self.lookups.expandAll()

        run_blocking(self, self.controller.service.lookups, show, self._failed_read)

    def load_drift(self) -> None:
        site_id = self.drift_site.currentData()
        if not site_id:
            self.drift_model.set_rows([])
            return
        service, devices = self.controller.service, self.workspace.devices

        def read() -> list[DriftRow]:
            names = {d.id: d.name for d in devices.all(site_id)}
            return [DriftRow.of(r, names, i) for i, r in enumerate(service.drift(site_id))]

        run_blocking(self, read, self.drift_model.set_rows, self._failed_read)

    def _failed_read(self, exc: BaseException) -> None:
        self.status.setText(f"Could not read the workspace: {exc}")

    # --- closing ----------------------------------------------------------------------------

    def reject(self) -> None:
        if self.controller.running:  # Close while a run goes on: cancel it first
            self.controller.cancel()
            self.status.setText("Cancelling… the dialog closes when the platform has answered.")
            self.controller.finished.connect(lambda _o: super(AsioDialog, self).reject(),
                                             Qt.ConnectionType.SingleShotConnection)
            return
        super().reject()
