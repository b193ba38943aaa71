"""The close/quit guard: File → Quit (Ctrl+Q), closing the window and switching workspace ask
Save / Discard / Cancel when a policy, a package or a Help Desk section holds unsaved edits."""

from __future__ import annotations

from typing import Any

from app.services.workspace import Workspace
from tests.ui.conftest import ScriptedDialogs, wait_idle
from tests.ui.helpdesk_support import type_into
from ui.helpdesk.basic_info_tab import BasicInfoTab
from ui.helpdesk.references_tab import ReferencesTab
from ui.main_window import MainWindow
from ui.pages.packages_page import PackagesPage
from ui.pages.policies_page import PoliciesPage
from ui.unsaved import pending_edits


def scripted(window: MainWindow, *answers: str) -> ScriptedDialogs:
    dialogs = ScriptedDialogs(answer=True)
    dialogs.unsaved.extend(answers)
    window.dialogs = dialogs  # type: ignore[assignment]
    return dialogs


def quit_app(qtbot: Any, window: MainWindow) -> None:
    assert window.menus.quit.shortcut().toString() == "Ctrl+Q"
    window.menus.quit.trigger()
    wait_idle(qtbot)


def edit_policy(qtbot: Any, window: MainWindow, name: str) -> PoliciesPage:
    window.show_page("policies")
    page = window.page("policies")
    assert isinstance(page, PoliciesPage)
    qtbot.waitUntil(lambda: bool(page.model.rows()), timeout=10_000)
    row = [r.name for r in page.model.rows()].index(name)
    page.table.selectRow(row)
    assert page.editor.name_edit.text() == name
    type_into(qtbot, page.editor.name_edit, f"{name} v2")
    assert page.editor.is_dirty()
    return page


def open_site_tab(qtbot: Any, window: MainWindow, title: str) -> Any:
    assert window.select_site("Main Office")
    page = window.page("companies")
    tab = page.site_tabs.show_tab(title)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: tab.context is not None, timeout=10_000)
    wait_idle(qtbot)
    return tab


def test_quit_with_an_edited_policy_cancel_keeps_the_window_and_the_edit(
        qtbot: Any, window: MainWindow) -> None:
    page = edit_policy(qtbot, window, "RMM with NOC")
    dialogs = scripted(window, "cancel")
    quit_app(qtbot, window)
    assert dialogs.unsaved_asked == [["Policy 'RMM with NOC'"]]
    assert window.isVisible()
    assert page.editor.name_edit.text() == "RMM with NOC v2"


def test_quit_with_an_edited_policy_save_stores_it_then_closes(
        qtbot: Any, window: MainWindow, sample_workspace: Workspace) -> None:
    edit_policy(qtbot, window, "RMM with NOC")
    scripted(window, "save")
    quit_app(qtbot, window)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    assert "RMM with NOC v2" in [p.name for p in sample_workspace.policies.all()]


def test_quit_with_an_edited_policy_discard_closes_and_stores_nothing(
        qtbot: Any, window: MainWindow, sample_workspace: Workspace) -> None:
    edit_policy(qtbot, window, "RMM with NOC")
    scripted(window, "discard")
    window.close()  # the window's close button takes the same path as Quit
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    names = [p.name for p in sample_workspace.policies.all()]
    assert "RMM with NOC" in names
    assert "RMM with NOC v2" not in names


def open_packages(qtbot: Any, window: MainWindow) -> PackagesPage:
    """The Packages page, shown, with its first package open in the builder."""
    window.show_page("packages")
    page = window.page("packages")
    assert isinstance(page, PackagesPage)
    qtbot.waitUntil(lambda: page.current_draft().package_id is not None, timeout=10_000)
    return page


def test_quit_with_an_unsaved_package_lists_it_and_saves_it(
        qtbot: Any, window: MainWindow, sample_workspace: Workspace) -> None:
    page = open_packages(qtbot, window)
    name = page.current_draft().state.name
    page.builder.name_edit.setFocus()
    page.builder.name_edit.selectAll()
    qtbot.keyClicks(page.builder.name_edit, "Renamed package")
    dialogs = scripted(window, "cancel", "save")
    quit_app(qtbot, window)
    assert dialogs.unsaved_asked[0] == ["Package 'Renamed package'"]
    assert window.isVisible()
    quit_app(qtbot, window)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    names = [p.name for p in sample_workspace.packages.all()]
    assert "Renamed package" in names
    assert name not in names


def test_quit_with_a_new_package_holding_policies_asks(qtbot: Any, window: MainWindow) -> None:
    page = open_packages(qtbot, window)
    page.new_package()
    qtbot.keyClicks(page.builder.name_edit, "Fresh")
    dialogs = scripted(window, "cancel")
    quit_app(qtbot, window)
    assert dialogs.unsaved_asked == [["Package 'Fresh' (new)"]]
    assert window.isVisible()


def test_quit_with_an_edited_reference_saves_it_before_closing(
        qtbot: Any, window: MainWindow, sample_workspace: Workspace) -> None:
    tab = open_site_tab(qtbot, window, "References")
    assert isinstance(tab, ReferencesTab)
    tab.add_ref.click()
    type_into(qtbot, tab.title_edit, "Opening hours")
    type_into(qtbot, tab.body_edit, "Mon-Fri 08:00-18:00")
    dialogs = scripted(window, "save")
    quit_app(qtbot, window)
    assert dialogs.unsaved_asked == [["References of site 'Main Office'"]]
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    titles = [r.title for r in sample_workspace.helpdesk.setup("Main Office").references]
    assert "Opening hours" in titles


