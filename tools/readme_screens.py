#!/usr/bin/env python3
"""Render every picture of README's "The desktop app" table, in one command:

    .venv/bin/python tools/readme_screens.py [OUT_FOLDER]      (default docs/screenshots)

It builds the README's workspace in a temporary folder — the sample workspace, with a vault and
three server passwords added on Northside Clinic — and serves the tests' fake ConnectWise Asio
(tests/asio/fake_asio.py) on 127.0.0.1, holding Contoso Dental with Main Office and Northside
Clinic, whose endpoints apply a few settings other than the ones we planned; it pulls once, so
the drift report has records. Then, in Xvfb with openbox (tools/screens.py), each page is
`preflight gui --screenshot FILE --page P [--site S] [--policy P] --size 1280x800` with
QT_QPA_PLATFORM=xcb, and the two dialogs (the delete confirmation and the ConnectWise dialog's
push plan) are opened over the main window by `python -m ui.readme_dialogs` and grabbed from
the screen. The screen is larger than the window so openbox's frame fits around it.

Needs Xvfb and openbox (Debian/Ubuntu: apt-get install xvfb openbox libxcb-cursor0).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

SIZE = "1280x800"  # the window; the screen leaves room for openbox's frame
SCREEN = "1400x900"
PASSWORD = "correct horse battery staple"
SITE = "Northside Clinic"
# (file name, --page, --site, --policy)
PAGES: list[tuple[str, str, str | None, str | None]] = [
    ("companies", "companies", SITE, None),
    ("policies", "policies", None, "RMM with NOC"),
    ("packages", "packages", None, None),
    ("assignments", "assignments", None, None),
    ("effective", "effective", None, None),
    ("notification-rules", "notification-rules", None, None),
    ("readiness", "readiness", None, None),
    ("golive", "golive", None, None),
    ("pending-changes", "pending-changes", None, None),
    ("client-profiles", "client-profiles", SITE, None),
    ("passwords", "passwords", SITE, None),
    ("site-readiness", "site-readiness", SITE, None),
    ("product-options", "product-options", SITE, None),
    ("basic-info", "basic-info", SITE, None),
    ("security-requests", "security-requests", SITE, None),
    ("network-info", "network-info", SITE, None),
    ("references", "references", SITE, None),
    ("asio-drift", "connectwise-drift", SITE, None),
    ("policies-psa", "policies", None, "PSA Ticket Sync"),
]
PLATFORM_SITES = ("Main Office", SITE)  # what the fake platform already holds


# --- the workspace and the platform ------------------------------------------------------------

def build_workspace(path: Path) -> None:
    from app.services.sample import populate_sample
    from app.services.workspace import Workspace

    ws = Workspace.open(path, create=True)
    try:
        populate_sample(ws)
        ws.vault.session.init(PASSWORD)
        for title, user in (("SRV-NORTHSIDE-05 local admin", "Administrator"),
                            ("Imaging server (ClearView)", "clearview-svc"),
                            ("Backup appliance", "backup-admin")):
            ws.vault.items.add(SITE, "server", title, username=user,
                               password=f"{user}-Example-2026!")
        ws.vault.session.lock()
    finally:
        ws.close()


def fake_platform(path: Path) -> Any:
    """The platform: Contoso Dental with two of its sites, Northside Clinic's endpoints applying
    what we planned except for a few settings (with the package and policy they came from)."""
    from app.services.workspace import Workspace
    from tests.asio.fake_asio import FakeAsio

    fake = FakeAsio()
    fake.seed_lookups()
    company = fake.add_company("Contoso Dental")
    ws = Workspace.open(path)
    try:
        for site_name in PLATFORM_SITES:
            remote_site = fake.add_site(company, site_name)
            if site_name != SITE:
                continue
            for number, device in enumerate(ws.devices.all(site_name)):
                endpoint = fake.add_endpoint(remote_site, device.name,
                                             "Server" if device.kind == "server" else "Desktop")
                planned = ws.effective.for_site(site_name, device.id).document["settings"]
                applied, mapping = drifted(planned, number)
                fake.effective[endpoint] = {"settings": applied, "mapping": mapping}
    finally:
        ws.close()
    return fake


def drifted(planned: dict[str, dict[str, Any]],
            number: int) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """What an endpoint applies: our plan, with a setting or two changed on some endpoints."""
    applied = {domain: {key: {"value": value} for key, value in values.items()}
               for domain, values in planned.items()}
    mapping: dict[str, dict[str, Any]] = {}

    def change(domain: str, key: str, value: Any, package: str, policy: str) -> None:
        applied.setdefault(domain, {})[key] = {"value": value}
        mapping.setdefault(domain, {})[key] = {"package": {"name": package},
                                               "policy": {"name": policy}}

    if number % 2 == 0:
        change("communicator", "news_feeds", False, "Platform Default", "Communicator Quiet")
    if number == 1:
        change("remote-access", "allow_require_consent", False, "Platform Default",
               "Remote Access Unattended")
    if number == 3:
        change("os-patching-desktop", "reboot_window", "02:00-03:00", "Clinic Hours",
               "Desktop Patching Nightly")
    return applied, mapping


def pull(path: Path, url: str) -> None:
    import httpx

    from app.asio.client import AsioClient
    from app.asio.service import AsioService
    from app.services.workspace import Workspace

    ws = Workspace.open(path)
    try:
        service = AsioService(ws.db)
        client = AsioClient(url, "cid", "secret", instance=service.instance_id(),
                            client=httpx.AsyncClient(timeout=30))
        report = asyncio.run(service.pull(client, [SITE], with_drift=True))
        print(f"readme_screens: pulled from the fake platform: {report}", flush=True)
    finally:
        ws.close()


# --- the driver --------------------------------------------------------------------------------

def render(out: Path) -> int:
    from tests.asio.fake_asio import serve
    from tools.screens import x_server

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="preflight-readme-") as tmp:
        path = Path(tmp) / "sample.preflight"
        build_workspace(path)
        fake = fake_platform(path)
        with serve(fake) as url, x_server(SCREEN) as display:
            pull(path, url)
            env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb",
                   "PYTHONPATH": str(ROOT), "XDG_CONFIG_HOME": tmp}
            env.pop("WAYLAND_DISPLAY", None)
            failed = 0
            for name, page, site, policy in PAGES:
                command = [sys.executable, "-m", "preflight", "--workspace", str(path), "gui",
                           "--screenshot", str(out / f"{name}.png"), "--page", page,
                           "--size", SIZE]
                command += ["--site", site] if site else []
                command += ["--policy", policy] if policy else []
                code = subprocess.call(command, env=env, cwd=ROOT)
                print(f"{name}.png" + (f": exit {code}" if code else ""), flush=True)
                failed += code != 0
            code = subprocess.call([sys.executable, "-m", "ui.readme_dialogs", str(path),
                                    str(out), url, PASSWORD], env=env, cwd=ROOT)
            failed += code != 0
            if fake.invalid:
                print("readme_screens: the fake platform refused:\n  "
                      + "\n  ".join(fake.invalid), file=sys.stderr)
                failed += 1
    return 1 if failed else 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, nargs="?", default=ROOT / "docs" / "screenshots",
                        help="folder to write the PNGs into (default: docs/screenshots)")
    return render(parser.parse_args(argv).out)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
