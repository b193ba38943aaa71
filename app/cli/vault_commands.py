"""`preflight vault init|unlock|add|list|reveal` (docs/architecture.md §10, issue 6).

Secrets never come from arguments (they would sit in the shell history and in `ps`): the
master password comes from `PREFLIGHT_VAULT_PASSWORD`, a key remembered in a trusted OS keyring,
or a prompt (getpass, only when stdin is a terminal), or stdin for `init`/`unlock`; the secret of
`add` from stdin or a prompt. `list` never prints a secret; `reveal` prints exactly one.

A CLI process ends after each command, so `unlock` checks the password and, with `--remember`,
keeps the key in the OS keyring for later commands (or says plainly that no secure keyring
exists here); every other command unlocks for itself and locks when it exits.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from app.cli.output import Output, table
from app.domain.errors import PreflightError, RuleViolation
from app.vault.items import KINDS, ItemView

if TYPE_CHECKING:  # the services load when a command runs, not when the parser is built
    from app.services.workspace import Workspace

PASSWORD_ENV = "PREFLIGHT_VAULT_PASSWORD"
Factory = Callable[[str, str], argparse.ArgumentParser]


class SecretInputError(PreflightError):
    """No way to read a password or secret here (CLI exit 2)."""


def add_actions(vault: Factory) -> None:
    vault("init", "create the workspace's vault (master password from "
                  f"{PASSWORD_ENV}, a prompt or stdin)")
    unlock = vault("unlock", "check the master password; --remember keeps the key in the OS "
                             "keyring")
    unlock.add_argument("--remember", action="store_true",
                        help="remember the key on this device (trusted OS keyrings only)")
    add = vault("add", "add an item to a site's vault (the secret is read from stdin)")
    add.add_argument("site")
    add.add_argument("--kind", required=True, choices=list(KINDS))
    add.add_argument("--title", required=True)
    add.add_argument("--username", default="")
    add.add_argument("--url", default="", help="URL or host (not secret)")
    lst = vault("list", "list a site's vault items (never their secrets)")
    lst.add_argument("site")
    lst.add_argument("--kind", choices=list(KINDS), default=None)
    lst.add_argument("--search", default=None)
    reveal = vault("reveal", "print one secret of an item")
    reveal.add_argument("item", help="item id (or exact title)")
    reveal.add_argument("--field", default="password",
                        help="password (default), notes or property:NAME")


# --- reading secrets ---------------------------------------------------------------------------

def _strip_newline(text: str) -> str:
    if text.endswith("\r\n"):
        return text[:-2]
    return text[:-1] if text.endswith("\n") else text


def _prompt(label: str) -> str:
    return getpass.getpass(label)


def _master_from_stdin() -> str:
    """The master password: the environment, a prompt at a terminal, else stdin's first line."""
    env = os.environ.get(PASSWORD_ENV)
    if env:
        return env
    if sys.stdin.isatty():
        return _prompt("Master password: ")
    line = sys.stdin.readline()
    if not line.strip():
        raise SecretInputError(f"no master password: set {PASSWORD_ENV}, pipe it on stdin or run "
                               "in a terminal")
    return _strip_newline(line)


def _new_master() -> str:
    env = os.environ.get(PASSWORD_ENV)
    if env:
        return env
    if sys.stdin.isatty():
        first = _prompt("New master password: ")
        if _prompt("Repeat it: ") != first:
            raise RuleViolation("the two passwords differ; nothing was created")
        return first
    return _master_from_stdin()


def _unlock_for(ws: Workspace) -> None:
    """Unlock for one command: remembered key, then the environment, then a prompt."""
    vault = ws.vault
    if vault.session.is_unlocked or vault.session.unlock_from_keychain():
        return
    env = os.environ.get(PASSWORD_ENV)
    if env:
        vault.session.unlock(env)
    elif sys.stdin.isatty():
        vault.session.unlock(_prompt("Master password: "))
    else:
        raise SecretInputError(
            f"the vault is locked: set {PASSWORD_ENV}, run `preflight vault unlock --remember` "
            "where a secure keyring exists, or run the command in a terminal to be asked")


def _secret_from_stdin() -> str:
    if sys.stdin.isatty():
        secret = _prompt("Secret: ")
        if _prompt("Repeat it: ") != secret:
            raise RuleViolation("the two entries differ; nothing was added")
    else:
        secret = _strip_newline(sys.stdin.read())
    if not secret:
        raise SecretInputError("no secret on stdin: pipe it in (e.g. from a password manager) "
                               "or run in a terminal to be asked; secrets are never arguments")
    return secret


# --- the command -------------------------------------------------------------------------------

def item_json(item: ItemView) -> dict[str, Any]:
    return item.to_dict()


def vault(ws: Workspace, args: argparse.Namespace, out: Output) -> int:
    action = args.action
    session, vault_items = ws.vault.session, ws.vault.items
    if action == "init":
        password = _new_master()
        session.init(password)
        params = session.kdf_params()
        out.data({"created": True, "workspace": str(ws.path), "kdf": params.cost()},
                 f"created the vault of {ws.path} ({params.cost()}); keep the master password "
                 "safe: it cannot be recovered")
    elif action == "unlock":
        if not session.exists:
            raise RuleViolation("this workspace has no vault yet; create one with "
                                "`preflight vault init`")
        result = session.unlock(_master_from_stdin(), remember=args.remember)
        payload = {"unlocked": True, "remembered": result.remembered,
                   "keyring": result.keyring_message, "upgraded_kdf": result.upgraded}
        text = "the master password is correct"
        if args.remember and result.remembered:
            text += "; the vault key is remembered on this device (OS keyring)"
        elif args.remember:
            out.note(f"preflight: {result.keyring_message}")
        if result.upgraded:
            text += f"; key derivation upgraded to {session.kdf_params().cost()}"
        out.data(payload, text)
    elif action == "add":
        if not session.exists:
            raise RuleViolation("this workspace has no vault yet; create one with "
                                "`preflight vault init`")
        ws.sites.get(args.site)  # an unknown site is refused before any prompt
        _unlock_for(ws)
        secret = _secret_from_stdin()
        item = vault_items.add(args.site, args.kind, args.title, username=args.username,
                               url=args.url, password=secret)
        out.data(item_json(item), f"added '{item.title}' ({item.kind_label}) ({item.id})")
    elif action == "list":
        items = vault_items.list(args.site, args.kind, args.search)
        out.data([item_json(i) for i in items],
                 table(["KIND", "TITLE", "USERNAME", "URL", "SECRETS", "ID"],
                       [(i.kind, i.title, i.username, i.url,
                         ", ".join(i.secret_fields()) or "-", i.id) for i in items]))
    elif action == "reveal":
        if not session.exists:
            raise RuleViolation("this workspace has no vault yet; create one with "
                                "`preflight vault init`")
        item = vault_items.get(args.item)
        _unlock_for(ws)
        value = vault_items.reveal(item.id, args.field)
        out.data({"id": item.id, "title": item.title, "field": args.field, "value": value},
                 value)
    return 0
