"""Readiness across companies."""

from __future__ import annotations

from app.domain.helpdesk import overview, readiness

from .builders import ready_site


def test_overview_sorts_and_splits_ready_from_blocked() -> None:
    ready = readiness(ready_site(site_id="s1", site_name="Main", company_name="Beta"))
    no_agent = readiness(ready_site(site_id="s2", site_name="Annex", company_name="Beta",
                                    server_count=0, desktop_count=0))
    nothing = readiness(ready_site(site_id="s3", site_name="HQ", company_name="alpha",
                                   profiles=(), server_count=0, desktop_count=0))
    view = overview([ready, no_agent, nothing])
    assert [c.site_id for c in view.sites] == ["s3", "s2", "s1"]
    assert [c.site_id for c in view.ready] == ["s1"]
    assert [c.site_id for c in view.blocked] == ["s3", "s2"]
    blocked_by = view.blocked_by()
    # Without profiles the approvers are unknown too: security-requests fails with them.
    assert list(blocked_by) == ["agent-deployed", "client-profiles", "security-requests"]
    assert blocked_by["agent-deployed"] == ("s3", "s2")
    assert blocked_by["client-profiles"] == ("s3",)


def test_overview_json() -> None:
    view = overview([readiness(ready_site(profiles=()))])
    data = view.to_dict()
    assert data["ready"] == 0
    assert data["blocked"] == 1
    assert data["sites"][0]["blockers"] == ["client-profiles", "security-requests"]
    assert data["blocked_by"] == {"client-profiles": ["s1"], "security-requests": ["s1"]}


def test_empty_overview() -> None:
    view = overview([])
    assert view.ready == ()
    assert view.blocked == ()
    assert view.blocked_by() == {}
