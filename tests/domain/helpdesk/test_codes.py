"""Every finding code is documented, emitted somewhere, and has a test."""

from __future__ import annotations

import re
from pathlib import Path

from app.domain.helpdesk import CHECKS, CODES, PLACES
from app.domain.helpdesk.links import SECTION_PLACES, site_link

PACKAGE = Path(__file__).parents[3] / "app" / "domain" / "helpdesk"
TESTS = Path(__file__).parent


def _quoted_codes(folder: Path, skip: str) -> set[str]:
    text = "".join(p.read_text(encoding="utf-8") for p in folder.glob("*.py") if p.name != skip)
    return set(re.findall(r'"([a-z]+\.[a-z_]+)"', text)) & set(CODES)


def test_every_code_is_emitted_by_the_package() -> None:
    assert _quoted_codes(PACKAGE, "codes.py") == set(CODES)


def test_every_code_has_a_test() -> None:
    assert set(CODES) - _quoted_codes(TESTS, "test_codes.py") == set()


def test_links_and_places() -> None:
    assert set(SECTION_PLACES.values()) <= set(PLACES)
    assert site_link("s1", "devices") == "site:s1/devices"
    assert len(CHECKS) == 13
    assert site_link("s1", "policy/p9") == "site:s1/policy/p9"
