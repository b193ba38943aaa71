"""`preflight asio status|pull|push` as a user runs it (a subprocess) against the fake Asio on
127.0.0.1: the JSON shapes, the plan of `push --dry-run --json`, the secret from the
environment or stdin (never an argument), and exit codes 0 / 1 / 2 with one clear line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.profiles.profile import Profile
from app.services.workspace import Workspace
from tests.asio.fake_asio import FakeAsio, Fault, serve
from tests.cli.helpers import REPO_ROOT, TIMEOUT, Result, assert_unchanged, cli_env, snapshot


@pytest.fixture
def live(fake: FakeAsio) -> Iterator[str]:
    with serve(fake) as url:
        yield url


@pytest.fixture
def prepared(workspace_path: Path) -> Path:
    ws = Workspace.open(workspace_path, create=True)
    try:
        company = ws.companies.create("Contoso Dental")
        site = ws.sites.create(company.id, "Main Office")
        ws.profiles.add(site.id, Profile("Ann", "Lee", email="ann@contoso.example",
                                         mobile_country_code="GB",
                                         mobile_phone="07400123456"))
        ws.profiles.add(site.id, Profile("Омар", "Хайям", mobile_country_code="RU",
                                         mobile_phone="9123456789"))
    finally:
        ws.close()
    return workspace_path


def asio(workspace: Path, *args: str, secret: str | None = "secret",
         stdin: str = "") -> Result:
    env = cli_env()
    env.pop("PREFLIGHT_ASIO_SECRET", None)
    env.pop("PREFLIGHT_ASIO_CLIENT_ID", None)
    if secret is not None:
        env["PREFLIGHT_ASIO_SECRET"] = secret
    done = subprocess.run([sys.executable, "-m", "preflight", "asio", *args,
                           "--workspace", str(workspace)],
                          capture_output=True, text=True, timeout=TIMEOUT, env=env,
                          cwd=REPO_ROOT, input=stdin, check=False)
    result = Result(("asio", *args), done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stdout + done.stderr, str(result)
    return result


def ok(workspace: Path, *args: str, **kwargs: Any) -> Any:
    result = asio(workspace, *args, "--json", **kwargs)
    assert result.code == 0, str(result)
    return result.json()


def test_push_dry_run_json_prints_the_plan_and_changes_nothing(
        prepared: Path, fake: FakeAsio, live: str) -> None:
    before = snapshot(prepared)
    plan = ok(prepared, "push", "--url", live, "--client-id", "cid", "--dry-run")
    assert plan["dry_run"] is True
    assert plan["url"] == live
    assert [(i["entity"], i["action"]) for i in plan["plan"]] == [
        ("company", "create"), ("site", "create"), ("contact", "create"), ("contact", "create")]
    assert set(plan["plan"][0]) == {"entity", "id", "name", "action", "reason", "remote_id",
                                    "parent"}
    assert plan["summary"]["create"] == {"company": 1, "site": 1, "contact": 2}
    assert plan["writes"] == 4
    assert fake.writes == 0
    assert fake.invalid == []
    assert_unchanged(before, snapshot(prepared))


def test_push_then_status_then_push_again(prepared: Path, fake: FakeAsio, live: str) -> None:
    done = ok(prepared, "push", "--url", live, "--client-id", "cid")
    assert done["created"] == {"company": 1, "site": 1, "contact": 2}
    assert done["writes"] == 4
    names = sorted(c["firstName"] for c in fake.contacts.values())
    assert names == ["Ann", "Омар"]
    status = ok(prepared, "status")  # the URL and client id are remembered
    assert status["connected"] is True
    assert status["linked"] == {"company": 1, "site": 1, "device": 0, "contact": 2}
    assert status["last_push"]
    again = ok(prepared, "push")
    assert again["created"] == {"company": 0, "site": 0, "contact": 0}
    assert again["writes"] == 0
    assert fake.invalid == []


def test_pull_json(prepared: Path, fake: FakeAsio, live: str) -> None:
    company = fake.add_company("Contoso Dental")
    site = fake.add_site(company, "Main Office")
    fake.add_endpoint(site, "WS-01")
    fake.add_company("Elsewhere")
    result = ok(prepared, "pull", "--url", live, "--client-id", "cid", "--site",
                "Main Office")
    assert result["sites_linked"] == 1
    assert result["devices_added"] == 1
    assert result["lookups"]["sources"] == 3
    assert result["ambiguous"] == []
    human = asio(prepared, "pull")
    assert human.code == 0, str(human)
    assert "linked 1 companies and 1 sites; devices: 0 added, 1 linked" in human.stdout


def test_the_secret_can_come_on_stdin(prepared: Path, live: str) -> None:
    result = asio(prepared, "status", "--url", live, "--client-id", "cid", secret=None,
                  stdin="secret\n")
    assert result.code == 0, str(result)
    assert f"connected to {live}" in result.stdout


def test_refused_credentials_exit_2_with_one_clear_line(prepared: Path, live: str) -> None:
    before = snapshot(prepared)
    result = asio(prepared, "push", "--url", live, "--client-id", "cid", secret="wrong")
    assert result.code == 2
    assert result.stderr.strip() == (
        f"preflight: error: {live} refused client id 'cid' (401 to POST /v1/token): check the "
        "client id and secret, and the region (--region na|eu|au) the account lives in")
    assert_unchanged(before, snapshot(prepared))


@pytest.mark.parametrize(("args", "code", "message"), [
    (("--region", "us", "--client-id", "cid"), 2, "argument --region: invalid choice: 'us'"),
    (("--url", "ftp://x", "--client-id", "cid"), 2, "--url 'ftp://x' is not an http(s) URL"),
    (("--region", "eu", "--url", "https://x.test"), 2, "not allowed with argument"),
    ((), 1, "name the API client: --client-id ID"),
    (("--client-id", "cid", "--site", "Nowhere"), 1, "no site with id or name 'Nowhere'"),
])
def test_bad_arguments(prepared: Path, args: tuple[str, ...], code: int, message: str) -> None:
    result = asio(prepared, "push", *args)
    assert result.code == code, str(result)
    assert message in result.stderr


def test_no_secret_is_refused(prepared: Path, live: str) -> None:
    result = asio(prepared, "status", "--url", live, "--client-id", "cid", secret=None)
    assert result.code == 1
    assert "no client secret: set $PREFLIGHT_ASIO_SECRET or give it on stdin" in result.stderr


def test_a_5xx_mid_push_exits_2_keeps_what_was_confirmed_and_resumes(
        prepared: Path, fake: FakeAsio, live: str) -> None:
    fake.faults.append(Fault("POST", "/api/platform/v1/contact/contacts", 500, after=1,
                             times=99, retry_after="0"))
    result = asio(prepared, "push", "--url", live, "--client-id", "cid")
    assert result.code == 2
    assert ("preflight: error: POST /api/platform/v1/contact/contacts answered 500 after 6 "
            "tries") in result.stderr
    assert len(fake.contacts) == 1
    fake.faults.clear()
    again = ok(prepared, "push")
    assert again["created"] == {"company": 0, "site": 0, "contact": 1}
    assert len(fake.contacts) == 2
    assert len({json.dumps(c["externalIds"]) for c in fake.contacts.values()}) == 2
    assert fake.invalid == []


def test_the_secret_is_never_an_argument() -> None:
    result = subprocess.run([sys.executable, "-m", "preflight", "asio", "push", "--help"],
                            capture_output=True, text=True, timeout=TIMEOUT, env=cli_env(),
                            cwd=REPO_ROOT, check=False)
    assert result.returncode == 0
    assert "--secret" not in result.stdout
    assert "PREFLIGHT_ASIO_SECRET" in result.stdout
    assert os.environ.get("PREFLIGHT_ASIO_SECRET") is None


def test_a_push_killed_mid_run_and_run_again_creates_nothing_twice(
        prepared: Path, fake: FakeAsio, live: str) -> None:
    """The process is killed (SIGKILL) while the platform makes a contact; the platform
    finishes it anyway. The next run finds it by our id and creates only the other one."""
    import threading

    fake.gate = threading.Event()
    env = cli_env()
    env["PREFLIGHT_ASIO_SECRET"] = "secret"
    run = subprocess.Popen([sys.executable, "-m", "preflight", "asio", "push", "--url", live,
                            "--client-id", "cid", "--workspace", str(prepared)],
                           cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    try:
        assert fake.waiting.wait(TIMEOUT)
    finally:
        run.kill()
        run.wait(TIMEOUT)
    fake.gate.set()  # the platform completes the contact nobody is waiting for any more
    fake.gate = None
    deadline = time.monotonic() + TIMEOUT
    while len(fake.contacts) < 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(fake.contacts) == 1
    assert len(fake.companies) == len(fake.sites) == 1
    again = ok(prepared, "push", "--url", live, "--client-id", "cid")
    assert len(fake.companies) == len(fake.sites) == 1
    assert len(fake.contacts) == 2
    assert sorted(c["firstName"] for c in fake.contacts.values()) == ["Ann", "Омар"]
    assert again["created"]["contact"] == 1
    assert fake.invalid == []
