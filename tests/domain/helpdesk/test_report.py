"""The printable go-live report."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser

from app.domain.helpdesk import (
    EmailService,
    Reference,
    Section,
    SiteSetup,
    readiness,
    render_golive_report,
)

from .builders import PROFILES, basic, network, ready_site, setup

NOW = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.tags.append(tag)
        if tag not in {"meta", "br"}:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, tag
        assert self.stack[-1] == tag, (tag, self.stack)
        self.stack.pop()


def render(site_setup: SiteSetup | None = None, **kw: object) -> str:
    site = ready_site(**kw) if site_setup is None else ready_site(setup=site_setup, **kw)
    return render_golive_report(readiness(site), site.setup, profiles=PROFILES,
                                generated_at=NOW, partner_name="Best MSP")


def test_ready_report_has_the_checklist_and_every_section() -> None:
    html = render()
    assert html.startswith("<!DOCTYPE html>")
    assert "Ready for go-live" in html
    assert "Best MSP" in html
    assert "2026-11-23 17:00 UTC" in html
    for heading in ("Checklist", "Product options", "Basic information",
                    "Security-related requests", "Notification rules", "Network information",
                    "References"):
        assert f"<h2>{heading}</h2>" in html
    assert html.count('class="status pass"') == 13
    assert "1. Ann Lee, 2. Bo Chen" in html  # approvers in call order
    assert "Fri 17:00" not in html  # full coverage: no gaps listed
    assert "@page" in html
    assert "<script" not in html


def test_report_is_well_formed() -> None:
    parser = _Tags()
    parser.feed(render())
    parser.close()
    assert parser.stack == []
    assert "table" in parser.tags


def test_blocked_report_says_what_to_fix() -> None:
    html = render(profiles=())
    assert "Not ready for go-live: 2 items to fix." in html
    assert 'class="status fail">FAIL' in html
    assert "Help Desk → Client Profiles" in html


def test_every_value_is_escaped() -> None:
    evil = "<script>alert(1)</script>"
    html = render(setup(basic=basic(greeting_name=evil, site_message=evil),
                        references=(Reference(evil, evil, "a<b>.pdf"),)))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_vault_ids_never_appear() -> None:
    html = render(setup(network=network(email=Section((EmailService(
        "Microsoft 365", "https://admin.microsoft.com", "vault-secret-id-123"),)))),
        vault_item_ids=frozenset({"vault-secret-id-123", "vault-2"}))
    assert "vault-secret-id-123" not in html
    assert "login in the vault" in html


def test_empty_setup_report() -> None:
    html = render(SiteSetup())
    assert html.count("Not filled in.") == 2
    assert html.count("Missing.") == 8
    assert re.search(r"Not ready for go-live: \d+ items", html)


def test_desktop_agent_fee_in_the_report() -> None:
    assert "$100 per occurrence" in render(setup(basic=basic(desktop_agent_opt_in=True)))
