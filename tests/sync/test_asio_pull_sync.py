"""The devices a pull from Asio adds are written as an import's rows are: an outbox row each
without a payload (the push reads the device as it is then) and one audit row for the whole
pull. Against the real server each device still travels exactly once, with the values the
platform reported, and Pending Changes lists every device."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select

from app.asio.service import AsioService
from app.sync import SyncEngine
from storage.changes import BATCH, record_history
from storage.repository import Repository
from storage.tables import AuditRow, OutboxRow
from tests.asio.conftest import make_client, run
from tests.asio.fake_asio import FakeAsio
from tests.server.live import LiveServer, sync
from tests.sync.helpers import open_ws, outbox
from tests.sync.test_import_sync import payload_of, versions

ENDPOINTS = 1_100  # three push batches of 500


def test_pulled_devices_are_pushed_once_each(server: LiveServer, tmp_path: Path) -> None:
    a = open_ws(tmp_path, "a")
    b = open_ws(tmp_path, "b")
    try:
        company = a.companies.create("Contoso Dental")
        site = a.sites.create(company.id, "Main Office")
        fake = FakeAsio()
        remote_site = fake.add_site(fake.add_company("Contoso Dental"), "Main Office")
        for n in range(ENDPOINTS):
            fake.add_endpoint(remote_site, f"EP-{n:04d}", "Server" if n % 10 == 0 else "Desktop")
        sync(a, server)  # the company and the site are on the server already
        asio = AsioService(a.db)
        report = run(asio.pull(make_client(fake, asio), with_drift=False))
        assert report.devices_added == ENDPOINTS
        devices = {d.id: d for d in a.devices.all(site.id)}
        assert len(devices) == ENDPOINTS

        with a.db.read() as s:
            rows = s.execute(select(OutboxRow.entity_id, OutboxRow.payload_json)
                             .where(OutboxRow.entity == "device")).all()
            audits = s.execute(select(AuditRow.entity, AuditRow.action, AuditRow.after_json)
                               .where(AuditRow.action == "device.asio_pull")).all()
            history = record_history(s, "device", next(iter(devices)))
        assert sorted(r[0] for r in rows) == sorted(devices)
        assert {r[1] for r in rows} == {None}  # no copies of the devices
        assert len(audits) == 1  # one audit row for the pull
        assert audits[0][0] == BATCH
        what = json.loads(audits[0][2] or "null")
        assert (what["entity"], what["source"]) == ("device", fake.base_url)
        assert sorted(what["created"]) == sorted(devices)
        assert [(h.action, h.batch is not None) for h in history] == [("device.asio_pull", True)]

        plan = [i for i in SyncEngine(a.db, None).plan()  # type: ignore[arg-type]
                if i.entity == "device"]
        assert len(plan) == ENDPOINTS  # Pending Changes: one line per device
        assert {(i.op, i.base_version) for i in plan} == {("upsert", 0)}
        assert {i.payload["name"] for i in plan} == {d.name for d in devices.values()}

        sync(a, server)
        assert outbox(a) == 0
        stored = versions(server, "device")
        assert set(stored) == set(devices)
        assert all(v == [(1, False)] for v in stored.values())  # each pushed exactly once
        first = next(d for d in devices.values() if d.name == "EP-0000")
        assert payload_of(server, first.id, 1) == {"id": first.id, "siteId": site.id,
                                                   "name": "EP-0000", "kind": "server",
                                                   "os": ""}
        sync(b, server)
        assert sorted((d.id, d.name, d.kind) for d in b.devices.all(site.id)) == sorted(
            (d.id, d.name, d.kind) for d in devices.values())
    finally:
        a.close()
        b.close()


def test_a_device_edited_after_the_pull_is_pushed_with_the_edit(server: LiveServer,
                                                                tmp_path: Path) -> None:
    a = open_ws(tmp_path, "a")
    try:
        company = a.companies.create("Contoso Dental")
        site = a.sites.create(company.id, "Main Office")
        fake = FakeAsio()
        fake.add_endpoint(fake.add_site(fake.add_company("Contoso Dental"), "Main Office"),
                          "WS-01")
        asio = AsioService(a.db)
        run(asio.pull(make_client(fake, asio), with_drift=False))
        with a.db.write() as s:  # as any edit of a device writes it
            repo = Repository(s)
            device = repo.devices(site.id)[0]
            repo.save_device(replace(device, name="WS-01 (reception)"), "device.rename")
        sync(a, server)
        assert versions(server, "device")[device.id] == [(1, False)]
        assert payload_of(server, device.id, 1)["name"] == "WS-01 (reception)"
    finally:
        a.close()
