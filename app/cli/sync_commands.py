"""`preflight sync` and `preflight server` (docs/architecture.md §10, issue 7).

sync: the server URL and client id come from `--server`/`--client-id`, else
`PREFLIGHT_SYNC_SERVER`/`PREFLIGHT_SYNC_CLIENT_ID`, else what the workspace remembers from its
last sync (`app.services.sync` decides, for the GUI too); the client secret from
`PREFLIGHT_SYNC_SECRET`, else stdin / a prompt — never from an argument. `--dry-run` prints the
plan and needs no server at all.

server: the reference backend, loaded only when asked for (app never imports server).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from collections.abc import Callable
from typing import Any

from app.cli.output import Output, table
from app.cli.secrets import client_secret
from app.domain.errors import PreflightError, RuleViolation
from app.services.sync_env import CLIENT_ENV, SECRET_ENV, SERVER_ENV

COMMANDS = ("sync", "server")


def register(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    sync = command("sync", "push the outbox, pull changes, report conflicts")
    sync.add_argument("--server", metavar="URL", default=None,
                      help=f"the backend (default: ${SERVER_ENV} or the last one used)")
    sync.add_argument("--client-id", default=None,
                      help=f"API client id (default: ${CLIENT_ENV} or the last one used); "
                           f"the secret is read from ${SECRET_ENV} or stdin")
    sync.add_argument("--dry-run", action="store_true",
                      help="print what a push would change on the server; send nothing")
    sync.add_argument("--conflicts", action="store_true",
                      help="list the open conflicts (both versions) and exit; sends nothing")
    sync.add_argument("--resolve", type=int, metavar="CONFLICT", default=None,
                      help="settle a conflict (with --take or --field) and exit; the next "
                           "sync sends the result")
    sync.add_argument("--take", choices=("mine", "theirs"), default=None,
                      help="with --resolve: this side for every disputed field "
                           "(edits nobody disputed are kept from both sides)")
    sync.add_argument("--field", action="append", default=[], metavar="FIELD=mine|theirs",
                      help="with --resolve: the side to keep for one conflicting field")
    server = command("server", "run the reference backend")
    server.add_argument("--host", default="127.0.0.1")
    server.add_argument("--port", type=int, default=8765)
    server.add_argument("--db", default="sqlite:///preflight-server.db",
                        help="SQLAlchemy URL: sqlite:///FILE (default) or postgresql+psycopg://…")
    server.add_argument("--client", action="append", default=[], metavar="ID:SECRET:PARTNER",
                        help="register an API client (prefer $PREFLIGHT_SERVER_CLIENTS)")
    server.add_argument("--token-ttl", type=float, default=3600.0, help=argparse.SUPPRESS)
    server.add_argument("--rate-limit", type=int, default=100_000, help=argparse.SUPPRESS)
    server.add_argument("--faults", action="store_true", help=argparse.SUPPRESS)
    server.add_argument("--workers", type=int, default=1, metavar="N",
                        help="worker processes (several need PostgreSQL to scale)")
    server.add_argument("--max-body", type=int, default=None, metavar="BYTES",
                        help="largest request body (default 48 MiB)")


def run(command: str, args: argparse.Namespace, out: Output) -> int:
    if command == "server":
        return _server(args, out)
    return _sync(args, out)


SERVER_MODULES = ("fastapi", "uvicorn")  # the [server] extra, imported only once serving


def server_extra_problem() -> str | None:
    """Why `preflight server` cannot run from this install (before anything is printed), or
    None: the [server] extra's modules load lazily, so a missing one would fail after
    'listening on …'."""
    missing = [name for name in SERVER_MODULES if importlib.util.find_spec(name) is None]
    if not missing:
        return None
    python = sys.executable or "python3"
    return (f"the server needs the [server] extra ({', '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} missing from {python}): install it with "
            f"'{python} -m pip install \"preflight[server]\"', or from a source checkout "
            f"'{python} -m pip install -e \".[server]\"'")


def _server(args: argparse.Namespace, out: Output) -> int:
    problem = server_extra_problem()
    if problem:
        out.note(f"preflight: error: {problem}")
        return 2
    try:
        module = importlib.import_module("server.__main__")
    except ModuleNotFoundError as exc:
        out.note(f"preflight: error: the server needs the [server] extra ({exc.name} is "
                 "missing): pip install 'preflight[server]'")
        return 2
    # The server prints where it listens itself, with the database password hidden.
    result: int = module.serve(args)
    return result


def _secret() -> str:
    return client_secret(SECRET_ENV, "client secret: ")


def _sync(args: argparse.Namespace, out: Output) -> int:
    import asyncio

    from app.services.workspace import Workspace
    from app.sync import SyncError

    ws = Workspace.open(getattr(args, "workspace", None))
    try:
        sync = ws.sync
        settings = sync.resolve(args.server, args.client_id)
        server = settings.server or None
        if args.conflicts or args.resolve is not None:
            return _conflicts(sync.engine(), args, out)
        if args.dry_run:
            plan = sync.engine().plan()
            rows = [(p.entity, p.id[:8], p.op, p.base_version, p.changes) for p in plan]
            out.data({"dry_run": True, "server": server, "plan": [p.to_json() for p in plan]},
                     f"{len(plan)} record(s) would be sent"
                     + (f" to {server}" if server else "") + "\n"
                     + table(["entity", "id", "op", "base", "changes"], rows))
            return 0
        if not settings.complete:
            raise RuleViolation("name the server and the client: --server URL --client-id ID "
                                f"(or ${SERVER_ENV} / ${CLIENT_ENV})")
        secret = _secret()
        if not secret:
            raise RuleViolation(f"no client secret: set ${SECRET_ENV} or give it on stdin")
        try:
            run = asyncio.run(sync.run(settings, secret))
        except SyncError as exc:
            raise _EnvironmentError(str(exc)) from None
        report, conflicts = run.report, run.open_conflicts
        payload = {**report.to_json(), "server": settings.server,
                   "open_conflicts": [c.to_json() for c in conflicts]}
        human = (f"pushed {report.pushed} (applied {report.applied}, merged {report.merged}, "
                 f"conflicts {report.conflicts}, rejected {report.rejected}); "
                 f"pulled {report.pulled}; count check {report.count_check}"
                 + ("; full resync" if report.full_resync else ""))
        if report.files_uploaded or report.files_downloaded:
            human += (f"\nfiles: uploaded {report.files_uploaded}, "
                      f"downloaded {report.files_downloaded}")
        if report.file_problems:  # kept and tried again at the next sync
            human += "\n" + "\n".join(f"file not synced (will retry): {text}"
                                       for text in report.file_problems)
        if conflicts:
            human += "\n" + table(["conflict", "entity", "id", "kind", "fields"], [
                (c.seq, c.entity, c.entity_id[:8], c.kind, list(c.fields)) for c in conflicts])
        out.data(payload, human)
        return 0
    finally:
        ws.close()


def _conflicts(engine: Any, args: argparse.Namespace, out: Output) -> int:
    if args.resolve is None:
        conflicts = engine.conflicts()
        out.data([c.to_json() for c in conflicts], table(
            ["conflict", "entity", "id", "kind", "fields", "mine", "theirs"],
            [(c.seq, c.entity, c.entity_id[:8], c.kind, list(c.fields),
              _side(c.mine, c.fields), _side(c.theirs, c.fields)) for c in conflicts]))
        return 0
    if (args.take is None) == (not args.field):
        raise RuleViolation("--resolve needs either --take mine|theirs or --field FIELD=SIDE")
    choice: Any = args.take
    if args.field:
        choice = {}
        for item in args.field:
            name, _, side = item.partition("=")
            if side not in ("mine", "theirs") or not name:
                raise RuleViolation(f"--field {item!r}: expected FIELD=mine or FIELD=theirs")
            choice[name] = side
    engine.resolve(args.resolve, choice)
    out.data({"resolved": args.resolve, "choice": choice},
             f"conflict {args.resolve} resolved ({choice}); the next sync sends it")
    return 0


def _side(payload: dict[str, Any] | None, fields: tuple[str, ...]) -> str:
    from app.sync.merge import flatten

    if payload is None:
        return "(deleted)"
    flat = flatten(payload)
    return ", ".join(f"{f}={flat.get(f)!r}" for f in fields if f in flat) or "-"


class _EnvironmentError(PreflightError):
    """The network or the server failed (exit 2)."""
