"""`preflight site readiness [SITE] [--report OUT.html]` run as a user runs it."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.helpdesk import CHECKS
from app.services.sample import populate_sample
from app.services.workspace import Workspace
from tests.cli.helpers import ok_json, run_cli


@pytest.fixture
def sample_path(tmp_path: Path) -> Path:
    path = tmp_path / "sample.preflight"
    ws = Workspace.open(path, create=True)
    try:
        populate_sample(ws)
    finally:
        ws.close()
    return path


def test_site_readiness_json(sample_path: Path) -> None:
    data = ok_json(sample_path, "site", "readiness", "Main Office")
    assert data["site"]["name"] == "Main Office"
    assert data["company"]["name"] == "Contoso Dental"
    assert data["ready"] is False
    assert [i["id"] for i in data["items"]] == list(CHECKS)
    by_id = {i["id"]: i for i in data["items"]}
    assert by_id["agent-deployed"]["status"] == "pass"
    assert by_id["client-profiles"]["status"] == "fail"
    assert by_id["client-profiles"]["link"] == (
        f"site:{data['site']['id']}/helpdesk/client-profiles")
    assert all(i["why"] for i in data["items"])


def test_site_readiness_text_and_report(sample_path: Path, tmp_path: Path) -> None:
    report = tmp_path / "golive.html"
    result = run_cli(sample_path, "site", "readiness", "Main Office", "--report", str(report))
    assert result.code == 0, str(result)
    assert "Contoso Dental / Main Office: not ready" in result.stdout
    assert "FAIL" in result.stdout
    assert "wrote the go-live report" in result.stderr
    html = report.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "Main Office" in html


def test_overview_of_every_site(sample_path: Path) -> None:
    data = ok_json(sample_path, "site", "readiness")
    assert data["ready"] == 1  # Northside Clinic: the sample shows a ready site too
    assert data["blocked"] == 7
    assert "client-profiles" in data["blocked_by"]
    assert "psa-connection" in data["blocked_by"]  # seed 002's must, at Main Office
    result = run_cli(sample_path, "site", "readiness")
    assert "1 of 8 site(s) ready for go-live" in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (("site", "readiness", "No Such Site"), "no site with id or name"),
    (("site", "readiness", "Main Office", "--report", "out.pdf"), "name it .html"),
    (("site", "readiness", "--report", "out.html"), "--report needs a SITE"),
])
def test_refusals_exit_1(sample_path: Path, args: tuple[str, ...], message: str) -> None:
    result = run_cli(sample_path, *args)
    assert result.code == 1, str(result)
    assert message in result.stderr


def test_readiness_json_fails_what_the_seeds_say_must_be(sample_path: Path) -> None:
    """The tester's case: PSA-to-RMM sync turned on for a NOC site is a fail, not a warning;
    links lead to the policy that changes it (never the read-only effective settings)."""
    policy = ok_json(sample_path, "policy", "set", "PSA Ticket Sync", "psa_to_rmm_sync=on")
    data = ok_json(sample_path, "site", "readiness", "Main Office")
    assert data["ready"] is False
    assert [i["id"] for i in data["items"]] == list(CHECKS)
    for item in data["items"]:
        assert {"id", "status", "why", "link"} <= set(item)
        assert not item["link"].endswith("/effective"), item["id"]
    by_id = {i["id"]: i for i in data["items"]}
    site_id = data["site"]["id"]
    sync = by_id["psa-integration"]
    assert sync["status"] == "fail"
    assert sync["why"].startswith("Policy 'PSA Ticket Sync': Turn PSA-to-RMM Sync off")
    assert sync["link"] == f"site:{site_id}/policy/{policy['id']}"
    assert "psa.psa_to_rmm_sync_with_noc" in [f["code"] for f in sync["findings"]]
    # the sample's PSA policy has no API key pair in the vault yet
    connection = by_id["psa-connection"]
    assert connection["status"] == "fail"
    assert [f["code"] for f in connection["findings"]] == ["psa.api_keys_missing"]
    assert connection["link"] == sync["link"]
    rmm = ok_json(sample_path, "policy", "show", "RMM with NOC")
    assert by_id["rmm-enabled"]["link"] == f"site:{site_id}/policy/{rmm['id']}"
    # a site no PSA / RMM policy of its own reaches: the default package's policies
    lab = {i["id"]: i for i in ok_json(sample_path, "site", "readiness", "Lab")["items"]}
    standard = ok_json(sample_path, "policy", "show", "RMM Standard")
    assert lab["rmm-enabled"]["link"].endswith(f"/policy/{standard['id']}")
    assert lab["psa-integration"]["link"].endswith("/assignments")


def test_readiness_text_names_the_remote_access_advice(sample_path: Path) -> None:
    ok_json(sample_path, "policy", "set", "Remote Access Default", "auto_update_agent=off")
    data = ok_json(sample_path, "site", "readiness", "Main Office")
    item = {i["id"]: i for i in data["items"]}["remote-access"]
    assert item["status"] == "warning"
    assert item["why"].startswith("Policy 'Remote Access Default': Keep Automatically Update "
                                  "Agent Version on, always")
    result = run_cli(sample_path, "site", "readiness", "Main Office")
    assert result.code == 0, str(result)
    assert "Automatically Update Agent Version" in result.stdout
