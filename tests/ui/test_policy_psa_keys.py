"""The PSA Integration policy in the editor: the seed's advice shown live as warnings, and the
API key pair stored in the vault (real page, real workspace file, real vault and unlock dialog)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QLineEdit

from app.services.workspace import Workspace
from app.vault.keychain import Keychain
from tests.ui.conftest import ScriptedDialogs, shown_page, wait_idle
from tests.ui.context_support import make_context
from tests.ui.policies_support import open_policy, toggle
from ui import theme
from ui.accessibility import unnamed_widgets
from ui.models.policy_models import PolicyTableModel
from ui.pages.policies_page import PoliciesPage
from ui.vault.session import VaultSession, session_for
from ui.vault.unlock_dialog import UnlockDialog
from ui.widgets.psa_keys import NO_VAULT, NOT_STORED, SAVE_FIRST, STORED, PsaKeysBox

MASTER = "correct horse battery staple"
PUBLIC, PRIVATE = "AbCdEf0123456789", "CANARY-psa-gui-5b1e7d2a"
PSA = "PSA Ticket Sync"


@pytest.fixture(autouse=True)
def cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFLIGHT_VAULT_INSECURE_TEST_KDF", "1")


@pytest.fixture
def session(qtbot: Any, sample_workspace: Workspace) -> Iterator[VaultSession]:
    sample_workspace.vault.session.keychain = Keychain(backend=fail.Keyring())  # no keyring: dialog
    session = session_for(sample_workspace)
    yield session
    wait_idle(qtbot)
    session.close()


@pytest.fixture
def page(qtbot: Any, sample_workspace: Workspace, undo_stack: QUndoStack,
         dialogs: ScriptedDialogs, session: VaultSession) -> Iterator[PoliciesPage]:
    yield from shown_page(qtbot, PoliciesPage(make_context(sample_workspace, qtbot,
                                                           undo_stack)), dialogs)


def click(qtbot: Any, widget: Any) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def box_ready(qtbot: Any, page: PoliciesPage) -> PsaKeysBox:
    box = page.editor.keys_box
    qtbot.waitUntil(lambda: page.editor.vault_session.state != "loading")
    wait_idle(qtbot)
    return box


def type_keys(qtbot: Any, box: PsaKeysBox, public: str, private: str) -> None:
    for edit, text in ((box.public_edit, public), (box.private_edit, private)):
        edit.clear()
        if text:
            qtbot.keyClicks(edit, text)


# --- advice ----------------------------------------------------------------------------------


def test_advice_follows_the_fields_live_and_never_blocks_save(qtbot: Any,
                                                              page: PoliciesPage) -> None:
    open_policy(qtbot, page, PSA)
    editor = page.editor
    keys = ("psa_to_rmm_sync", "sync_communicator_tickets", "contact_sync", "ticket_sync")
    # The sample's policy syncs communicator tickets, against the seed's advice.
    assert [bool(editor.advice_text(k)) for k in keys] == [False, True, False, False]
    toggle(qtbot, page, "sync_communicator_tickets")
    assert [editor.advice_text(k) for k in keys] == ["", "", "", ""]
    assert editor.save_button.isEnabled()  # following the advice is an edit to save

    toggle(qtbot, page, "psa_to_rmm_sync")
    assert "Must be off for sites with NOC services" in editor.advice_text("psa_to_rmm_sync")
    label = editor.findChild(QLabel, "advice:psa_to_rmm_sync")
    assert isinstance(label, QLabel)
    assert label.isVisible()
    assert theme.color_name("warning_text") in label.styleSheet()  # the warning colour
    assert editor.save_button.isEnabled()  # a warning, not a problem
    assert editor.problems() == {}

    toggle(qtbot, page, "sync_communicator_tickets")
    toggle(qtbot, page, "contact_sync")
    toggle(qtbot, page, "ticket_sync")
    assert all(editor.advice_text(k) for k in keys)
    assert "Recommended off" in editor.advice_text("sync_communicator_tickets")
    assert "Recommended on" in editor.advice_text("contact_sync")
    assert "Recommended on" in editor.advice_text("ticket_sync")

    for key in keys:
        toggle(qtbot, page, key)
        assert editor.advice_text(key) == ""
    assert editor.save_button.isEnabled()  # communicator sync off is still unsaved
    toggle(qtbot, page, "sync_communicator_tickets")
    assert "Recommended off" in editor.advice_text("sync_communicator_tickets")
    assert editor.save_button.isEnabled() is False  # back to the saved values: nothing to save


def test_advice_is_saved_through_like_any_edit(qtbot: Any, page: PoliciesPage,
                                               sample_workspace: Workspace) -> None:
    open_policy(qtbot, page, PSA)
    toggle(qtbot, page, "contact_sync")
    assert page.editor.advice_text("contact_sync")
    click(qtbot, page.editor.save_button)
    wait_idle(qtbot)  # the save runs on the write queue, off the GUI thread
    saved = sample_workspace.policies.get(PSA)
    assert saved.settings["contact_sync"] is False
    assert page.editor.advice_text("contact_sync")  # still advised after the save


def test_other_types_have_no_advice_and_no_key_box(qtbot: Any, page: PoliciesPage) -> None:
    open_policy(qtbot, page, "Communicator On")
    assert page.editor.keys_box.isHidden()
    assert all(not page.editor.advice_text(k) for k in page.editor.settings())
    open_policy(qtbot, page, PSA)
    assert page.editor.keys_box.isVisible()
    open_policy(qtbot, page, "RMM with NOC")
    assert page.editor.keys_box.isHidden()


# --- the key box -----------------------------------------------------------------------------


def test_a_new_policy_is_saved_first(qtbot: Any, page: PoliciesPage,
                                     sample_workspace: Workspace) -> None:
    sample_workspace.vault.session.init(MASTER)
    page.add_policy("psa-integration")
    box = box_ready(qtbot, page)
    assert box.isVisible()
    assert box.status.text() == SAVE_FIRST
    assert not box.public_edit.isEnabled()
    assert not box.private_edit.isEnabled()
    assert not box.store_button.isEnabled()
    page.add_policy("communicator")
    assert box.isHidden()

    page.add_policy("psa-integration")
    qtbot.keyClicks(page.editor.name_edit, "PSA New")
    click(qtbot, page.editor.save_button)
    box_ready(qtbot, page)
    assert box.status.text() == NOT_STORED  # saved: the keys can go in now
    assert box.public_edit.isEnabled()


def test_without_a_vault_it_says_where_to_create_one(qtbot: Any, page: PoliciesPage) -> None:
    open_policy(qtbot, page, PSA)
    box = box_ready(qtbot, page)
    assert box.status.text() == NO_VAULT
    assert "Passwords" in box.status.text()
    assert not box.store_button.isEnabled()
    assert box.unlock_button.isHidden()


def test_locked_offers_unlock_through_the_vault_dialog_then_stores(
        qtbot: Any, page: PoliciesPage, sample_workspace: Workspace) -> None:
    vault = sample_workspace.vault
    vault.session.init(MASTER)
    vault.session.lock()
    open_policy(qtbot, page, PSA)
    box = box_ready(qtbot, page)
    assert "locked" in box.status.text()
    assert box.status.text().startswith(NOT_STORED)
    assert box.unlock_button.isVisible()
    assert not box.public_edit.isEnabled()

    click(qtbot, box.unlock_button)
    # the dialog opens once the OS keychain has been looked for (not done at start)
    qtbot.waitUntil(lambda: box.unlock_dialog is not None)
    dialog = box.unlock_dialog
    assert isinstance(dialog, UnlockDialog)
    qtbot.keyClicks(dialog.password, MASTER)
    click(qtbot, dialog.ok)
    qtbot.waitUntil(lambda: box.session.state == "unlocked", timeout=10_000)
    assert box.status.text() == NOT_STORED
    assert box.unlock_button.isHidden()
    assert box.public_edit.isEnabled()
    assert box.store_button.isEnabled()

    type_keys(qtbot, box, PUBLIC, PRIVATE)
    assert box.private_edit.echoMode() == QLineEdit.EchoMode.Password
    click(qtbot, box.store_button)
    policy_id = page.editor.policy().id
    assert vault.app_secrets.get(f"psa:{policy_id}:public_key") == PUBLIC
    assert vault.app_secrets.get(f"psa:{policy_id}:private_key") == PRIVATE
    assert box.status.text() == STORED
    assert box.private_edit.text() == ""  # not left in the widget
    settings = sample_workspace.policies.get(PSA).settings
    assert PRIVATE not in repr(settings)
    assert PUBLIC not in repr(settings)


def test_stored_keys_show_the_public_key_and_reveal_the_private_one_on_request(
        qtbot: Any, page: PoliciesPage, sample_workspace: Workspace) -> None:
    vault = sample_workspace.vault
    vault.session.init(MASTER)
    policy_id = sample_workspace.policies.get(PSA).id
    vault.app_secrets.set(f"psa:{policy_id}:public_key", PUBLIC)
    vault.app_secrets.set(f"psa:{policy_id}:private_key", PRIVATE)
    open_policy(qtbot, page, PSA)
    box = box_ready(qtbot, page)
    assert box.status.text() == STORED
    assert box.public_edit.text() == PUBLIC
    assert box.private_edit.text() == ""
    assert "Show" in box.private_edit.placeholderText()
    assert unnamed_widgets(box) == []  # a screen reader can name every input and button

    click(qtbot, box.show_button)
    assert box.private_edit.text() == PRIVATE
    assert box.private_edit.echoMode() == QLineEdit.EchoMode.Normal
    click(qtbot, box.show_button)
    assert box.private_edit.text() == ""
    assert box.private_edit.echoMode() == QLineEdit.EchoMode.Password

    vault.session.lock()  # the box forgets what it showed
    qtbot.waitUntil(lambda: box.session.state == "locked")
    assert box.public_edit.text() == ""
    assert not box.public_edit.isEnabled()
    assert box.status.text().startswith(STORED)


def test_validation_says_what_to_do_and_stores_nothing(
        qtbot: Any, page: PoliciesPage, sample_workspace: Workspace) -> None:
    vault = sample_workspace.vault
    vault.session.init(MASTER)
    open_policy(qtbot, page, PSA)
    box = box_ready(qtbot, page)

    type_keys(qtbot, box, PUBLIC, "")
    click(qtbot, box.store_button)
    assert box.error_text("private_key").startswith("Enter the private key too")
    assert box.error_text("public_key") == ""
    assert "Nothing was stored" in box.status.text()

    type_keys(qtbot, box, "", PRIVATE)
    click(qtbot, box.store_button)
    assert box.error_text("public_key").startswith("Enter the public key too")

    type_keys(qtbot, box, f" {PUBLIC}", f"{PRIVATE} ")
    click(qtbot, box.store_button)
    assert "Remove the spaces" in box.error_text("public_key")
    assert "Remove the spaces" in box.error_text("private_key")
    assert PRIVATE not in box.status.text() + box.error_text("private_key")
    assert vault.app_secrets.list() == []

    qtbot.keyClicks(box.public_edit, "x")  # an edit clears the old errors
    assert box.error_text("public_key") == ""


def test_leaving_with_typed_but_unstored_keys_asks_first(
        qtbot: Any, page: PoliciesPage, sample_workspace: Workspace,
        dialogs: ScriptedDialogs) -> None:
    sample_workspace.vault.session.init(MASTER)
    open_policy(qtbot, page, PSA)
    box = box_ready(qtbot, page)
    type_keys(qtbot, box, PUBLIC, PRIVATE)
    assert box.has_unstored_keys()
    other = next(r.name for r in page.model.rows() if r.name != PSA)

    dialogs.confirms.append(False)  # stay: the typed keys are kept
    row = [r.name for r in page.model.rows()].index(other)
    rect = page.table.visualRect(page.model.index(row, PolicyTableModel.COL_NAME))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.editor.policy() is not None
    assert page.editor.policy().name == PSA
    assert box.private_edit.text() == PRIVATE
    assert dialogs.confirms == []  # the question was asked (and answered)

    click(qtbot, box.store_button)  # stored: leaving no longer asks
    assert not box.has_unstored_keys()
    open_policy(qtbot, page, other)
    assert dialogs.confirms == []


def test_the_warning_replaces_the_fields_own_recommendation(qtbot: Any,
                                                            page: PoliciesPage) -> None:
    open_policy(qtbot, page, PSA)
    editor = page.editor
    help_label = editor._rows["sync_communicator_tickets"].help
    assert help_label is not None
    assert editor.advice_text("sync_communicator_tickets")  # on, against the advice
    assert help_label.isHidden()  # not "Recommended off." above the same warning
    toggle(qtbot, page, "sync_communicator_tickets")
    assert not editor.advice_text("sync_communicator_tickets")
    assert not help_label.isHidden()
