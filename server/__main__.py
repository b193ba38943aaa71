"""`python -m server` (and `preflight server`): run the reference backend with uvicorn.

API clients: `--client ID:SECRET:PARTNER` (repeatable) or `PREFLIGHT_SERVER_CLIENTS` holding
the same, comma-separated. Secrets on the command line are visible to other local users: use the
environment variable outside tests.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

CLIENTS_ENV = "PREFLIGHT_SERVER_CLIENTS"
WORKER_ENV = "PREFLIGHT_SERVER_WORKER_OPTIONS"  # from the parent to its worker processes


def parse_clients(specs: Sequence[str]) -> dict[str, tuple[str, str]]:
    clients: dict[str, tuple[str, str]] = {}
    for spec in specs:
        parts = spec.split(":")
        if len(parts) != 3 or not all(parts):
            raise ValueError(f"client {spec.split(':')[0]!r}: expected ID:SECRET:PARTNER")
        clients[parts[0]] = (parts[1], parts[2])
    return clients


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="preflight server",
                                     description="Run the Preflight reference backend.")
    add_arguments(parser)
    return parser


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--db", default="sqlite:///preflight-server.db",
                        help="SQLAlchemy URL (sqlite:///FILE or postgresql+psycopg://…)")
    parser.add_argument("--client", action="append", default=[], metavar="ID:SECRET:PARTNER",
                        help=f"register an API client (also ${CLIENTS_ENV}, comma-separated)")
    parser.add_argument("--token-ttl", type=float, default=3600.0, help="token lifetime, s")
    parser.add_argument("--rate-limit", type=int, default=100_000, help="calls per minute")
    parser.add_argument("--faults", action="store_true",
                        help="enable the /_test/faults switch (tests only)")
    parser.add_argument("--workers", type=int, default=1, metavar="N",
                        help="worker processes (several need PostgreSQL to scale; all state "
                             "is in the database)")
    parser.add_argument("--max-body", type=int, default=None, metavar="BYTES",
                        help="largest request body (default 48 MiB; attachments have theirs)")


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from server.app import create_app

    specs = list(args.client)
    env = os.environ.get(CLIENTS_ENV, "")
    specs += [s.strip() for s in env.split(",") if s.strip()]
    try:
        clients = parse_clients(specs)
    except ValueError as exc:
        sys.stderr.write(f"preflight server: {exc}\n")
        return 2
    workers = int(getattr(args, "workers", 1) or 1)
    if workers < 1:
        sys.stderr.write("preflight server: --workers must be 1 or more\n")
        return 2
    options: dict[str, Any] = {"token_ttl": args.token_ttl, "rate_limit": args.rate_limit,
                               "faults": args.faults}
    if getattr(args, "max_body", None):
        options["body_limit"] = args.max_body
    shown = redact(args.db)
    try:
        # The schema and the clients are set up here, once; workers only open the database.
        app = create_app(args.db, clients, **options)
    except SQLAlchemyError as exc:
        # The driver's own words (they never hold the password), not the statement.
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        sys.stderr.write(f"preflight server: cannot open the database {shown}: {reason}\n")
        return 2
    sys.stderr.write(f"preflight server: listening on http://{args.host}:{args.port} "
                     f"({shown}, {workers} worker{'s' if workers > 1 else ''})\n")
    common: dict[str, Any] = {"host": args.host, "port": args.port, "log_level": "warning",
                              "ws": "none", "lifespan": "off"}
    if workers == 1:
        uvicorn.run(app, **common)
        return 0
    app.state.store.close()
    # Each worker process builds its app from these (inherited, never printed).
    os.environ[WORKER_ENV] = json.dumps({"db": args.db, **options})
    uvicorn.run("server.__main__:worker_app", factory=True, workers=workers, **common)
    return 0


def worker_app() -> Any:
    """The app of one worker process (`--workers N`): the database the parent prepared."""
    from server.app import create_app

    options = json.loads(os.environ[WORKER_ENV])
    return create_app(options.pop("db"), {}, **options)


def redact(url: str) -> str:
    """The database URL as it may be shown: its password replaced by ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return re.sub(r"(//[^/@:]*:)[^/@]*@", r"\1***@", url)


def main(argv: Sequence[str] | None = None) -> int:
    return serve(build_parser().parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
