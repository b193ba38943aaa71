"""Add, edit and delete on the Passwords tab: the service calls behind the item form.

Editing starts from the item's secrets, revealed off the GUI thread; writes go in order through
the tab's `SerialQueue`. A refused save (a rule of the service) shows its message in the form,
which stays open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.vault.items import ItemView, Property
from ui.ops import present_to, refusal_text
from ui.vault.item_form import ItemDialog, ItemInput

if TYPE_CHECKING:
    from ui.vault.passwords_tab import PasswordsTab


def plain_input(vault: Any, item: ItemView) -> ItemInput:
    """The form's starting values: the item with its secrets revealed (off the GUI thread)."""
    props = tuple(Property(p.name, vault.items.reveal(item.id, f"property:{p.id}")
                           if p.secret else (p.value or ""), p.secret, p.id)
                  for p in item.properties)
    return ItemInput(item.kind, item.title, item.username,
                     vault.items.reveal(item.id, "password") if item.has_password else "",
                     item.url, vault.items.reveal(item.id, "notes") if item.has_notes else "",
                     item.application, props)


def open_edit(tab: PasswordsTab, item: ItemView) -> None:
    tab.session.call(lambda vault: plain_input(vault, item),
                     lambda start: tab.open_form(f"Edit {item.title}", item.kind, item.id,
                                                  start),
                     lambda exc: tab.report(exc, "Could not open the item"), owner=tab)


def save(tab: PasswordsTab, dialog: ItemDialog, item_id: str | None, value: ItemInput) -> None:
    site = tab.site
    if site is None:
        return
    fields: dict[str, Any] = {
        "username": value.username, "password": value.password, "url": value.url,
        "notes": value.notes, "application": value.application,
        "properties": list(value.properties)}

    def write() -> ItemView:
        vault = tab.session.service()
        if item_id is None:
            return vault.items.add(site.id, value.kind, value.title, **fields)
        return vault.items.update(item_id, kind=value.kind, title=value.title, **fields)

    def saved(item: ItemView) -> None:
        dialog.accept()
        verb = "Added" if item_id is None else "Saved"
        tab.notice.show_message(f"{verb} {item.title}.", "success")
        tab.reload_selecting(item.id)

    def failed(exc: BaseException) -> None:
        present_to(exc, dialog.show_error, text=refusal_text, on_bug=lambda: dialog.show_error(""))

    tab.ops.write(write, saved, on_failure=failed)


def delete(tab: PasswordsTab, item: ItemView) -> None:
    if not tab.dialogs.confirm("Delete Password", f"Delete “{item.title}” from the vault?",
                               "Delete", destructive=True,
                               details="Its password, notes and properties are deleted "
                                       "with it."):
        return

    def deleted(_view: ItemView) -> None:
        tab.notice.show_message(f"Deleted {item.title}.", "success")
        tab.refresh()

    tab.ops.write(lambda: tab.session.service().items.delete(item.id), deleted,
                  on_failure=lambda exc: tab.report(exc, "Could not delete the item"))


__all__ = ["delete", "open_edit", "plain_input", "save"]
