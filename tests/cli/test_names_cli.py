"""Names through the CLI (issue 14): counted after NFC; invisible characters and look-alike
duplicates refused with exit 1, one line naming the rule, the workspace unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.helpers import (
    assert_one_line,
    assert_unchanged,
    ok_json,
    run_cli,
    snapshot,
)
from tests.text_helpers import wide

REFUSED = "preflight: refused:"


def test_200_decomposed_characters_make_a_valid_company_name(fresh_ws: Path) -> None:
    made = ok_json(fresh_ws, "company", "create", "--name", "e\u0301" * 200)
    assert made["name"] == "\u00e9" * 200


@pytest.mark.parametrize(("args", "needles"), [
    (["policy", "create", "--type", "remote-access", "--name", "Remote Access Default\u200b"],
     ["invisible characters", "U+200B"]),
    (["package", "create", "--name", "\u200b", "--policy", "Remote Access Default"],
     ["invisible characters", "U+200B"]),
    (["company", "create", "--name", wide("CONTOSO DENTAL")], ["already exists"]),
])
def test_invisible_and_look_alike_names_are_refused(fresh_ws: Path, args: list[str],
                                                     needles: list[str]) -> None:
    before = snapshot(fresh_ws)
    result = run_cli(fresh_ws, *args)
    assert result.code == 1, str(result)
    assert_one_line(result, REFUSED, *needles)
    assert_unchanged(before, snapshot(fresh_ws))
