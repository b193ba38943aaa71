"""The drift report (pure): setting by setting, what we planned for an endpoint against what
the platform applies, with the platform's mapping (the package and policy it came from)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.asio.models import RemoteEffectivePolicy
from storage.asio_repository import DriftRecord


def compare(site_id: str, device_id: str, planned: Mapping[str, Mapping[str, Any]],
            applied: RemoteEffectivePolicy) -> tuple[list[DriftRecord], int]:
    """The settings that differ (or that one side lacks), and how many agree."""
    drift: list[DriftRecord] = []
    same = 0
    for domain in sorted(set(planned) | set(applied.settings)):
        ours = planned.get(domain, {})
        theirs = applied.settings.get(domain, {})
        links = applied.mapping.get(domain, {})
        for key in sorted(set(ours) | set(theirs)):
            mine, platform = ours.get(key), theirs.get(key)
            if key in ours and key in theirs and mine == platform:
                same += 1
                continue
            drift.append(DriftRecord(site_id, device_id, domain, key, mine, platform,
                                     dict(links.get(key, {}))))
    return drift, same
