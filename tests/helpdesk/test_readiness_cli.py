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
    assert data["ready"] == 0
    assert data["blocked"] == 8
    assert "client-profiles" in data["blocked_by"]
    result = run_cli(sample_path, "site", "readiness")
    assert "0 of 8 site(s) ready for go-live" in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (("site", "readiness", "No Such Site"), "no site with id or name"),
    (("site", "readiness", "Main Office", "--report", "out.pdf"), "name it .html"),
    (("site", "readiness", "--report", "out.html"), "--report needs a SITE"),
])
def test_refusals_exit_1(sample_path: Path, args: tuple[str, ...], message: str) -> None:
    result = run_cli(sample_path, *args)
    assert result.code == 1, str(result)
    assert message in result.stderr
