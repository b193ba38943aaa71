"""Deleting a site or company from Companies & Sites (issue 14): the confirmation counts
everything that goes, the delete takes all of it, and undo brings all of it back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.services.workspace import Workspace
from tests.services.cascade_helpers import live_counts
from tests.ui.conftest import ScriptedDialogs, wait_idle
from tests.ui.context_support import make_context
from ui import background
from ui.background import SerialQueue
from ui.ops import write_queue
from ui.pages.companies_page import CompaniesPage

CLINIC = "Northside Clinic"


@pytest.fixture
def page(qtbot, sample_workspace: Workspace, dialogs: ScriptedDialogs) -> Iterator[CompaniesPage]:
    ws = sample_workspace
    widget = CompaniesPage(make_context(ws, qtbot))
    qtbot.addWidget(widget)
    widget.dialogs = dialogs  # type: ignore[assignment]
    widget.resize(1100, 700)
    widget.show()
    with qtbot.waitSignal(widget.refreshed):
        widget.refresh()
    wait_idle(qtbot)
    yield widget
    wait_idle(qtbot)


def test_the_confirmation_counts_what_goes_and_undo_brings_it_all_back(
        qtbot, page: CompaniesPage, sample_workspace: Workspace,
        dialogs: ScriptedDialogs) -> None:
    ws = sample_workspace
    site = ws.sites.get(CLINIC)
    before = live_counts(ws.path, [site.id])
    page.select(site.id)
    dialogs.confirms.append(True)
    with qtbot.waitSignal(page.refreshed):
        page.delete_button.click()
    wait_idle(qtbot)
    title, asked = dialogs.asked[-1]
    assert title == "Delete Site"
    assert "Northside Clinic" in asked
    assert ("5 devices, 7 client profiles, 5 Help Desk sections and 0 vault items" in asked)
    assert set(live_counts(ws.path, [site.id]).values()) == {0}
    assert "7 client profiles" in page.notice.text()
    assert page.undo_stack.count() == 1
    assert page.undo_stack.undoText() == "Delete site 'Northside Clinic'"

    with qtbot.waitSignal(page.refreshed):
        page.undo_stack.undo()
    wait_idle(qtbot)
    assert live_counts(ws.path, [site.id]) == before
    assert page.model.site_index(site.id).isValid()
    assert page.notice.text() == "Undone: Delete site 'Northside Clinic'."  # not "Deleted …"

    with qtbot.waitSignal(page.refreshed):
        page.undo_stack.redo()
    wait_idle(qtbot)
    assert set(live_counts(ws.path, [site.id]).values()) == {0}
    assert page.notice.text() == "Redone: Delete site 'Northside Clinic'."


def test_a_company_delete_is_undone_with_its_sites(qtbot, page: CompaniesPage,
                                                  sample_workspace: Workspace,
                                                  dialogs: ScriptedDialogs) -> None:
    ws = sample_workspace
    company = next(c for c in ws.companies.all() if c.name == "Contoso Dental")
    sites = [s.id for s in ws.sites.all("Contoso Dental")]
    before = live_counts(ws.path, sites)
    page.select(company.id)
    dialogs.confirms.append(True)
    with qtbot.waitSignal(page.refreshed):
        page.delete_button.click()
    wait_idle(qtbot)
    asked = dialogs.asked[-1][1]
    assert f"3 sites, {before['devices']} devices" in asked
    assert "7 client profiles, 5 Help Desk sections and 0 vault items" in asked
    assert set(live_counts(ws.path, sites).values()) == {0}
    with qtbot.waitSignal(page.refreshed):
        page.undo_stack.undo()
    wait_idle(qtbot)
    assert live_counts(ws.path, sites) == before
    assert page.model.company_index(company.id).isValid()


def test_declining_deletes_nothing_and_pushes_no_undo(qtbot, page: CompaniesPage,
                                                     sample_workspace: Workspace,
                                                     dialogs: ScriptedDialogs) -> None:
    ws = sample_workspace
    site = ws.sites.get(CLINIC)
    before = live_counts(ws.path, [site.id])
    pending = ws.pending_changes()
    page.select(site.id)
    dialogs.confirms.append(False)
    page.delete_button.click()
    qtbot.waitUntil(lambda: not dialogs.confirms)
    wait_idle(qtbot)
    assert live_counts(ws.path, [site.id]) == before
    assert ws.pending_changes() == pending
    assert page.undo_stack.count() == 0


class _AskingWhileIdle(ScriptedDialogs):
    """Notes, at the moment the question is asked: whether the write queue is still busy,
    and whether the status bar was told that background work is over (its busy indicator)."""

    def __init__(self, queue: SerialQueue) -> None:
        super().__init__()
        self.queue = queue
        self.idle_told = False
        self.when_asked: list[tuple[bool, bool]] = []  # (queue busy, idle told)
        background.monitor().idle.connect(self._idle)

    def _idle(self) -> None:
        self.idle_told = True

    def confirm(self, title: str, text: str, accept: str = "OK", *,
                destructive: bool = False, details: str = "") -> bool:
        self.when_asked.append((self.queue.busy(), self.idle_told))
        return super().confirm(title, text, accept, destructive=destructive, details=details)


def test_the_question_does_not_hold_the_write_queue(qtbot, page: CompaniesPage,
                                                    sample_workspace: Workspace) -> None:
    """While the user reads the confirmation nothing is left running: the busy indicator is
    off and a write asked meanwhile is not stuck behind the question."""
    asking = _AskingWhileIdle(write_queue(page.undo_stack))
    asking.confirms.append(False)
    page.dialogs = asking  # type: ignore[assignment]
    page.select(sample_workspace.sites.get(CLINIC).id)
    page.delete_button.click()
    qtbot.waitUntil(lambda: bool(asking.when_asked))
    assert asking.when_asked == [(False, True)]
    wait_idle(qtbot)
    assert sample_workspace.sites.get(CLINIC).name == CLINIC  # answered No: nothing deleted
