"""Workspaces for sync tests, and a comparable picture of what a workspace holds."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

from sqlalchemy import select

from app.services.workspace import Workspace
from app.sync.local import MAPPINGS
from storage.tables import OutboxRow, PackagePolicyRow

SKIP = {"updated_at", "deleted_at", "partner_id"}


def open_ws(tmp_path: Path, name: str) -> Workspace:
    return Workspace.open(tmp_path / f"{name}.preflight", create=True)


def snapshot(ws: Workspace) -> dict[str, Any]:
    """Every synced table's rows (live or tombstoned) without local-only columns."""
    out: dict[str, Any] = {}
    with ws.db.read() as s:
        for entity, mapping in MAPPINGS.items():
            rows = []
            for row in s.execute(select(mapping.table).order_by(mapping.table.c.id)):
                data = {k: v for k, v in row._mapping.items() if k not in SKIP}
                data["deleted"] = row.deleted_at is not None
                rows.append(json.dumps(data, sort_keys=True, default=str))
            out[entity] = rows
        links = s.execute(select(PackagePolicyRow.package_id, PackagePolicyRow.type_id,
                                 PackagePolicyRow.policy_id)
                          .order_by(PackagePolicyRow.package_id, PackagePolicyRow.type_id))
        out["package_policies"] = [tuple(r) for r in links]
    return out


def live(ws: Workspace) -> dict[str, list[str]]:
    """Names of live objects per kind: what a user sees."""
    return {
        "companies": sorted(c.name for c in ws.companies.all()),
        "sites": sorted(f"{s.company}/{s.name}:{s.package}" for s in ws.sites.all()),
        "policies": sorted(f"{p.name}:{json.dumps(p.settings, sort_keys=True)}"
                           for p in ws.policies.all()),
        "packages": sorted(f"{p.name}:{p.is_default}:{len(p.policies)}"
                           for p in ws.packages.all()),
    }


def outbox(ws: Workspace) -> int:
    with ws.db.read() as s:
        return len(list(s.scalars(select(OutboxRow.seq))))


@contextlib.contextmanager
def clock(offset: timedelta) -> Iterator[None]:
    """This client's wall clock is `offset` off (local timestamps only; the server has its own)."""
    def skewed() -> str:
        at = datetime.now(UTC) + offset
        return at.isoformat(timespec="microseconds").replace("+00:00", "Z")

    with mock.patch("storage.repository.now_iso", skewed), \
            mock.patch("storage.changes.now_iso", skewed), \
            mock.patch("app.sync.local.now_iso", skewed):
        yield
