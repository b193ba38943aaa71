"""`preflight`: the command line of docs/architecture.md §10. Exit codes: 0 done, 1 refused by a
rule or by validation (nothing changed), 2 usage or environment error. Never a traceback on the
console."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from app import __version__
from app.cli.output import Output
from app.domain.errors import PreflightError, RuleViolation
from app.logs import setup_logging
from storage.paths import resolve_workspace_path

# The services (and SQLAlchemy under them) are imported by the commands that use them, and the
# command modules by the parser of every command, not here: `preflight gui` is parsed by a
# parser of that command alone (`_parse`) and paints its window before it pays for them
# (issue 4's and issue 18's cold start).

EXIT_OK, EXIT_RULE, EXIT_ENVIRONMENT = 0, 1, 2
log = logging.getLogger("preflight.cli")


@dataclass(frozen=True)
class GuiRequest:
    """What `preflight gui` asks of the desktop app. The program's entry (the `preflight`
    package, above ui/) passes the launcher in: the core never imports the GUI."""

    workspace: Path | None
    screenshot: Path | None
    page: str | None
    site: str | None
    policy: str | None
    size: str | None


GuiLauncher = Callable[[GuiRequest], int]


class _Parser(argparse.ArgumentParser):
    """argparse exits with 2 on usage errors, as the contract asks; keep its message short."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_ENVIRONMENT, f"preflight: usage error: {message}\n")


def _common() -> _Parser:
    # SUPPRESS keeps a sub-command from resetting an option given before it.
    common = _Parser(add_help=False)
    common.add_argument("--workspace", metavar="PATH", default=argparse.SUPPRESS,
                        help="workspace file (default: the one in your user data folder)")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="machine-readable output on stdout")
    return common


class _NotTheGuiRoute(Exception):
    """The arguments are not `preflight gui …` (or `preflight` alone) as the GUI's own parser
    reads them: the parser of every command reads them again, and says what is wrong."""


