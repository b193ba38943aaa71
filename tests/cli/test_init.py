"""`preflight init [--sample]` end to end, and where --workspace may go on the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.cli.helpers import (
    assert_one_line,
    assert_unchanged,
    copy_workspace,
    ok_json,
    run_cli,
    run_raw,
    snapshot,
)

Template = tuple[Path, dict[str, Any]]


def test_init_sample_creates_the_sample_workspace(sample_template: Template) -> None:
    path, summary = sample_template
    assert summary == {
        "workspace": str(path), "created": True, "sample": True,
        "companies": 3, "sites": 8, "policies": 9, "packages": 4,
    }
    assert path.is_file()


def test_sample_contents_match_the_summary(shared_ws: Path) -> None:
    devices = ok_json(shared_ws, "device", "list")
    assert isinstance(devices, list)
    assert 35 <= len(devices) <= 45  # "about 40 devices"
    assert all({"id", "name", "site_id"} <= d.keys() for d in devices)
    assert any(d["override_count"] > 0 for d in devices), "the sample has device overrides"

    sites = ok_json(shared_ws, "site", "list")
    assert len(sites) == 8
    assert {s["id"] for s in sites} == {d["site_id"] for d in devices}
    assert any(s["package"] for s in sites), "the sample has assignments"
    assert any(s["package"] is None for s in sites), "and sites that use only the default"

    packages = ok_json(shared_ws, "package", "list")
    assert len(packages) == 4
    assert sum(p["is_default"] for p in packages) == 1

    types = {t["id"] for t in ok_json(shared_ws, "policy", "types")}
    policies = ok_json(shared_ws, "policy", "list")
    assert len(policies) == 9
    assert {p["type"] for p in policies} == types, "a policy of every type"


def test_init_sample_on_a_workspace_with_data_is_refused(tmp_path: Path,
                                                         sample_template: Template) -> None:
    path = copy_workspace(sample_template[0], tmp_path / "full.preflight")
    before = snapshot(path)
    result = run_cli(path, "init", "--sample", "--json")
    assert result.code == 1, str(result)
    assert_one_line(result, "preflight: refused:", str(path), "already has data", "--sample")
    assert_unchanged(before, snapshot(path))
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm"))) \
        == ["full.preflight"], "no backup or other file left behind"


def test_init_without_sample_creates_an_empty_workspace_then_reopens_it(tmp_path: Path) -> None:
    path = tmp_path / "empty.preflight"
    first = ok_json(path, "init")
    assert first == {"workspace": str(path), "created": True, "sample": False,
                     "companies": 0, "sites": 0, "policies": 0, "packages": 0}
    assert ok_json(path, "company", "list") == []
    before = snapshot(path)
    again = ok_json(path, "init")
    assert again["created"] is False
    assert_unchanged(before, snapshot(path))


def test_workspace_and_json_options_go_before_or_after_the_subcommand(shared_ws: Path) -> None:
    after = run_raw("site", "list", "--json", "--workspace", str(shared_ws))
    before = run_raw("--workspace", str(shared_ws), "--json", "site", "list")
    between = run_raw("--json", "site", "--workspace", str(shared_ws), "list")
    for result in (after, before, between):
        assert result.code == 0, str(result)
        assert result.stderr == "", str(result)
    assert after.json() == before.json() == between.json()
    assert len(after.json()) == 8


def test_without_json_the_output_is_a_table_for_people(shared_ws: Path) -> None:
    result = run_cli(shared_ws, "site", "list")
    assert result.code == 0, str(result)
    assert result.stdout.splitlines()[0].split()[:3] == ["COMPANY", "SITE", "PACKAGE"]
    assert "Contoso Dental" in result.stdout
    assert not result.stdout.lstrip().startswith(("[", "{"))
