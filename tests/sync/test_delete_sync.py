"""A site's delete travels as tombstones of everything of it, and its undo as upserts of all
of it again (issue 14), through the real server to another workspace."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.services.sample import populate_sample
from tests.server.live import LiveServer, sync
from tests.services.cascade_helpers import live_counts
from tests.sync.helpers import open_ws, outbox, snapshot

SITE = "Northside Clinic"


def test_deletes_and_their_undo_travel_to_the_server(server: LiveServer, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFLIGHT_VAULT_INSECURE_TEST_KDF", "1")
    a, b = open_ws(tmp_path, "a"), open_ws(tmp_path, "b")
    try:
        populate_sample(a)
        a.vault.session.init("correct horse battery staple 42")
        a.vault.items.add(SITE, "server", "DC01", password="s3cret-value")
        sync(a, server)
        sync(b, server)
        site = b.sites.get(SITE)
        gone = a.sites.delete(SITE)
        report = sync(a, server)
        assert report.conflicts == 0
        assert outbox(a) == 0
        sync(b, server)
        assert set(live_counts(b.path, [site.id]).values()) == {0}, "tombstones pulled"
        a.sites.restore(gone)
        assert sync(a, server).conflicts == 0
        assert outbox(a) == 0
        sync(b, server)
        assert live_counts(b.path, [site.id]) == live_counts(a.path, [site.id])
        assert live_counts(b.path, [site.id])["client_profiles"] == 7
        assert snapshot(a) == snapshot(b)
    finally:
        a.close()
        b.close()
