"""What a site owns, counted straight from the workspace file (not through the services)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path


def live_counts(path: Path, site_ids: list[str]) -> dict[str, int]:
    """Live rows of each table that belong to these sites, read straight from the file."""
    marks = ",".join("?" * len(site_ids))
    of_sites = f"deleted_at IS NULL AND site_id IN ({marks})"
    queries = {
        "devices": f"SELECT count(*) FROM devices WHERE {of_sites}",
        "device_overrides": "SELECT count(*) FROM device_overrides WHERE deleted_at IS NULL "
                            f"AND device_id IN (SELECT id FROM devices WHERE site_id IN ({marks}))",
        "client_profiles": f"SELECT count(*) FROM client_profiles WHERE {of_sites}",
        "helpdesk_sections": f"SELECT count(*) FROM helpdesk_sections WHERE {of_sites}",
        "vault_items": f"SELECT count(*) FROM vault_items WHERE {of_sites}",
        "sites": f"SELECT count(*) FROM sites WHERE deleted_at IS NULL AND id IN ({marks})",
    }
    with closing(sqlite3.connect(path)) as db:
        return {name: int(db.execute(query, site_ids).fetchone()[0])
                for name, query in queries.items()}
