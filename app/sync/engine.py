"""The sync engine (issue 7): push the outbox, pull the delta feed, keep conflicts, check counts.

No Qt. Network calls are `async` over the transport; SQLite work runs in a worker thread
(`asyncio.to_thread`), one transaction per step, so a front end's loop never blocks on it.

Guarantees:
- an outbox row leaves only in the transaction that records the server's answer to it;
- a batch is sent again with the same Idempotency-Key, and each op carries its outbox row's key,
  so a change the server applied but whose answer was lost is never applied twice;
- a conflict is never overwritten: both versions are kept until `resolve()`; edits of
  different fields merge by themselves;
- after a sync whose outbox is empty, the local and server counts must agree, else a full
  resync (from cursor 0) runs;
- the files attached to Help Desk references travel beside their sections: before a push,
  every file a live references section names and the server has not confirmed is uploaded
  (a network failure stops the sync before any section is sent); after a pull, every file a
  section names and this workspace lacks is downloaded and checked against its SHA-256. A
  file that cannot be fetched is reported (`SyncReport.file_problems`) and tried again at the
  next sync; the section is kept either way.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import select, update

from app.sync import local
from app.sync.merge import DELETED, choose, merge
from app.sync.transport import (
    AttachmentRefused,
    AttachmentTransport,
    CursorExpired,
    OpResult,
    RemoteChange,
    SyncError,
    Transport,
)
from storage.attachments import AttachmentRepository, media_type_of
from storage.database import Database, now_iso

log = logging.getLogger("preflight.sync")
Progress = Callable[[str, int, int], None]  # (phase, done, total or 0)
MAX_PUSH_ROUNDS = 50


@dataclass(frozen=True)
class PlanItem:
    """One line of the plan: what a push would do to one record on the server."""

    entity: str
    id: str
    op: str
    base_version: int
    payload: dict[str, Any]
    changes: int  # outbox rows folded into this op
    # an update of a synced record: the record before its pending changes (None: unknown, or
    # not an update), so a view can show what changed rather than everything sent
    before: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return {"entity": self.entity, "id": self.id, "op": self.op,
                "base_version": self.base_version, "payload": self.payload,
                "changes": self.changes}


@dataclass(frozen=True)
class Conflict:
    seq: int
    entity: str
    entity_id: str
    kind: str  # edit | rejected
    base: dict[str, Any] | None
    mine: dict[str, Any] | None  # None: deleted here
    theirs: dict[str, Any] | None  # None: deleted on the server
    theirs_version: int
    fields: tuple[str, ...]  # conflicting fields (edit) or the server's reasons (rejected)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.seq, "entity": self.entity, "entity_id": self.entity_id,
                "kind": self.kind, "base": self.base, "mine": self.mine,
                "theirs": self.theirs, "theirs_version": self.theirs_version,
                "fields": list(self.fields)}


@dataclass
class SyncReport:
    dry_run: bool = False
    plan: list[PlanItem] = field(default_factory=list)
    pushed: int = 0
    applied: int = 0
    merged: int = 0
    conflicts: int = 0
    rejected: int = 0
    pulled: int = 0
    cursor: int = 0
    full_resync: bool = False
    count_check: str = "skipped"  # ok | resynced | mismatch | skipped
    count_mismatch: dict[str, tuple[int, int]] = field(default_factory=dict)
    requests: int = 0
    files_uploaded: int = 0
    files_downloaded: int = 0
    file_problems: list[str] = field(default_factory=list)  # tried again at the next sync

    def to_json(self) -> dict[str, Any]:
        return {"dry_run": self.dry_run, "plan": [p.to_json() for p in self.plan],
                "pushed": self.pushed, "applied": self.applied, "merged": self.merged,
                "conflicts": self.conflicts, "rejected": self.rejected,
                "pulled": self.pulled, "cursor": self.cursor,
                "full_resync": self.full_resync, "count_check": self.count_check,
                "count_mismatch": {k: list(v) for k, v in self.count_mismatch.items()},
                "requests": self.requests, "files_uploaded": self.files_uploaded,
                "files_downloaded": self.files_downloaded,
                "file_problems": list(self.file_problems)}


def _loads(text: str | None) -> dict[str, Any] | None:
    return None if text is None else dict(json.loads(text))


class SyncEngine:
    """Sync one workspace with one server. Not re-entrant: one `sync()` at a time."""

    def __init__(self, db: Database, transport: Transport, *, batch_size: int = 500,
                 page_size: int = 2000, progress: Progress | None = None) -> None:
        self.db = db
        self.transport = transport
        self.batch_size = batch_size
        self.page_size = page_size
        self.progress = progress or (lambda _phase, _done, _total: None)
        self._server_counts: dict[str, int] | None = None

    # --- reading the state ----------------------------------------------------------------------

    def plan(self) -> list[PlanItem]:
        """What a push would send now (the Pending Changes view); nothing is sent."""
        with self.db.read() as s:
            planned = local.plan(s)
            before = local.states_before(s, planned)
            return [PlanItem(p.op.entity, p.op.id, p.op.op, p.op.base_version, p.op.payload,
                             len(p.seqs), before.get((p.op.entity, p.op.id)))
                    for p in planned]

    def conflicts(self) -> list[Conflict]:
        with self.db.read() as s:
            rows = s.execute(select(local.CONFLICTS).where(
                local.CONFLICTS.c.resolved_at.is_(None)).order_by(local.CONFLICTS.c.seq))
            return [Conflict(r.seq, r.entity, r.entity_id, r.kind, _loads(r.base_json),
                             _loads(r.mine_json), _loads(r.theirs_json), r.theirs_version,
                             tuple(json.loads(r.fields_json))) for r in rows]

    def cursor(self) -> int:
        with self.db.read() as s:
            return int(local.get_info(s, local.CURSOR_KEY) or 0)

    def last_sync(self) -> str | None:
        with self.db.read() as s:
            return local.get_info(s, local.LAST_SYNC_KEY)

    # --- the whole sync -------------------------------------------------------------------------

    async def sync(self, *, dry_run: bool = False) -> SyncReport:
        report = SyncReport(dry_run=dry_run)
        if dry_run:
            report.plan = await asyncio.to_thread(self.plan)
            return report
        start = self.transport.requests
        self._server_counts = None
        await self.push(report)
        await self.pull(report)
        await self.fetch_files(report)
        await self.check_counts(report)
        await asyncio.to_thread(self._stamp)
        report.cursor = await asyncio.to_thread(self.cursor)
        report.requests = self.transport.requests - start
        return report

    def _stamp(self) -> None:
        with self.db.write() as s:
            local.set_info(s, local.LAST_SYNC_KEY, now_iso())

    # --- push -------------------------------------------------------------------------------------

    async def push(self, report: SyncReport | None = None) -> SyncReport:
        report = report or SyncReport()
        await self.upload_files(report)  # the files first: no section names one it lacks
        done: set[tuple[str, str]] = set()  # conflicted or refused in this run: not again
        for _round in range(MAX_PUSH_ROUNDS):
            # The plan is read once per round and sent batch by batch; what the round adds
            # (merges, rebases, the user's edits meanwhile) goes in the next round.
            planned = await asyncio.to_thread(self._plan_ops, done)
            if not planned:
                return report
            total = report.pushed + len(planned)
            for start in range(0, len(planned), self.batch_size):
                batch = planned[start:start + self.batch_size]
                self.progress("push", report.pushed, total)
                results = await self.transport.push([p.op for p in batch],
                                                    local.batch_key(batch))
                await asyncio.to_thread(self._record_results, batch, results, report, done)
                report.pushed += len(batch)
        raise SyncError(f"the outbox did not drain after {MAX_PUSH_ROUNDS} rounds")

    def _plan_ops(self, done: set[tuple[str, str]]) -> list[local.PlannedOp]:
        with self.db.read() as s:
            return local.plan(s, exclude=done)

    def _record_results(self, batch: list[local.PlannedOp], results: list[OpResult],
                        report: SyncReport, done: set[tuple[str, str]]) -> None:
        with self.db.write() as s:
            applied = [(p, r.version) for p, r in zip(batch, results, strict=True)
                       if r.status == "applied"]
            local.confirm_many(s, applied)
            report.applied += len(applied)
            for planned, result in zip(batch, results, strict=True):
                op = planned.op
                if result.status == "applied":
                    continue
                if result.status == "rejected":
                    local.add_conflict(s, op.entity, op.id, kind="rejected", base=None,
                                       mine=None if op.op == "delete" else op.payload,
                                       theirs=None, theirs_version=0, fields=result.reasons)
                    report.rejected += 1
                    done.add((op.entity, op.id))
                else:
                    self._conflict(s, planned, result, report, done)

    def _conflict(self, s: Any, planned: local.PlannedOp, result: OpResult, report: SyncReport,
                  done: set[tuple[str, str]]) -> None:
        op, server = planned.op, result.server
        server_version = server.version if server is not None else 0
        if server is not None and server.last_op_key in planned.keys:
            # Our own earlier push (its answer was lost): those rows are confirmed; the
            # newer ones go again on top of it, in the next round.
            local.confirm(s, planned, server_version, upto_key=server.last_op_key)
            report.applied += 1
            return
        mine = None if op.op == "delete" else op.payload
        theirs = None if server is None or server.deleted else server.payload
        base_copy = result.base
        base = None if base_copy is None or base_copy.deleted else base_copy.payload
        outcome = merge(base, mine, theirs,
                        base_deleted=bool(base_copy is not None and base_copy.deleted))
        if outcome.clean:
            merged = outcome.merged
            if merged is not None:
                merged = {**merged, "id": op.id}
            if merged == theirs:
                # Nothing of ours is left to send: take the server's copy as it is.
                s.execute(local.OUTBOX.delete().where(local.OUTBOX.c.entity == op.entity,
                                                      local.OUTBOX.c.entity_id == op.id))
                if theirs is not None:
                    local.write_local(s, op.entity, op.id, theirs, server_version)
                elif op.entity in local.MAPPINGS:
                    local.tombstone(s, local.MAPPINGS[op.entity],
                                     [(op.id, server_version, now_iso())])
            else:
                local.replace_pending(s, op.entity, op.id, merged, base_version=server_version,
                                      action="sync.merge", before=theirs)
            report.merged += 1
            return
        local.add_conflict(s, op.entity, op.id, kind="edit", base=base, mine=mine,
                           theirs=theirs, theirs_version=server_version,
                           fields=outcome.conflicts)
        report.conflicts += 1
        done.add((op.entity, op.id))

    # --- pull ---------------------------------------------------------------------------------

    async def pull(self, report: SyncReport | None = None, *, full: bool = False) -> SyncReport:
        """Fetch every change since the cursor (all pages), then apply them in one transaction
        with the new cursor: a pull lands whole or not at all."""
        report = report or SyncReport()
        since = 0 if full else await asyncio.to_thread(self.cursor)
        changes: list[RemoteChange] = []
        while True:
            try:
                page = await self.transport.changes(since, self.page_size)
            except CursorExpired:
                if full:
                    raise
                log.info("sync cursor %s expired: full resync", since)
                return await self.pull(report, full=True)
            changes += page.changes
            since = page.next_cursor
            self._server_counts = page.counts
            self.progress("pull", len(changes), 0)
            if not page.has_more:
                break
        await asyncio.to_thread(self._apply, changes, since, full)
        report.pulled += len(changes)
        report.full_resync = report.full_resync or full
        return report

    def _apply(self, changes: list[RemoteChange], cursor: int, full: bool) -> None:
        with self.db.write() as s:
            stats = local.apply_remote(s, changes, full=full)
            local.set_info(s, local.CURSOR_KEY, str(cursor))
        if stats.duplicates:
            log.warning("sync: %d remote records refused locally: %s", len(stats.duplicates),
                        ", ".join(stats.duplicates[:10]))

    # --- files attached to references ---------------------------------------------------------

    async def upload_files(self, report: SyncReport | None = None) -> SyncReport:
        """Upload every file a live references section names that the server has not
        confirmed yet. A network failure raises (nothing of the outbox was sent); a file the
        server refuses for good is reported and the sync goes on."""
        report = report or SyncReport()
        transport = self.transport
        if not isinstance(transport, AttachmentTransport):
            return report
        pending = await asyncio.to_thread(self._files_to_upload)
        for number, (sha, name) in enumerate(pending.items()):
            self.progress("attached files", number, len(pending))
            data = await asyncio.to_thread(self._file_bytes, sha)
            if data is None:
                continue
            try:
                await transport.put_attachment(sha, data)
            except AttachmentRefused as exc:
                self._problem(report, f"'{name}' was not uploaded: {exc}")
                continue
            await asyncio.to_thread(self._mark_uploaded, sha)
            report.files_uploaded += 1
        return report

    def _files_to_upload(self) -> dict[str, str]:
        with self.db.read() as s:
            repo = AttachmentRepository(s)
            named = repo.referenced()
            return {sha: named[sha] for sha in repo.not_uploaded(named)}

    def _file_bytes(self, sha: str) -> bytes | None:
        with self.db.read() as s:
            return AttachmentRepository(s).data(sha)

    def _mark_uploaded(self, sha: str) -> None:
        with self.db.write() as s:
            AttachmentRepository(s).mark_uploaded(sha)

    async def fetch_files(self, report: SyncReport | None = None) -> SyncReport:
        """Download the files live references sections name and this workspace lacks. Never
        raises for a file: what cannot be fetched is reported and tried at the next sync."""
        report = report or SyncReport()
        transport = self.transport
        if not isinstance(transport, AttachmentTransport):
            return report
        missing = await asyncio.to_thread(self._missing_files)
        for number, (sha, name) in enumerate(missing.items()):
            self.progress("attached files", number, len(missing))
            try:
                data = await transport.get_attachment(sha)
            except SyncError as exc:
                left = len(missing) - number
                self._problem(report, f"{left} attached file(s), '{name}' first, were not "
                                      f"downloaded: {exc}")
                break  # the server is out of reach: the next sync tries them all again
            if data is None:
                self._problem(report, f"'{name}' is not on the server yet (the workspace that "
                                      "attached it has not synced it)")
                continue
            if not await asyncio.to_thread(self._store_file, sha, data, name):
                self._problem(report, f"'{name}' arrived damaged (its SHA-256 or size is "
                                      "not the one its reference names)")
                continue
            report.files_downloaded += 1
        return report

    def _missing_files(self) -> dict[str, str]:
        with self.db.read() as s:
            return AttachmentRepository(s).missing()

    def _store_file(self, sha: str, data: bytes, name: str) -> bool:
        # here, not at the top: the Help Desk domain package is not needed by the status bar's
        # reader that the desktop makes at start-up
        from app.domain.helpdesk.references import MAX_ATTACHMENT_BYTES

        if len(data) > MAX_ATTACHMENT_BYTES or hashlib.sha256(data).hexdigest() != sha:
            return False
        with self.db.write() as s:
            AttachmentRepository(s).put(sha, data, media_type_of(name), uploaded=True)
        return True

    @staticmethod
    def _problem(report: SyncReport, text: str) -> None:
        log.warning("sync: %s", text)
        report.file_problems.append(text)

    # --- count check ------------------------------------------------------------------------------

    def _counts_if_clean(self) -> dict[str, int] | None:
        with self.db.read() as s:
            if local.pending_keys(s) or local.open_conflict_keys(s):
                return None
            return local.local_counts(s)

    def _take_counts(self) -> dict[str, int] | None:
        counts, self._server_counts = self._server_counts, None
        return counts

    async def check_counts(self, report: SyncReport | None = None) -> SyncReport:
        """Anki's check: with nothing pending, both sides must count the same live records
        per entity; on a mismatch, resync from 0 and check again."""
        report = report or SyncReport()
        mine = await asyncio.to_thread(self._counts_if_clean)
        if mine is None:
            report.count_check = "skipped"
            return report
        # The last feed page of this sync carries the server's counts (read with that page):
        # ask only if it did not.
        theirs = self._take_counts() or await self.transport.counts()
        mismatch = _mismatch(mine, theirs)
        if not mismatch:
            report.count_check = "ok"
            return report
        log.warning("sync count check failed (%s): full resync", mismatch)
        await self.pull(report, full=True)
        mine = await asyncio.to_thread(self._counts_if_clean)
        theirs = self._take_counts() or await self.transport.counts()
        report.count_mismatch = _mismatch(mine or {}, theirs)
        report.count_check = "resynced" if not report.count_mismatch else "mismatch"
        return report

    # --- resolving conflicts ----------------------------------------------------------------------

    def resolve(self, seq: int, choice: Literal["mine", "theirs"] | dict[str, str]) -> None:
        """Settle a conflict: keep mine or take theirs for every disputed field (fields only
        one side changed keep that change either way; what differs from the server's version
        is sent on the next sync), or per field ({field: "mine"|"theirs"}, unnamed fields
        merge as usual). An edit against a delete: "mine"/"theirs" keeps that side's record.
        A change the server rejected: "theirs" drops it, "mine" sends it again. A server
        record this workspace refused: "theirs" tries it again, "mine" leaves it out."""
        from app.domain.errors import NotFound

        with self.db.write() as s:
            row = s.execute(select(local.CONFLICTS).where(
                local.CONFLICTS.c.seq == seq, local.CONFLICTS.c.resolved_at.is_(None))).first()
            if row is None:
                raise NotFound(f"no open sync conflict {seq}")
            base, mine = _loads(row.base_json), _loads(row.mine_json)
            theirs, version = _loads(row.theirs_json), int(row.theirs_version)
            if row.kind == "refused":
                # A server record this workspace refused (e.g. a second live "Acme"): "theirs"
                # tries it again (after a local rename), "mine" leaves it out.
                label = "theirs" if choice == "theirs" else "mine"
                if choice == "theirs" and theirs is not None:
                    local.write_local(s, row.entity, row.entity_id, theirs, version)
            elif row.kind == "rejected" and choice != "theirs":
                label = "mine"  # send it again as it is (after the cause was fixed)
            elif isinstance(choice, str) and mine is not None and theirs is not None:
                # An edit against an edit: the side chosen for the record settles the disputed
                # fields only; a field only one side changed keeps that change (another admin's
                # undisputed edit is never reverted, nor is ours dropped).
                disputed = merge(base, mine, theirs).conflicts
                chosen = choose(base, mine, theirs, dict.fromkeys(disputed, choice))
                kept = {**(chosen or {}), "id": row.entity_id}
                label = choice
                if kept == {**theirs, "id": row.entity_id}:
                    s.execute(local.OUTBOX.delete().where(
                        local.OUTBOX.c.entity == row.entity,
                        local.OUTBOX.c.entity_id == row.entity_id))
                    local.write_local(s, row.entity, row.entity_id, theirs, version)
                else:
                    local.replace_pending(s, row.entity, row.entity_id, kept,
                                          base_version=version,
                                          action=f"sync.resolve.{label}", before=theirs)
            elif choice == "theirs":
                s.execute(local.OUTBOX.delete().where(
                    local.OUTBOX.c.entity == row.entity,
                    local.OUTBOX.c.entity_id == row.entity_id))
                label = "theirs"
                if row.kind == "rejected":
                    pass  # the server refused our change: drop it, keep what we have
                elif theirs is not None:
                    local.write_local(s, row.entity, row.entity_id, theirs, version)
                elif row.entity in local.MAPPINGS:
                    local.tombstone(s, local.MAPPINGS[row.entity],
                                    [(row.entity_id, version, now_iso())])
            else:
                if choice == "mine":
                    result = mine
                    label = "mine"
                else:
                    result = choose(base, mine, theirs, dict(choice))
                    label = "merge"
                if result is not None:
                    result = {**result, "id": row.entity_id}
                local.replace_pending(s, row.entity, row.entity_id, result, base_version=version,
                                      action=f"sync.resolve.{label}", before=theirs)
            s.execute(update(local.CONFLICTS).where(local.CONFLICTS.c.seq == seq)
                      .values(resolved_at=now_iso(), resolution=label))


def _mismatch(mine: dict[str, int], theirs: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {entity: (count, theirs.get(entity, 0)) for entity, count in mine.items()
            if count != theirs.get(entity, 0)}


__all__ = ["DELETED", "Conflict", "PlanItem", "SyncEngine", "SyncReport"]
