"""The commands of docs/architecture.md §10: each takes parsed arguments and an open workspace."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from app.cli import helpdesk_commands
from app.cli.output import Output, table
from app.domain.errors import RuleViolation
from app.domain.policy_types import policy_type
from app.services.effective import shown_value
from app.services.packages import PackageInUse
from app.services.views import AssignmentResult, PackageSaved, PackageView, PolicyView, SiteView
from app.services.workspace import Workspace


def site_json(site: SiteView) -> dict[str, Any]:
    return {
        "id": site.id, "name": site.name, "company": site.company, "company_id": site.company_id,
        "package": site.package, "package_id": site.package_id, "devices": site.device_count,
    }


def policy_json(policy: PolicyView) -> dict[str, Any]:
    return {
        "id": policy.id, "name": policy.name, "type": policy.type,
        "type_label": policy.type_label, "category": policy.category,
        "settings": policy.settings, "packages": list(policy.packages),
    }


def package_json(package: PackageView) -> dict[str, Any]:
    return {
        "id": package.id, "name": package.name, "is_default": package.is_default,
        "policies": [asdict(p) for p in package.policies], "sites": package.site_count,
    }


def _replaced_note(out: Output, saved: PackageSaved) -> None:
    for old in saved.replaced:
        out.note(f"replaced '{old.name}' ({old.type_label}): a package holds one policy per type")
    if saved.previous_default is not None:
        out.note(f"'{saved.previous_default.name}' is no longer the default package")


def saved_json(saved: PackageSaved) -> dict[str, Any]:
    body = package_json(saved.package)
    body["replaced"] = [asdict(p) for p in saved.replaced]
    body["previous_default"] = (
        {"id": saved.previous_default.id, "name": saved.previous_default.name}
        if saved.previous_default else None
    )
    return body


# --- company ----------------------------------------------------------------------------------

def company(ws: Workspace, args: argparse.Namespace, out: Output) -> int:
    if args.action == "list":
        rows = ws.companies.all()
        out.data([asdict(c) for c in rows],
                 table(["NAME", "SITES", "ID"], [(c.name, c.site_count, c.id) for c in rows]))
    elif args.action == "create":
        created = ws.companies.create(args.name)
        out.data(asdict(created), f"created company '{created.name}' ({created.id})")
    elif args.action == "rename":
        renamed = ws.companies.rename(args.company, args.name)
        out.data(asdict(renamed), f"renamed company to '{renamed.name}'")
    elif args.action == "delete":
        gone = ws.companies.delete(args.company)
        out.data(gone.to_dict(), f"deleted {gone.title} with {gone.summary()}")
    return 0


# --- policy -----------------------------------------------------------------------------------

def policy(ws: Workspace, args: argparse.Namespace, out: Output) -> int:
    action = args.action
    if action == "types":
        types = ws.policies.types()
        payload = []
        for t in types:
            spec = policy_type(t.id)
            payload.append({
                "id": t.id, "name": t.label, "category": t.category,
                "description": t.description,
                "settings": [
                    {"key": s.key, "label": s.label, "kind": s.kind.value, "default": s.default,
                     "choices": list(s.choices) or None, "minimum": s.minimum,
                     "maximum": s.maximum}
                    for s in spec.settings
                ],
            })
        out.data(payload, table(["TYPE", "NAME", "CATEGORY"],
                                [(t.id, t.label, t.category) for t in types]))
    elif action == "list":
        rows = ws.policies.all(args.type)
        out.data([policy_json(p) for p in rows],
                 table(["NAME", "TYPE", "PACKAGES", "ID"],
                       [(p.name, p.type, list(p.packages), p.id) for p in rows]))
    elif action == "show":
        shown = ws.policies.get(args.policy)
        out.data(policy_json(shown), _policy_text(shown, _rule_names(ws)))
    elif action == "create":
        created = ws.policies.create(args.type, args.name, texts=args.set or [])
        out.data(policy_json(created), f"created policy '{created.name}' ({created.id})")
    elif action == "set":
        if not args.assignments:
            raise RuleViolation("give at least one KEY=VALUE to set")
        updated = ws.policies.update(args.policy, texts=args.assignments)
        out.data(policy_json(updated), _policy_text(updated, _rule_names(ws)))
    elif action == "delete":
        gone = ws.policies.delete(args.policy)
        out.data(policy_json(gone), f"deleted policy '{gone.name}'")
    return 0


def _rule_names(ws: Workspace) -> dict[str, str]:
    return dict(ws.rules.choices())


def _policy_text(p: PolicyView, rules: dict[str, str]) -> str:
    spec = policy_type(p.type)
    lines = [f"{p.name}  ({p.type_label}, {p.category})", f"id: {p.id}",
             f"packages: {', '.join(p.packages) or '-'}", ""]
    lines.append(table(["SETTING", "VALUE", "LABEL"],
                       [(s.key, shown_value(p.type, s.key, p.settings.get(s.key), rules),
                         s.label) for s in spec.settings]))
    return "\n".join(lines)


# --- package ----------------------------------------------------------------------------------

def package(ws: Workspace, args: argparse.Namespace, out: Output) -> int:
    action = args.action
    if action == "list":
        rows = ws.packages.all()
        out.data([package_json(p) for p in rows],
                 table(["NAME", "DEFAULT", "POLICIES", "SITES", "ID"],
                       [(p.name, p.is_default, len(p.policies), p.site_count, p.id)
                        for p in rows]))
    elif action == "show":
        shown = ws.packages.get(args.package)
        text = "\n".join([
            f"{shown.name}{'  (default package)' if shown.is_default else ''}",
            f"id: {shown.id}", f"assigned to {shown.site_count} site(s)", "",
            table(["POLICY", "TYPE", "ID"], [(p.name, p.type, p.id) for p in shown.policies]),
        ])
        out.data(package_json(shown), text)
    elif action == "create":
        saved = ws.packages.save(args.name, args.policy or [], is_default=args.default)
        _replaced_note(out, saved)
        out.data(saved_json(saved),
                 f"created package '{saved.package.name}' ({saved.package.id})")
    elif action == "add":
        saved = ws.packages.add_policy(args.package, args.policy)
        _replaced_note(out, saved)
        out.data(saved_json(saved), f"package '{saved.package.name}' now has "
                 f"{len(saved.package.policies)} policies")
    elif action == "remove":
        saved = ws.packages.remove_policy(args.package, args.policy)
        out.data(saved_json(saved), f"package '{saved.package.name}' now has "
                 f"{len(saved.package.policies)} policies")
    elif action == "default":
        saved = ws.packages.set_default(args.package, not args.off)
        _replaced_note(out, saved)
        state = "is no longer" if args.off else "is now"
        out.data(saved_json(saved), f"'{saved.package.name}' {state} the default package")
    elif action == "delete":
        try:
            deleted = ws.packages.delete(args.package, force=args.force)
        except PackageInUse as exc:
            raise RuleViolation(f"{exc}, or give --force to delete it anyway") from None
        impact = deleted.impact
        lines = [f"deleted package '{impact.name}'"]
        if impact.assigned:
            lines.append("removed it from: " + ", ".join(s.label for s in impact.assigned))
        if impact.is_default:
            lines.append("no default package now; these sites no longer inherit it: "
                         + (", ".join(s.label for s in impact.inheriting) or "none"))
        body = package_json(deleted.view)
        body.update({k: v for k, v in impact.to_dict().items() if k.endswith("_sites")})
        out.data(body, "\n".join(lines))
    return 0


# --- site -------------------------------------------------------------------------------------

def assignment_json(result: AssignmentResult) -> dict[str, Any]:
    return {
        "package": result.package,
        "changed": len(result.changed),
        "unchanged": len(result.changes) - len(result.changed),
        "sites": [
            {"id": c.site_id, "name": c.site, "company": c.company,
             "previous_package": c.previous_package, "package": c.new_package,
             "changed": c.changed}
            for c in result.changes
        ],
        "replaced": [
            {"id": c.site_id, "name": c.site, "previous_package": c.previous_package}
            for c in result.replaced
        ],
    }


def _assignment_text(result: AssignmentResult) -> str:
    verb = f"assigned '{result.package}' to" if result.package else "removed the package from"
    lines = [f"{verb} {len(result.changed)} site(s)"]
    for c in result.changes:
        if not c.changed:
            lines.append(f"  {c.company} / {c.site}: unchanged")
        elif c.previous_package:
            lines.append(f"  {c.company} / {c.site}: replaced '{c.previous_package}'")
        else:
            lines.append(f"  {c.company} / {c.site}: had no package")
    return "\n".join(lines)


def site(ws: Workspace, args: argparse.Namespace, out: Output) -> int:
    action = args.action
    if action == "list":
        rows = ws.sites.all(args.company)
        out.data([site_json(s) for s in rows],
                 table(["COMPANY", "SITE", "PACKAGE", "DEVICES", "ID"],
                       [(s.company, s.name, s.package, s.device_count, s.id) for s in rows]))
    elif action == "create":
        created = ws.sites.create(args.company, args.name)
        out.data(site_json(created), f"created site '{created.name}' ({created.id})")
    elif action == "rename":
        renamed = ws.sites.rename(args.site, args.name)
        out.data(site_json(renamed), f"renamed site to '{renamed.name}'")
    elif action == "delete":
        gone = ws.sites.delete(args.site)
        out.data(gone.to_dict(), f"deleted {gone.title} with {gone.summary()}")
    elif action == "assign":
        result = ws.sites.assign(args.package, args.sites)
        out.data(assignment_json(result), _assignment_text(result))
    elif action == "unassign":
        result = ws.sites.unassign(args.sites)
        out.data(assignment_json(result), _assignment_text(result))
    elif action == "effective":
        view = ws.effective.for_site(args.site, args.device)
        target = f"{view.site.company} / {view.site.name}"
        if view.device:
            target += f" / {view.device.name}"
        text = [f"effective settings of {target}", ""]
        text.append(table(
            ["TYPE", "SETTING", "VALUE", "FROM", "PACKAGE", "POLICY"],
            [(r.type, r.key, r.value, r.level, r.package, r.policy) for r in view.rows],
        ))
        out.data(view.document, "\n".join(text))
    elif action == "readiness":
        return helpdesk_commands.readiness(ws, args, out)
    return 0


# --- device -----------------------------------------------------------------------------------

def device(ws: Workspace, args: argparse.Namespace, out: Output) -> int:
    if args.action == "list":
        rows = ws.devices.all(args.site)
        out.data([asdict(d) for d in rows],
                 table(["NAME", "KIND", "OS", "OVERRIDES", "ID"],
                       [(d.name, d.kind, d.os, d.override_count, d.id) for d in rows]))
    elif args.action == "override":
        items: list[tuple[str, str, str]] = []
        for item in args.assignments:
            target, sep, raw = item.partition("=")
            type_id, dot, key = target.partition(".")
            if not sep or not dot:
                raise RuleViolation(f"'{item}' must be TYPE.KEY=VALUE, e.g. "
                                    "remote-access.notification_balloon=on")
            items.append((type_id, key, raw))
        saved = ws.devices.set_overrides(args.device, items, from_text=True)
        results = [{"id": o.id, "type": o.type_id, "key": o.key, "value": o.value}
                   for o in saved]
        out.data(results, "\n".join(f"{r['type']}.{r['key']} = {r['value']}" for r in results))
    elif args.action == "clear":
        type_id, _, key = args.setting.partition(".")
        ws.devices.clear_override(args.device, type_id, key)
        out.data({"device": args.device, "cleared": args.setting}, f"cleared {args.setting}")
    return 0