def test_a_refused_save_keeps_the_window_open_and_shows_the_form(
        qtbot: Any, window: MainWindow) -> None:
    tab = open_site_tab(qtbot, window, "References")
    tab.add_ref.click()
    type_into(qtbot, tab.title_edit, "spaces around ")  # refused: spaces around the title
    type_into(qtbot, tab.body_edit, "text")
    window.show_page("policies")  # the guard brings the refusing form back into view
    scripted(window, "save")
    quit_app(qtbot, window)
    assert window.isVisible()
    assert window.current_name() == "companies"
    assert window.sidebar.currentRow() == 0
    assert tab.isVisible()
    assert "Remove the spaces" in tab.errors["title"].text()


def test_several_edits_are_listed_together_and_discard_forgets_them_all(
        qtbot: Any, window: MainWindow) -> None:
    basic = open_site_tab(qtbot, window, "Basic Info")
    assert isinstance(basic, BasicInfoTab)
    type_into(qtbot, basic.greeting, "Contoso front desk")
    edit_policy(qtbot, window, "RMM with NOC")
    dialogs = scripted(window, "discard")
    assert len(pending_edits(window)) == 2
    quit_app(qtbot, window)
    assert sorted(dialogs.unsaved_asked[0]) == ["Basic Info of site 'Main Office'",
                                                "Policy 'RMM with NOC'"]
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    assert not basic.is_dirty()


def test_switching_workspace_with_edits_asks_first(qtbot: Any, window: MainWindow,
                                                    tmp_path: Any) -> None:
    edit_policy(qtbot, window, "RMM with NOC")
    dialogs = scripted(window, "cancel")
    before = window.workspace
    window.switch_workspace(tmp_path / "other.preflight", create=True)
    wait_idle(qtbot)
    assert dialogs.unsaved_asked == [["Policy 'RMM with NOC'"]]
    assert window.workspace is before


def test_no_edits_quits_without_asking(qtbot: Any, window: MainWindow) -> None:
    dialogs = scripted(window)
    assert pending_edits(window) == []
    quit_app(qtbot, window)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    assert dialogs.unsaved_asked == []


def test_a_save_refused_on_the_write_queue_keeps_the_window_open_with_the_refusal_shown(
        qtbot: Any, window: MainWindow, sample_workspace: Workspace) -> None:
    page = edit_policy(qtbot, window, "RMM with NOC")
    type_into(qtbot, page.editor.name_edit, "Communicator On")  # the name is taken
    window.show_page("packages")  # the guard brings the refusing page back into view
    dialogs = scripted(window, "save", "discard")
    quit_app(qtbot, window)  # the save is refused by the service, off the GUI thread
    assert window.isVisible()
    assert window.current_name() == "policies"
    assert "already exists" in page.editor.notice.text()
    assert page.editor.is_dirty()
    assert page.editor.name_edit.text() == "Communicator On"
    names = [p.name for p in sample_workspace.policies.all()]
    assert names.count("Communicator On") == 1
    assert "RMM with NOC" in names
    quit_app(qtbot, window)  # asked again, and Discard closes
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    assert dialogs.unsaved_asked == [["Policy 'RMM with NOC'"]] * 2


def test_a_write_queued_before_the_quit_save_lands_before_it(
        qtbot: Any, window: MainWindow, sample_workspace: Workspace) -> None:
    model = next(p for p in sample_workspace.policies.all() if p.name == "Communicator On")
    unused = sample_workspace.policies.create(model.type, "Spare Communicator", model.settings)
    window.show_page("policies")
    page = window.page("policies")
    assert isinstance(page, PoliciesPage)
    page.refresh()
    qtbot.waitUntil(lambda: unused.name in [r.name for r in page.model.rows()], timeout=10_000)
    page.table.selectRow([r.name for r in page.model.rows()].index(unused.name))
    dialogs = scripted(window, "save")
    page.dialogs = ScriptedDialogs(answer=True)  # type: ignore[assignment]  # Delete: yes
    page.delete_button.click()  # queued: the save below may only take its name after it
    row = [r.name for r in page.model.rows()].index("RMM with NOC")
    page.table.selectRow(row)
    type_into(qtbot, page.editor.name_edit, unused.name)
    window.menus.quit.trigger()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    assert dialogs.unsaved_asked == [["Policy 'RMM with NOC'"]]
    names = [p.name for p in sample_workspace.policies.all()]
    assert unused.name in names
    assert "RMM with NOC" not in names


def test_a_package_save_refused_on_the_write_queue_keeps_the_window_open(
        qtbot: Any, window: MainWindow, sample_workspace: Workspace) -> None:
    page = open_packages(qtbot, window)
    name = page.current_draft().state.name
    taken = next(p.name for p in sample_workspace.packages.all() if p.name != name)
    type_into(qtbot, page.builder.name_edit, taken)
    scripted(window, "save")
    quit_app(qtbot, window)
    assert window.isVisible()
    assert window.current_name() == "packages"
    assert "already" in page.builder.notice.text()
    assert page.current_draft().is_dirty
    assert [p.name for p in sample_workspace.packages.all()].count(taken) == 1
