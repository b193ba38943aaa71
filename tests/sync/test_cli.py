"""`preflight sync` and `preflight server` as a user runs them (subprocesses)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.cli.helpers import REPO_ROOT, cli_env
from tests.server.live import CLIENTS, LiveServer, free_port


def preflight(*args: str, env: dict[str, str] | None = None,
              stdin: str = "") -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "preflight", *args], capture_output=True,
                          text=True, timeout=120, env={**cli_env(), **(env or {})},
                          cwd=REPO_ROOT, input=stdin, check=False)
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    return done


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """SQLite only: these drive the CLI, which is the same on either database (each test is
    20-60 s of subprocesses); the engine-level sync tests run on both."""
    return f"sqlite:///{tmp_path / 'server.db'}"


def test_sync_dry_run_then_sync_then_another_workspace(server: LiveServer,
                                                       tmp_path: Path) -> None:
    a, b = str(tmp_path / "a.preflight"), str(tmp_path / "b.preflight")
    assert preflight("init", "--sample", "--workspace", a).returncode == 0
    plan = preflight("sync", "--dry-run", "--json", "--workspace", a)
    assert plan.returncode == 0, plan.stderr
    items = json.loads(plan.stdout)["plan"]
    assert {i["entity"] for i in items} >= {"company", "site", "policy", "package"}
    assert server.hits("/v1/batch") == 0

    # The secret from stdin; server and client id remembered for the next sync.
    done = preflight("sync", "--server", server.url, "--client-id", "alpha", "--json",
                     "--workspace", a, stdin="alpha-secret\n")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["applied"] == len(items)
    assert report["count_check"] == "ok"
    again = preflight("sync", "--workspace", a,
                      env={"PREFLIGHT_SYNC_SECRET": CLIENTS["alpha"][0]})
    assert again.returncode == 0, again.stderr
    assert "pushed 0" in again.stdout

    assert preflight("init", "--workspace", b).returncode == 0
    pulled = preflight("sync", "--server", server.url, "--client-id", "alpha", "--json",
                       "--workspace", b, env={"PREFLIGHT_SYNC_SECRET": "alpha-secret"})
    assert json.loads(pulled.stdout)["pulled"] > 0
    listed = preflight("company", "list", "--json", "--workspace", b)
    assert len(json.loads(listed.stdout)) == 3


def test_sync_errors_exit_2_and_keep_the_outbox(server: LiveServer, tmp_path: Path) -> None:
    ws = str(tmp_path / "w.preflight")
    preflight("init", "--sample", "--workspace", ws)
    wrong = preflight("sync", "--server", server.url, "--client-id", "alpha",
                      "--workspace", ws, env={"PREFLIGHT_SYNC_SECRET": "nope"})
    assert wrong.returncode == 2
    assert "refused client id 'alpha'" in wrong.stderr
    missing = preflight("sync", "--workspace", ws, env={"PREFLIGHT_SYNC_SECRET": "x"})
    assert missing.returncode == 1
    assert "--server" in missing.stderr
    down = preflight("sync", "--server", f"http://127.0.0.1:{free_port()}", "--client-id",
                     "alpha", "--workspace", ws, env={"PREFLIGHT_SYNC_SECRET": "x"})
    assert down.returncode == 2
    assert "cannot reach the server" in down.stderr
    plan = preflight("sync", "--dry-run", "--json", "--workspace", ws)
    assert json.loads(plan.stdout)["plan"]  # still all there


def test_preflight_server_serves(tmp_path: Path) -> None:
    port = free_port()
    env = {**cli_env(), "PREFLIGHT_SERVER_CLIENTS": "cli:cli-secret:partner-x"}
    process = subprocess.Popen(
        [sys.executable, "-m", "preflight", "server", "--port", str(port), "--db",
         f"sqlite:///{tmp_path / 'srv.db'}"], env=env, cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                token = httpx.post(f"http://127.0.0.1:{port}/v1/token", json={
                    "grant_type": "client_credentials", "client_id": "cli",
                    "client_secret": "cli-secret"}, timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "preflight server did not start"
                time.sleep(0.1)
        assert token.status_code == 200
    finally:
        process.terminate()
        process.wait(10)
    assert os.path.exists(tmp_path / "srv.db")
    for name in ("srv.db", "srv.db-wal", "srv.db-shm"):  # like a workspace: the owner's only
        if (tmp_path / name).exists():
            assert (tmp_path / name).stat().st_mode & 0o777 == 0o600, name


def test_preflight_server_prints_no_database_password(tmp_path: Path) -> None:
    """The URL of a database it cannot reach: the password appears nowhere, and exit 2."""
    url = "postgresql+psycopg://admin:S3cret-Passw0rd@127.0.0.1:1/preflight"
    done = preflight("server", "--port", str(free_port()), "--db", url,
                     env={"PREFLIGHT_SERVER_CLIENTS": "cli:cli-secret:partner-x"})
    assert done.returncode == 2
    assert "S3cret-Passw0rd" not in done.stdout + done.stderr
    assert "cli-secret" not in done.stdout + done.stderr
    assert "postgresql+psycopg://admin:***@127.0.0.1:1/preflight" in done.stderr
    assert "cannot open the database" in done.stderr


def test_conflicts_are_listed_and_resolved_from_the_command_line(server: LiveServer,
                                                                 tmp_path: Path) -> None:
    a, b = str(tmp_path / "a.preflight"), str(tmp_path / "b.preflight")
    env = {"PREFLIGHT_SYNC_SECRET": "alpha-secret", "PREFLIGHT_SYNC_SERVER": server.url,
           "PREFLIGHT_SYNC_CLIENT_ID": "alpha"}
    for ws in (a, b):
        assert preflight("init", "--workspace", ws).returncode == 0
    preflight("company", "create", "--name", "Acme", "--workspace", a)
    for ws in (a, b):
        assert preflight("sync", "--workspace", ws, env=env).returncode == 0
    preflight("company", "rename", "Acme", "--name", "Acme North", "--workspace", a)
    preflight("company", "rename", "Acme", "--name", "Acme South", "--workspace", b)
    preflight("sync", "--workspace", a, env=env)
    synced = json.loads(preflight("sync", "--json", "--workspace", b, env=env).stdout)
    assert synced["conflicts"] == 1
    [listed] = json.loads(preflight("sync", "--conflicts", "--json", "--workspace", b).stdout)
    assert listed["fields"] == ["name"]
    assert (listed["mine"]["name"], listed["theirs"]["name"]) == ("Acme South", "Acme North")
    human = preflight("sync", "--conflicts", "--workspace", b).stdout
    assert "name='Acme South'" in human
    bad = preflight("sync", "--resolve", str(listed["id"]), "--workspace", b)
    assert bad.returncode == 1
    done = preflight("sync", "--resolve", str(listed["id"]), "--field", "name=theirs",
                     "--workspace", b)
    assert done.returncode == 0, done.stderr
    assert preflight("sync", "--workspace", b, env=env).returncode == 0
    names = json.loads(preflight("company", "list", "--json", "--workspace", b).stdout)
    assert [c["name"] for c in names] == ["Acme North"]
    assert json.loads(preflight("sync", "--conflicts", "--json", "--workspace", b).stdout) == []


def test_sync_summary_counts_the_files_it_moved(server: LiveServer, tmp_path: Path) -> None:
    from app.domain.helpdesk import Reference
    from app.services.workspace import Workspace

    a, b = tmp_path / "a.preflight", tmp_path / "b.preflight"
    assert preflight("init", "--sample", "--workspace", str(a)).returncode == 0
    ws = Workspace.open(a)
    try:
        plan = tmp_path / "plan.pdf"
        plan.write_bytes(b"%PDF-1.4 floor plan")
        sha, size, name = ws.attachments.attach(plan)
        ws.helpdesk.save("Main Office", "references", (Reference("Plan", "", name, sha, size),))
    finally:
        ws.close()
    secret = {"PREFLIGHT_SYNC_SECRET": CLIENTS["alpha"][0]}
    pushed = preflight("sync", "--server", server.url, "--client-id", "alpha",
                       "--workspace", str(a), env=secret)
    assert pushed.returncode == 0, pushed.stderr
    # The plan, and the file on the sample's Northside Clinic reference.
    assert "files: uploaded 2, downloaded 0" in pushed.stdout
    assert preflight("init", "--workspace", str(b)).returncode == 0
    pulled = preflight("sync", "--server", server.url, "--client-id", "alpha",
                       "--workspace", str(b), env=secret)
    assert pulled.returncode == 0, pulled.stderr
    assert "files: uploaded 0, downloaded 2" in pulled.stdout
    assert "file not synced" not in pulled.stdout


def test_take_mine_keeps_the_other_admins_undisputed_edit(server: LiveServer,
                                                          tmp_path: Path) -> None:
    """Two admins edit one patching policy: A one classification, B another, both the install
    window. B keeps mine: the window is B's, and both classification edits survive."""
    a, b = str(tmp_path / "a.preflight"), str(tmp_path / "b.preflight")
    env = {"PREFLIGHT_SYNC_SECRET": "alpha-secret", "PREFLIGHT_SYNC_SERVER": server.url,
           "PREFLIGHT_SYNC_CLIENT_ID": "alpha"}
    for ws in (a, b):
        assert preflight("init", "--workspace", ws).returncode == 0
    created = preflight("policy", "create", "--type", "os-patching-server", "--name", "Patch",
                        "--set", "automation=true", "--set", "install_window=22:00-04:00",
                        "--workspace", a)
    assert created.returncode == 0, created.stderr
    for ws in (a, b):
        assert preflight("sync", "--workspace", ws, env=env).returncode == 0
    for ws, edits in ((a, ["classification.driver=do-not-deploy", "install_window=21:00-03:00"]),
                      (b, ["classification.tools=deploy-all", "install_window=23:00-05:00"])):
        done = preflight("policy", "set", "Patch", *edits, "--workspace", ws)
        assert done.returncode == 0, done.stderr
    assert preflight("sync", "--workspace", a, env=env).returncode == 0
    synced = json.loads(preflight("sync", "--json", "--workspace", b, env=env).stdout)
    assert synced["conflicts"] == 1
    [listed] = json.loads(preflight("sync", "--conflicts", "--json", "--workspace", b).stdout)
    assert listed["fields"] == ["settings.install_window"]
    done = preflight("sync", "--resolve", str(listed["id"]), "--take", "mine", "--workspace", b)
    assert done.returncode == 0, done.stderr
    for ws in (b, a):
        assert preflight("sync", "--workspace", ws, env=env).returncode == 0
    for ws in (a, b):
        shown = json.loads(preflight("policy", "show", "Patch", "--json", "--workspace", ws
                                     ).stdout)
        settings = shown["settings"]
        assert settings["install_window"] == "23:00-05:00", ws  # B's, the one disputed
        assert settings["classification.driver"] == "do-not-deploy", ws  # A's, undisputed
        assert settings["classification.tools"] == "deploy-all", ws  # B's, undisputed
