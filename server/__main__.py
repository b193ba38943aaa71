"""`python -m server` (and `preflight server`): run the reference backend with uvicorn.

API clients: `--client ID:SECRET:PARTNER` (repeatable) or `PREFLIGHT_SERVER_CLIENTS` holding
the same, comma-separated. Secrets on the command line are visible to other local users: use the
environment variable outside tests.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

CLIENTS_ENV = "PREFLIGHT_SERVER_CLIENTS"


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
    shown = redact(args.db)
    try:
        app = create_app(args.db, clients, token_ttl=args.token_ttl,
                         rate_limit=args.rate_limit, faults=args.faults)
    except SQLAlchemyError as exc:
        # The driver's own words (they never hold the password), not the statement.
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        sys.stderr.write(f"preflight server: cannot open the database {shown}: {reason}\n")
        return 2
    sys.stderr.write(f"preflight server: listening on http://{args.host}:{args.port} "
                     f"({shown})\n")
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", ws="none",
                lifespan="off")
    return 0


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
