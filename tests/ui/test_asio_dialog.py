"""Sync → ConnectWise… driven like a user: region and client id, the secret typed once (kept
in the vault / keychain / this session, never the settings), Review Plan as a list, Push with
progress, Cancel mid-push (what the platform confirmed is kept; the next push goes on), Pull
filling the drift report and the PSA pick lists. Against the fake Asio that validates every
request with the vendor's document."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from app.profiles.profile import Profile
from app.services.client_secrets import SESSION, VAULT
from app.services.workspace import Workspace
from tests.asio.fake_asio import FakeAsio
from tests.ui.context_support import make_context
from ui import background
from ui.asio.controller import CANCELLED, DONE
from ui.asio.dialog import SECRET_HOMES, AsioDialog


@pytest.fixture
def fake() -> FakeAsio:
    made = FakeAsio()
    made.seed_lookups()
    return made


@pytest.fixture
def prepared(workspace: Workspace) -> Workspace:
    company = workspace.companies.create("Contoso Dental")
    site = workspace.sites.create(company.id, "Main Office")
    workspace.devices.create(site.id, "WS-01")
    for i in range(4):
        workspace.profiles.add(site.id, Profile(f"Ann{i}", f"Lee{i}",
                                                mobile_country_code="GB",
                                                mobile_phone=f"07400123{i:03}"))
    return workspace


@pytest.fixture
def dialog(qtbot: Any, prepared: Workspace, fake: FakeAsio) -> AsioDialog:
    shown = AsioDialog(prepared, http=lambda: httpx.AsyncClient(transport=fake.transport()))
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    qtbot.waitUntil(lambda: background.pending() == 0)
    return shown


def _fill(qtbot: Any, dialog: AsioDialog) -> None:
    assert dialog.region.currentData() == "na"  # the fake answers as the NA server
    qtbot.keyClicks(dialog.client_id, "cid")
    qtbot.keyClicks(dialog.secret, "secret")


def _click(qtbot: Any, dialog: AsioDialog, button: Any) -> Any:
    with qtbot.waitSignal(dialog.controller.finished, timeout=30_000) as signal:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: background.pending() == 0)
    return signal.args[0]


def _fits(view: QTableView, text: str) -> bool:
    """Some column of `view` is wide enough to show `text` whole (not wrapped or elided)."""
    header = view.horizontalHeader()
    wanted = view.fontMetrics().horizontalAdvance(text)
    return any(header.sectionSize(c) > wanted for c in range(header.count() - 1))


def _info_values(ws: Workspace) -> list[str]:
    with closing(sqlite3.connect(ws.path)) as conn:
        return [r[0] for r in conn.execute("SELECT value FROM workspace_info")]


def test_review_the_plan_then_push_with_progress(qtbot: Any, dialog: AsioDialog,
                                                 prepared: Workspace, fake: FakeAsio) -> None:
    _fill(qtbot, dialog)
    assert not dialog.push_button.isEnabled()  # nothing reviewed yet
    outcome = _click(qtbot, dialog, dialog.plan_button)
    assert outcome.kind == DONE, outcome.message
    model = dialog.plan_model
    rows = [[model.index(r, c).data() for c in range(4)] for r in range(model.rowCount())]
    assert rows[:2] == [["Company", "Contoso Dental", "Create", "only here"],
                        ["Site", "Main Office", "Create", "only here"]]
    assert sorted(r[1] for r in rows[2:]) == [f"Ann{i} Lee{i}" for i in range(4)]
    assert dialog.secret.text() == ""  # not left in a widget
    assert fake.writes == 0
    assert dialog.push_button.isEnabled()
    steps: list[tuple[int, int]] = []
    dialog.controller.progressed.connect(lambda d, t, _w: steps.append((d, t)))
    outcome = _click(qtbot, dialog, dialog.push_button)
    assert outcome.kind == DONE, outcome.message
    assert dialog.status.text() == ("Pushed: created 1 companies, 1 sites, 4 contacts; "
                                    "updated 0 sites.")
    assert steps[-1] == (6, 6)
    assert dialog.progress.value() == dialog.progress.maximum()
    assert len(fake.contacts) == 4
    assert not dialog.push_button.isEnabled()  # a plan is pushed once
    assert fake.invalid == []
    assert "secret" not in _info_values(prepared)  # never in the workspace's settings
    assert "cid" in _info_values(prepared)  # the client id is remembered (CLI and GUI)


def test_cancel_mid_push_keeps_what_was_confirmed_and_the_next_push_goes_on(
        qtbot: Any, dialog: AsioDialog, fake: FakeAsio) -> None:
    _fill(qtbot, dialog)
    _click(qtbot, dialog, dialog.plan_button)
    fake.gate = threading.Event()
    with qtbot.waitSignal(dialog.controller.finished, timeout=30_000) as signal:
        qtbot.mouseClick(dialog.push_button, Qt.MouseButton.LeftButton)
        assert fake.waiting.wait(10)  # the first contact is on its way
        assert dialog.cancel_button.isEnabled()
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
        fake.gate.set()
    assert signal.args[0].kind == CANCELLED
    assert "what the platform confirmed is kept" in dialog.status.text()
    assert len(fake.contacts) == 1
    fake.gate = None
    outcome = _click(qtbot, dialog, dialog.plan_button)  # the secret is kept: not typed again
    assert outcome.kind == DONE, outcome.message
    actions = [dialog.plan_model.index(r, 2).data() for r in range(dialog.plan_model.rowCount())]
    assert actions.count("Create") == 3
    assert actions.count("Skip") == 3
    _click(qtbot, dialog, dialog.push_button)
    assert len(fake.contacts) == 4
    assert len({c["externalIds"][0]["externalId"] for c in fake.contacts.values()}) == 4
    assert fake.invalid == []


def test_pull_fills_the_drift_report_and_the_psa_pick_lists(
        qtbot: Any, dialog: AsioDialog, prepared: Workspace, fake: FakeAsio) -> None:
    company = fake.add_company("Contoso Dental")
    site = fake.add_site(company, "Main Office")
    endpoint = fake.add_endpoint(site, "WS-01")
    fake.effective[endpoint] = {"settings": {"communicator": {"enabled": {"value": True}}},
                                "mapping": {"communicator": {"enabled": {
                                    "package": {"name": "Platform Default"},
                                    "policy": {"name": "Communicator On"}}}}}
    _fill(qtbot, dialog)
    outcome = _click(qtbot, dialog, dialog.pull_button)
    assert outcome.kind == DONE, outcome.message
    qtbot.waitUntil(lambda: dialog.drift_model.rowCount() == 1)
    row = [dialog.drift_model.index(0, c).data() for c in range(5)]
    assert row == ["WS-01", "communicator · enabled", "(not set)", "true",
                   "package 'Platform Default', policy 'Communicator On'"]
    tops = [dialog.lookups.topLevelItem(i) for i in range(dialog.lookups.topLevelItemCount())]
    assert [t.text(0) for t in tops] == ["Service boards (2)", "Priorities (2)",
                                         "Statuses (2)", "Ticket types (2)",
                                         "Ticket sources (3)"]
    assert [tops[4].child(i).text(0) for i in range(3)] == ["Email", "Phone", "RMM Alert"]
    assert "On the platform only" not in dialog.status.text()  # both have the same
    assert fake.invalid == []


def test_a_pull_says_what_exists_only_on_the_platform(qtbot: Any, dialog: AsioDialog,
                                                      fake: FakeAsio) -> None:
    """Nothing links: the summary says why (the platform's companies are not in this
    workspace) instead of a bare "0 linked"."""
    for name in ("Tailspin Toys", "Wingtip Toys", "Fourth Coffee", "Litware"):
        fake.add_site(fake.add_company(name), "HQ")
    _fill(qtbot, dialog)
    outcome = _click(qtbot, dialog, dialog.pull_button)
    assert outcome.kind == DONE, outcome.message
    text = dialog.status.text()
    assert "Pulled: 0 companies and 0 sites linked" in text
    assert ("On the platform only, not linked: 4 companies and 4 sites ('Fourth Coffee', "
            "'Litware', 'Tailspin Toys'…)") in text


def test_refused_credentials_are_said_plainly(qtbot: Any, dialog: AsioDialog) -> None:
    qtbot.keyClicks(dialog.client_id, "cid")
    qtbot.keyClicks(dialog.secret, "wrong")
    outcome = _click(qtbot, dialog, dialog.plan_button)
    assert outcome.kind == "failed"
    assert "refused client id 'cid'" in dialog.status.text()
    assert dialog.plan_button.isEnabled()


def test_no_client_id_is_asked_for_before_anything_is_sent(qtbot: Any, dialog: AsioDialog,
                                                           fake: FakeAsio) -> None:
    qtbot.mouseClick(dialog.plan_button, Qt.MouseButton.LeftButton)
    assert dialog.status.text().startswith("Enter the client id")
    assert fake.log == []
    assert not dialog.controller.running


def test_the_secret_field_says_where_the_secret_is_kept(qtbot: Any, dialog: AsioDialog,
                                                        prepared: Workspace, fake: FakeAsio,
                                                        monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    """No vault and no OS keychain (the test machine's): the field says the secret is kept
    until Preflight quits; a run without it says how to keep it; no "0%" on an idle bar."""
    assert dialog.secret.placeholderText() == SECRET_HOMES[SESSION]
    assert not dialog.progress.isTextVisible()
    qtbot.keyClicks(dialog.client_id, "cid")
    outcome = _click(qtbot, dialog, dialog.plan_button)
    assert outcome.kind == "failed"
    assert dialog.status.text().startswith("Enter the client secret. With no vault set up")
    assert "set up the vault (Vault menu)" in dialog.status.text()
    assert not dialog.progress.isTextVisible()
    assert fake.log == []
    monkeypatch.setenv("PREFLIGHT_VAULT_INSECURE_TEST_KDF", "1")
    prepared.vault.session.init("correct horse battery staple")
    again = AsioDialog(prepared, http=lambda: httpx.AsyncClient(transport=fake.transport()))
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: background.pending() == 0)
    assert again.secret.placeholderText() == SECRET_HOMES[VAULT]


def test_the_sync_menu_opens_connectwise(qtbot: Any, window: Any) -> None:
    menu = window.sync_ui.menu
    action = next(a for a in menu.actions() if a.objectName() == "connectWiseAction")
    assert action.text() == "Conn&ectWise…"
    assert action.isEnabled()
    action.trigger()
    opened = window.sync_ui.asio_dialog
    qtbot.waitExposed(opened)
    qtbot.waitUntil(lambda: background.pending() == 0)
    assert opened.windowTitle() == "ConnectWise Asio"
    assert opened.drift_site.count() == len(window.workspace.sites.all())
    opened.reject()


def test_the_secret_goes_to_the_vault_and_a_locked_vault_is_said_plainly(
        qtbot: Any, dialog: AsioDialog, prepared: Workspace,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFLIGHT_VAULT_INSECURE_TEST_KDF", "1")
    prepared.vault.session.init("correct horse battery staple")
    _fill(qtbot, dialog)
    assert _click(qtbot, dialog, dialog.plan_button).kind == DONE
    assert prepared.vault.app_secrets.get("asio.client_secret") == "secret"
    prepared.vault.session.lock()
    outcome = _click(qtbot, dialog, dialog.plan_button)  # nothing typed: the vault's is needed
    assert outcome.kind == "failed"
    assert dialog.status.text().startswith("The vault is locked: unlock it")
    prepared.vault.session.unlock("correct horse battery staple")
    assert _click(qtbot, dialog, dialog.plan_button).kind == DONE


def test_the_psa_policy_picks_from_the_pulled_lists(
        qtbot: Any, sample_workspace: Workspace, undo_stack: Any, dialogs: Any,
        fake: FakeAsio) -> None:
    """After a pull, the PSA Integration policy's Service Board, Ticket Type, Ticket Source and
    priority fields complete from the platform's lists (kept offline in the workspace)."""
    import asyncio

    from app.asio.client import AsioClient
    from app.asio.service import AsioService
    from tests.ui.conftest import shown_page
    from tests.ui.test_policy_psa_keys import PSA, open_policy
    from ui.pages.policies_page import PoliciesPage
    from ui.widgets.policy_editor import TextField

    service = AsioService(sample_workspace.db)
    client = AsioClient(fake.base_url, "cid", "secret", instance=service.instance_id(),
                        client=httpx.AsyncClient(transport=fake.transport()))
    asyncio.run(service.pull(client))
    context = make_context(sample_workspace, qtbot, undo_stack)
    for page in shown_page(qtbot, PoliciesPage(context), dialogs):
        open_policy(qtbot, page, PSA)
        qtbot.waitUntil(lambda p=page: background.pending() == 0)
        editor = page.editor

        def choices(key: str, e: Any = editor) -> list[str]:
            field = e.field(key)
            assert isinstance(field, TextField)
            model = field.edit.completer().model()
            return [model.index(i, 0).data() for i in range(model.rowCount())]

        assert choices("service_board") == ["Help Desk", "NOC Escalations"]
        assert choices("ticket_type") == ["Incident", "Service Request"]
        assert choices("ticket_source") == ["Email", "Phone", "RMM Alert"]
        assert choices("priority_map.critical") == ["Priority 1 - Critical",
                                                    "Priority 3 - Normal"]
        url = editor.field("psa_url")
        assert isinstance(url, TextField)
        assert url.edit.completer() is None  # not a lookup: nothing to pick


def test_the_site_shows_its_connectwise_drift(qtbot: Any, window: Any, fake: FakeAsio) -> None:
    """Companies → a site → ConnectWise Drift: the drift report as last pulled."""
    import asyncio

    from app.asio.client import AsioClient
    from app.asio.service import AsioService
    from tests.ui.conftest import wait_idle
    from tests.ui.helpdesk_support import site_named
    from ui.asio.drift_tab import DriftTab

    ws = window.workspace
    site = site_named(ws, "Downtown")
    device = ws.devices.all(site.id)[0]
    company = fake.add_company(site.company)
    remote_site = fake.add_site(company, "Downtown")
    endpoint = fake.add_endpoint(remote_site, device.name)
    fake.effective[endpoint] = {"settings": {"communicator": {"news_feeds": {"value": False}}},
                                "mapping": {}}
    service = AsioService(ws.db)
    client = AsioClient(fake.base_url, "cid", "secret", instance=service.instance_id(),
                        client=httpx.AsyncClient(transport=fake.transport()))
    asyncio.run(service.pull(client, ["Downtown"]))
    page = window.page("companies")
    assert page.select(site.id)
    tab = page.site_tabs.show_tab("ConnectWise Drift")
    assert isinstance(tab, DriftTab)
    wait_idle(qtbot)
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0)
    settings = {tab.model.index(r, 1).data(): (tab.model.index(r, 0).data(),
                                               tab.model.index(r, 3).data())
                for r in range(tab.model.rowCount())}
    assert settings["communicator · news_feeds"] == (device.name, "false")
    assert tab.summary.text().endswith("where the platform applies something other than what "
                                       "we planned.")
    assert _fits(tab.table, "Platform applies")  # the columns fit what they show
    assert _fits(tab.table, "communicator · news_feeds")
    assert fake.invalid == []
