"""`preflight asio status|pull|push` — the ConnectWise Asio connector (docs/asio.md).

The platform: `--region na|eu|au` or `--url URL` (default: the last one used, else NA); the
client id from `--client-id`, `PREFLIGHT_ASIO_CLIENT_ID` or the last one used; the secret from
`PREFLIGHT_ASIO_SECRET`, else stdin / a prompt — never from an argument. `push --dry-run`
prints the plan and sends only reads.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from app.cli.output import Output, table
from app.cli.secrets import client_secret
from app.domain.errors import RuleViolation

if TYPE_CHECKING:
    from app.asio.client import AsioClient
    from app.asio.service import AsioService

SECRET_ENV, CLIENT_ENV = "PREFLIGHT_ASIO_SECRET", "PREFLIGHT_ASIO_CLIENT_ID"
Factory = Callable[[str, str], argparse.ArgumentParser]


def register(asio: Factory) -> None:
    for name, help_text in (
            ("status", "check the credentials; what the workspace holds of the platform"),
            ("pull", "companies, sites, endpoints, ticketing lookups and drift from Asio"),
            ("push", "create companies, sites and contacts on Asio (a plan first)")):
        action = asio(name, help_text)
        where = action.add_mutually_exclusive_group()
        where.add_argument("--region", choices=("na", "eu", "au"), default=None,
                           help="the platform's region (default: the last used, else na)")
        where.add_argument("--url", default=None, help="the API's base URL instead of a region")
        action.add_argument("--client-id", default=None,
                            help=f"API client id (default: ${CLIENT_ENV} or the last one "
                                 f"used); the secret is read from ${SECRET_ENV} or stdin")
        action.add_argument("--dry-run", action="store_true",
                            help="read and report; change nothing here or there")
        action.add_argument("--site", nargs="+", action="extend", default=[], metavar="SITE",
                            help="only these sites (id or exact name) and their companies")


def _secret() -> str:
    return client_secret(SECRET_ENV, "Asio client secret: ")


def run(args: argparse.Namespace, out: Output) -> int:
    import asyncio

    from app.asio.client import AsioClient, resolve_base_url
    from app.asio.service import AsioService
    from app.services.workspace import Workspace

    ws = Workspace.open(getattr(args, "workspace", None))
    try:
        service = AsioService(ws.db)
        remembered_url, remembered_client = service.remembered()
        url = resolve_base_url(args.region, args.url) if (args.region or args.url) else (
            remembered_url or resolve_base_url(None, None))
        client_id = args.client_id or os.environ.get(CLIENT_ENV) or remembered_client
        if not client_id:
            raise RuleViolation(f"name the API client: --client-id ID (or ${CLIENT_ENV})")
        if args.site and args.action == "status":
            raise RuleViolation("--site applies to pull and push, not to status")
        secret = _secret()
        if not secret:
            raise RuleViolation(f"no client secret: set ${SECRET_ENV} or give it on stdin")
        scopes = _scopes(args.action, args.dry_run)
        instance = service.instance_id()

        accepted = False

        async def go() -> dict[str, Any]:
            nonlocal accepted
            client = AsioClient(url, client_id, secret, instance=instance, scopes=scopes)
            try:
                result: dict[str, Any] = await _ACTIONS[args.action](service, client, args)
                return result
            finally:
                accepted = client.tokens_fetched > 0
                await client.aclose()

        try:
            payload = asyncio.run(go())
        finally:
            if accepted and not args.dry_run:  # the platform took the credentials: remember
                service.remember(url, client_id)
        human = payload.pop("_human", "")
        out.data({"url": url, **payload}, human)
        return 0
    finally:
        ws.close()


def _scopes(action: str, dry_run: bool) -> tuple[str, ...]:
    from app.asio.client import READ_SCOPES, WRITE_SCOPES

    return READ_SCOPES + (WRITE_SCOPES if action == "push" and not dry_run else ())


async def _status(service: AsioService, client: AsioClient,
                  args: argparse.Namespace) -> dict[str, Any]:
    await client.check()
    state = service.status()
    linked = state["linked"]
    human = (f"connected to {client.base_url}\n"
             f"linked: {linked['company']} companies, {linked['site']} sites, "
             f"{linked['device']} devices ({state['devices_vanished']} vanished), "
             f"{linked['contact']} contacts\n"
             f"ticketing lookups: {state['lookups'] or 'none pulled yet'}\n"
             f"last pull: {state['last_pull'] or 'never'}; "
             f"last push: {state['last_push'] or 'never'}")
    return {"connected": True, **state, "_human": human}


async def _pull(service: AsioService, client: AsioClient,
                args: argparse.Namespace) -> dict[str, Any]:
    report = await service.pull(client, args.site, save=not args.dry_run)
    data = report.to_json()
    lines = [f"{'would link' if args.dry_run else 'linked'} {report.companies_linked} "
             f"companies and {report.sites_linked} sites; devices: {report.devices_added} "
             f"added, {report.devices_linked} linked, {report.devices_vanished} vanished",
             f"ticketing lookups: {report.lookups}",
             f"drift: {report.drift} setting(s) differ, {report.settings_in_agreement} agree"
             + (f" (not fetched for {report.drift_skipped} endpoints: one request each; "
                "name sites with --site)" if report.drift_skipped else "")]
    if report.companies_remote_only or report.sites_remote_only:
        lines.append(f"only on the platform: {len(report.companies_remote_only)} companies, "
                     f"{len(report.sites_remote_only)} sites")
    for a in report.ambiguous:
        Output.note(f"preflight: {a.entity} '{a.name}' matches {len(a.candidates)} objects on "
                    f"the platform ({', '.join(a.candidates)}): not linked (never guessed); "
                    "give the one that is ours a distinct name there or here, then pull again")
    return {"dry_run": bool(args.dry_run), **data, "_human": "\n".join(lines)}


async def _push(service: AsioService, client: AsioClient,
                args: argparse.Namespace) -> dict[str, Any]:
    plan = await service.plan(client, args.site)
    rows = [(i.entity, i.name, i.action, i.reason) for i in plan.items]
    minutes = plan.estimate_seconds() / 60
    summary = (f"{plan.count('create')} to create, {plan.count('update')} to update, "
               f"{plan.count('skip')} to skip"
               + (f"; about {minutes:.0f} min at the platform's ~500 requests / 5 min"
                  if minutes >= 1 else ""))
    if args.dry_run:
        return {"dry_run": True, "plan": [i.to_json() for i in plan.items],
                **{k: v for k, v in plan.to_json().items() if k != "items"},
                "_human": summary + "\n" + table(["entity", "name", "action", "why"], rows)}
    Output.note(f"preflight: {summary}")

    def progress(done: int, total: int, what: str) -> None:
        if total and not getattr(args, "json", False):
            Output.note(f"  [{done}/{total}] {what}")

    report = await service.push(client, args.site, plan=plan, progress=progress)
    data = report.to_json()
    data["plan"] = data["plan"]["items"]
    created = report.created
    return {"dry_run": False, **data,
            "_human": (f"created {created['company']} companies, {created['site']} sites, "
                       f"{created['contact']} contacts; updated {report.updated} sites; "
                       f"{plan.count('skip')} skipped ({report.requests} requests)")}


_ACTIONS: dict[str, Callable[..., Any]] = {"status": _status, "pull": _pull, "push": _push}