class _GuiRouteParser(_Parser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _NotTheGuiRoute(message)


Factory = Callable[[str, str], argparse.ArgumentParser]  # a command's (or an action's) parser


def _top_parser(parser_class: type[_Parser], *, full: bool
                ) -> tuple[argparse.ArgumentParser, Factory, _Parser]:
    """The `preflight` parser with its common options and its `gui` command; `full` adds
    --help and --version (the GUI route's parser leaves them to the full one). Returns the
    parser, the maker of a command, and the common options' parser."""
    common = _common()
    parser = parser_class(prog="preflight", parents=[common], add_help=full,
                          description="Prepare ConnectWise RMM client sites for go-live.")
    if full:
        parser.add_argument("--version", action="version", version=f"preflight {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=parser_class, metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help, parents=[common])

    _gui_arguments(command("gui", "launch the desktop app"))
    return parser, command, common


def _gui_arguments(gui: argparse.ArgumentParser) -> None:
    gui.add_argument("--screenshot", metavar="FILE", type=Path,
                     help="render a page offscreen to this PNG and exit")
    gui.add_argument("--size", default=None, metavar="WxH",
                     help="with --screenshot: the window's size, e.g. 1024x700 (default 1280x800)")
    gui.add_argument("--page", default=None,
                     help="page to show: companies, policies, packages, assignments, effective, "
                          "or a site tab such as client-profiles or passwords")
    gui.add_argument("--site", default=None, metavar="SITE",
                     help="with --screenshot: the site (id or exact name) whose tab to show")
    gui.add_argument("--policy", default=None, metavar="POLICY",
                     help="with --screenshot: the policy (id or exact name) to open in the "
                          "policies page's editor (implies --page policies)")


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command (and of `--help`)."""
    from app.cli import (
        asio_commands,
        golive_commands,
        helpdesk_setup_commands,
        profiles_commands,
        rule_commands,
        sync_commands,
        vault_commands,
    )

    parser, command, common = _top_parser(_Parser, full=True)

    def actions(p: argparse.ArgumentParser) -> Factory:
        inner = p.add_subparsers(dest="action", parser_class=_Parser, metavar="ACTION",
                                 required=True)
        return lambda name, help: inner.add_parser(name, help=help, parents=[common])

    init = command("init", "create a workspace")
    init.add_argument("--sample", action="store_true", help="fill it with the sample data")
    _company_actions(actions(command("company", "companies (clients)")))
    _policy_actions(actions(command("policy", "policies")))
    rule_commands.add_actions(actions(command(
        "rule", "partner-level notification rules (escalation paths, contacts, time slots)")))
    _package_actions(actions(command("package", "packages of policies")))
    _site_actions(actions(command("site", "sites, package assignment, effective settings")))
    _device_actions(actions(command("device", "devices and their overrides")))
    profiles_commands.register(actions(command(
        "profiles", "Help Desk client profiles: validate, import, export")))
    helpdesk_setup_commands.register(actions(command(
        "helpdesk", "a site's Help Desk setup as JSON: sections, show, set")))
    vault_commands.add_actions(actions(command(
        "vault", "the encrypted password vault: init, unlock, add, list, reveal")))
    sync_commands.register(command)
    golive_commands.register(actions(command(
        "golive", "the go-live journey of each site: show, set, list, ics")))
    asio_commands.register(actions(command(
        "asio", "ConnectWise Asio: status, pull from and push to the platform")))
    return parser


def _company_actions(company: Factory) -> None:
    company("list", "list companies")
    company("create", "create a company").add_argument("--name", required=True)
    rename = company("rename", "rename a company")
    rename.add_argument("company")
    rename.add_argument("--name", required=True)
    company("delete", "delete a company with its sites and everything of them"
            ).add_argument("company")


def _policy_actions(policy: Factory) -> None:
    policy("types", "list the policy types and their settings")
    policy("list", "list policies").add_argument("--type", default=None)
    policy("show", "show one policy").add_argument("policy")
    create = policy("create", "create a policy")
    create.add_argument("--type", required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--set", action="append", metavar="KEY=VALUE", default=[])
    setp = policy("set", "change settings of a policy")
    setp.add_argument("policy")
    setp.add_argument("assignments", nargs="*", metavar="KEY=VALUE")
    policy("delete", "delete a policy that no package uses").add_argument("policy")


def _package_actions(package: Factory) -> None:
    package("list", "list packages")
    package("show", "show one package").add_argument("package")
    create = package("create", "create a package")
    create.add_argument("--name", required=True)
    create.add_argument("--policy", action="append", metavar="POLICY", default=[])
    create.add_argument("--default", action="store_true", help="make it the default package")
    for name, help in (("add", "add a policy (replaces the one of its type)"),
                       ("remove", "remove a policy")):
        p = package(name, help)
        p.add_argument("package")
        p.add_argument("policy")
    default = package("default", "make a package the partner-wide default")
    default.add_argument("package")
    default.add_argument("--off", action="store_true", help="stop it being the default")
    delete = package("delete", "delete a package (refused when sites' settings would change)")
    delete.add_argument("package")
    delete.add_argument("--force", action="store_true",
                        help="delete the default package or one assigned to sites anyway; "
                             "its sites lose its settings")


def _site_actions(site: Factory) -> None:
    site("list", "list sites").add_argument("--company", default=None)
    create = site("create", "create a site")
    create.add_argument("--company", required=True)
    create.add_argument("--name", required=True)
    rename = site("rename", "rename a site")
    rename.add_argument("site")
    rename.add_argument("--name", required=True)
    site("delete", "delete a site with its devices, profiles, Help Desk setup and vault items"
         ).add_argument("site")
    assign = site("assign", "assign a package to sites (replacing theirs)")
    assign.add_argument("package")
    assign.add_argument("sites", nargs="+", metavar="SITE")
    site("unassign", "remove the package from sites").add_argument(
        "sites", nargs="+", metavar="SITE")
    effective = site("effective", "effective settings with their sources")
    effective.add_argument("site")
    effective.add_argument("--device", default=None)
    from app.cli import helpdesk_commands

    helpdesk_commands.add_arguments(site("readiness", "go-live checklist of a site, or of all"))


def _device_actions(device: Factory) -> None:
    device("list", "list devices").add_argument("--site", default=None)
    override = device("override", "set device overrides")
    override.add_argument("device")
    override.add_argument("assignments", nargs="+", metavar="TYPE.KEY=VALUE")
    clear = device("clear", "remove a device override")
    clear.add_argument("device")
    clear.add_argument("setting", metavar="TYPE.KEY")


def _init(args: argparse.Namespace, out: Output) -> int:
    from app.services.workspace import Workspace

    path = resolve_workspace_path(getattr(args, "workspace", None))
    existed = path.exists() and path.stat().st_size > 0
    ws = Workspace.open(path, create=True)
    try:
        if args.sample:
            if not ws.is_empty():
                raise RuleViolation(
                    f"workspace {path} already has data; --sample fills only an empty one")
            from app.services.sample import populate_sample

            populate_sample(ws)
        summary = {
            "workspace": str(ws.path), "created": not existed, "sample": bool(args.sample),
            "companies": len(ws.companies.all()), "sites": len(ws.sites.all()),
            "policies": len(ws.policies.all()), "packages": len(ws.packages.all()),
        }
    finally:
        ws.close()
    verb = "created" if not existed else "opened"
    out.data(summary, f"{verb} workspace {summary['workspace']}"
             + (" with the sample data" if args.sample else ""))
    return EXIT_OK


def _gui(args: argparse.Namespace, gui: GuiLauncher | None) -> int:
    if gui is None:  # `python -m app.cli`: the command line without the desktop app
        raise PreflightError("the desktop app starts from the `preflight` command "
                             "(or `python -m preflight`), not from `python -m app.cli`")
    workspace = getattr(args, "workspace", None)
    return gui(GuiRequest(
        workspace=resolve_workspace_path(workspace) if workspace is not None else None,
        screenshot=getattr(args, "screenshot", None),
        page=getattr(args, "page", None),
        site=getattr(args, "site", None),
        policy=getattr(args, "policy", None),
        size=getattr(args, "size", None),
    ))


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The arguments, read by the parser of `preflight gui` alone when they are that command
    (the desktop's start does not load the other commands' modules), else by the parser of
    every command; usage errors and --help come from the latter, as for any command."""
    try:
        parser, _command, _common_options = _top_parser(_GuiRouteParser, full=False)
        return parser.parse_args(argv)
    except _NotTheGuiRoute:
        return build_parser().parse_args(argv)


def run(argv: Sequence[str] | None = None, gui: GuiLauncher | None = None) -> int:
    """Run one command; `gui` starts the desktop app for `preflight` alone and `preflight gui`."""
    args = _parse(argv)
    out = Output(bool(getattr(args, "json", False)))
    command = args.command or "gui"
    try:
        if command == "gui":
            return _gui(args, gui)
        from app.cli import (
            asio_commands,
            golive_commands,
            helpdesk_setup_commands,
            profiles_commands,
            rule_commands,
            sync_commands,
            vault_commands,
        )

        if command == "init":
            return _init(args, out)
        if command == "profiles":  # opens the workspace itself (validate may need none)
            return profiles_commands.run(args, out)
        if command == "asio":  # opens the workspace itself
            return asio_commands.run(args, out)
        if command in sync_commands.COMMANDS:  # sync opens the workspace; server needs none
            return sync_commands.run(command, args, out)
        from app.cli import commands
        from app.services.workspace import Workspace

        # each sub-command (company, policy, package, site, device) is a function there
        handlers: dict[str, Callable[[Workspace, argparse.Namespace, Output], int]] = {
            "vault": vault_commands.vault, "helpdesk": helpdesk_setup_commands.run,
            "golive": golive_commands.golive, "rule": rule_commands.rule}
        handler = handlers.get(command) or getattr(commands, command)
        ws = Workspace.open(getattr(args, "workspace", None))
        try:
            return handler(ws, args, out)
        finally:
            ws.close()
    except RuleViolation as exc:
        out.note(f"preflight: refused: {exc}")
        return EXIT_RULE
    except PreflightError as exc:
        out.note(f"preflight: error: {exc}")
        return EXIT_ENVIRONMENT
    except KeyboardInterrupt:
        out.note("preflight: interrupted")
        return 130
    except OSError as exc:
        out.note(f"preflight: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
        return EXIT_ENVIRONMENT


def main(argv: Sequence[str] | None = None, gui: GuiLauncher | None = None) -> int:
    log_file = setup_logging()
    try:
        return run(argv, gui)
    except SystemExit as exc:
        return int(exc.code or 0) if isinstance(exc.code, int) else EXIT_ENVIRONMENT
    except Exception as exc:  # a bug: log it whole, tell the user briefly where to look
        log.exception("unhandled error")
        sys.stderr.write(
            f"preflight: internal error ({type(exc).__name__}: {exc}); "
            f"details are in {log_file}\n"
        )
        return EXIT_ENVIRONMENT


if __name__ == "__main__":
    sys.exit(main())
