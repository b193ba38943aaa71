"""Help Desk client profiles of a site (issue 5): list, add, edit, delete and restore one by one;
validate, import and export spreadsheets. Reading, validating and writing files is
`app.profiles`; this module puts it together with the workspace.

    ws.profiles.import_sheet("Main Office", read_sheet(path), skip_invalid=True,
                             rejects=Path("rejects.csv"))

Import (docs/architecture.md §4): the sheet is validated against the site's existing profiles; a
profile that matches one by `profile_key` (email, else name + first phone) updates it, an identical
one is left alone ("unchanged": no outbox or audit row). With any error and without `skip_invalid`
the import is refused (`ImportRefused`, carrying the report) and nothing is written. With
`skip_invalid` only rows without errors are imported and the others go to the rejects file.
Warnings never block. Everything lands in one transaction: all accepted rows with their outbox
rows and the import's audit row, or nothing (a failure or a cancel anywhere rolls it all
back). A dry run computes the same counts and writes nothing at all, not even the rejects file.

Order: the whole sheet is validated and planned first (progress and Cancel per 5,000 rows),
then one write transaction inserts and updates the accepted rows 5,000 at a time (Cancel is
checked between them too; it rolls back) and writes the rejects file before it commits.
Overlapping the SQLite writes with validation on a second thread was measured and dropped: the
GIL hand-offs around each sqlite3 step cost what the overlap saved. So was validating in a child
process (benchmarks/bench_profiles_validate_processes.py): only planning could overlap it (the
writes need its verdict), a spawned child costs more to start and feed than the validation
itself, and forking the desktop app (Qt and worker threads) is not safe.

Undo (docs/architecture.md §3: a new change, not a rewrite of history): an import writes an outbox
row per profile without a payload (the push sends the profile as it is then) and one audit row for
the whole batch — the file and its SHA-256, the created ids, the updated profiles as they were
before. A real import's result carries `changes` — the created ids and the updated profiles as
they were before (the lists the import built anyway), the one `updated_at` it gave every row,
its audit row and `hash()` digests of the values it wrote; no copy of the imported rows is
kept. `undo_import(result)` tombstones the created profiles and puts the updated ones back
("profile.import_undo"), in one bulk transaction with one audit row; `redo_import(undone)`
restores the same tombstones and applies the same values again ("profile.import_redo"). Both
first check that every profile involved is still as the previous step left it — live or
deleted, the same values — and refuse otherwise, changing nothing. A profile still carrying the
step's `updated_at` is untouched; for one written since (edited, edited back, or only synced: a
pull rewrites `updated_at` and `version`) the digest says whether it holds the values the step
left. So a later edit blocks the undo until it is undone, and a sync alone does not. The outbox
rows carry the version stored now.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from json.encoder import encode_basestring
from operator import itemgetter
from pathlib import Path
from typing import Any

from app.domain.errors import NotFound, RuleViolation
from app.domain.model import Site, new_id
from app.gcpause import paused_gc
from app.profiles import (
    FIELDS,
    Issue,
    Profile,
    ProfileKey,
    Report,
    Sheet,
    Validation,
    ValidationCancelled,
    export_texts,
    validate_rows,
    validate_values,
    write_rejects,
)
from app.profiles.profile import profile_key
from app.profiles.shared_gil import sorted_in_runs
from app.services.hierarchy import resolve_site
from storage.database import Database, now_iso
from storage.profile_repository import (
    VIP,
    NewProfile,
    ProfileRepository,
    ProfileUpdate,
    StoredProfile,
    Values,
    match_key_json,
)
from storage.repository import Repository

CHUNK_ROWS = 5_000
EXPORT_SUFFIXES = (".xlsx", ".csv")
Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class ProfileRecord:
    """A stored profile: its id, site, the profile and the server version (0 = not synced)."""

    id: str
    site_id: str
    profile: Profile
    version: int


@dataclass(frozen=True, slots=True, eq=False)
class ImportChanges:
    """What a real import wrote, kept compact for `undo_import` and `redo_import`: the ids of
    the profiles it created (the list the import built anyway) and the profiles it updated as
    they were before it (the objects it read anyway). Every row a step (the import, its undo,
    its redo) writes gets the same `updated_at`, `stamp`; its audit rows are those with
    `audit_after < seq <= audit_upto` (one row: the batch's). After an undo, `updated_after`
    holds the updated profiles as the import had left them, which a redo applies again."""

    site_id: str
    created_ids: Sequence[str]
    updated_before: Sequence[StoredProfile]
    stamp: str
    audit_after: int
    audit_upto: int
    undone: bool = False
    updated_after: Sequence[StoredProfile] = ()
    digests: Sequence[int] = ()  # hash() of the imported values: created, then updated
    batch: str = ""  # the id of the step's audit row (storage.changes.record_batch)

    @property
    def created(self) -> int:
        return len(self.created_ids)

    @property
    def updated(self) -> int:
        return len(self.updated_before)

    def __repr__(self) -> str:  # not 100k rows
        return (f"ImportChanges(site_id={self.site_id!r}, created={self.created}, "
                f"updated={self.updated}, undone={self.undone})")


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did (or, with `dry_run`, would do). A real import's `changes` say what
    it wrote, for undo; a dry run has none. `undo_import` and `redo_import` answer the same
    result with `changes` moved on (`changes.undone`)."""

    created: int
    updated: int
    unchanged: int
    rejected: int
    dry_run: bool
    report: Report
    rejects_path: Path | None
    changes: ImportChanges | None = field(default=None, compare=False, repr=False)

    @property
    def undone(self) -> bool:
        return self.changes is not None and self.changes.undone

    def to_dict(self) -> dict[str, object]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "rejected": self.rejected, "dry_run": self.dry_run,
                "rejects_path": None if self.rejects_path is None else str(self.rejects_path),
                "report": self.report.to_dict()}


class ImportChanged(RuleViolation):
    """An import cannot be undone (or redone) because some of its profiles changed since;
    nothing was changed. `profile_ids` are those profiles."""

    def __init__(self, message: str, profile_ids: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.profile_ids = tuple(profile_ids)


class ImportRefused(RuleViolation):
    """The sheet has errors and invalid rows were not to be skipped: nothing was imported.
    `report` holds every finding."""

    def __init__(self, report: Report) -> None:
        rows = report.error_rows
        data_rows = report.rows - report.valid_rows
        header = " (the header row among them)" if len(rows) > data_rows else ""
        super().__init__(
            f"{len(rows)} row(s){header} of the file have errors ({report.errors} in all), so "
            "nothing was imported. Fix them (the report lists each row, column and fix) and "
            f"import again, or skip the invalid rows (--skip-invalid) to import the "
            f"{report.valid_rows} valid row(s) and write the others to a rejects file.")
        self.report = report


class ImportCancelled(ValidationCancelled):
    """The import was cancelled; nothing was imported. `done` rows had been checked."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__(done)
        self.total = total
        self.args = (f"import cancelled after {done:,} of {total:,} rows; nothing was "
                     "imported",)


class ProfileInvalid(RuleViolation):
    """A profile given to add or update breaks a rule; `issues` are the errors, by field."""

    def __init__(self, who: str, issues: Sequence[Issue]) -> None:
        details = "; ".join(f"{i.column}: {i.message}" for i in issues)
        super().__init__(f"the profile of {who} was not saved: {details}")
        self.issues = tuple(issues)


def rejects_suffix(sheet: Sheet) -> str:
    """The suffix a rejects file of this sheet has: CSV stays CSV, workbooks become XLSX."""
    return ".csv" if sheet.source == "csv" else ".xlsx"


def _record(stored: StoredProfile) -> ProfileRecord:
    return ProfileRecord(stored.id, stored.site_id, Profile(*stored.values), stored.version)


def _values(profile: Profile) -> Values:
    return tuple(getattr(profile, f) for f in FIELDS)


def _who(profile: Profile) -> str:
    name = f"{profile.first_name.strip()} {profile.last_name.strip()}".strip()
    return f"'{name}'" if name else "this client"


def _key_text(key: Sequence[str]) -> str:
    if key[0] == "email":
        return f"the email {key[1]}"
    return f"the name {key[1]} {key[2]} and phone {key[3] or '(none)'}"


class ProfileService:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- reads ----------------------------------------------------------------------------------

    def list(self, site: str) -> list[ProfileRecord]:
        """The site's live profiles, by last then first name (case-insensitive)."""
        with self.db.read() as s:
            target = resolve_site(Repository(s), site)
            stored = ProfileRepository(s).live(target.id)
        return sorted_in_runs([_record(p) for p in stored], key=lambda r: (
            r.profile.last_name.casefold(), r.profile.first_name.casefold(), r.id))

    def existing_keys(self, site: str) -> frozenset[ProfileKey]:
        with self.db.read() as s:
            target = resolve_site(Repository(s), site)
            keys = ProfileRepository(s).live_keys(target.id)
        return frozenset(tuple(json.loads(k)) for k in keys)

    def validate(self, site: str | None, sheet: Sheet, *, progress: Progress | None = None,
                 cancelled: Cancelled | None = None) -> Report:
        """Validate a sheet, against the site's existing profiles when a site is given.
        A cancel raises ValidationCancelled."""
        keys = self.existing_keys(site) if site is not None else frozenset()
        return validate_rows(sheet, keys, chunk_rows=CHUNK_ROWS, progress=progress,
                             cancelled=cancelled)

    # --- one by one -----------------------------------------------------------------------------

    def add(self, site: str, profile: Profile, *, profile_id: str | None = None
            ) -> ProfileRecord:
        """Add one profile to a site. Refused when a field breaks a rule (ProfileInvalid, by
        field) or the site already has a profile of the same person."""
        _check(profile)
        key = match_key_json(profile.key)
        with self.db.write() as s:
            target = resolve_site(Repository(s), site)
            repo = ProfileRepository(s)
            if profile_id is not None and repo.get(profile_id) is not None:
                raise RuleViolation(f"a client profile with id {profile_id} already exists; "
                                    "restore or edit it instead of adding it again")
            _refuse_duplicate(repo, target, profile, key, own_id=None)
            stored = repo.create(profile_id or new_id(), target.id, key, _values(profile),
                                 "profile.create")
        return _record(stored)

    def update(self, profile_id: str, profile: Profile) -> ProfileRecord:
        """Replace a profile's fields (same checks as `add`). No change, no outbox row."""
        _check(profile)
        key = match_key_json(profile.key)
        with self.db.write() as s:
            repo = ProfileRepository(s)
            before = _live(repo, profile_id)
            values = _values(profile)
            if values == before.values:
                return _record(before)
            site = Repository(s).site(before.site_id)
            if site is None:
                raise RuleViolation(f"the site of client profile {profile_id} was deleted; "
                                    "its profiles cannot be edited")
            _refuse_duplicate(repo, site, profile, key, own_id=before.id)
            stored = repo.update(before, key, values, "profile.update")
        return _record(stored)

    def delete(self, profile_id: str) -> ProfileRecord:
        """Delete a profile (a tombstone the server learns of); returns what was deleted, which
        `restore` brings back."""
        with self.db.write() as s:
            repo = ProfileRepository(s)
            stored = _live(repo, profile_id)
            repo.tombstone(stored, "profile.delete")
        return _record(stored)

    def restore(self, profile_id: str) -> ProfileRecord:
        """Undo a delete. Refused when another live profile of the site now has the same
        email (or name and phone), or when the site itself was deleted."""
        with self.db.write() as s:
            repo = ProfileRepository(s)
            stored = repo.get(profile_id)
            if stored is None:
                raise NotFound(f"no client profile with id {profile_id}")
            if not stored.deleted:
                raise RuleViolation(f"client profile {profile_id} is not deleted; there is "
                                    "nothing to restore")
            site = Repository(s).site(stored.site_id)
            if site is None:
                raise RuleViolation(f"the site of client profile {profile_id} was deleted; "
                                    "restore the site first")
            _refuse_duplicate(repo, site, Profile(*stored.values), stored.match_key,
                              own_id=stored.id, verb="restored")
            restored = repo.restore(stored, "profile.restore")
        return _record(restored)

    # --- files ------------------------------------------------------------------------------------

    def export(self, site: str, path: Path) -> int:
        """Write the site's profiles to an XLSX or CSV template (by the suffix of `path`);
        returns how many."""
        if path.suffix.lower() not in EXPORT_SUFFIXES:
            raise RuleViolation(f"cannot export to '{path.name}': name the file .xlsx or .csv")
        with self.db.read() as s:
            target = resolve_site(Repository(s), site)
            texts = ProfileRepository(s).live_texts(target.id)
        # the order of `list` (last, first name, then id): the rows come in id order and the
        # sort is stable
        return export_texts(sorted_in_runs(texts, key=_name_order), path)

    def import_sheet(self, site: str, sheet: Sheet, *, skip_invalid: bool = False,
                     dry_run: bool = False, rejects: Path | None = None,
                     progress: Progress | None = None, cancelled: Cancelled | None = None
                     ) -> ImportResult:
        """Import a validated sheet into a site in one transaction (see the module's notes).
        Raises ImportRefused (errors, nothing written) or ImportCancelled (nothing written)."""
        if rejects is not None:
            _check_rejects(sheet, rejects, skip_invalid)
        with self.db.read() as s:
            target = resolve_site(Repository(s), site)
            existing = {p.match_key: p for p in ProfileRepository(s).live(target.id)}
        planner = _Planner(sheet, existing)
        # The cyclic collector waits while the rows are validated, planned and written
        # (`paused_gc`, as while they are read): ~100k tuples a step and no cycles, and its
        # passes over the sheet's millions of objects cost ~0.5 s of a 100k-row import.
        with paused_gc():
            report = _validate_and_plan(sheet, planner, existing, skip_invalid=skip_invalid,
                                        progress=progress, cancelled=cancelled)
            return self._write(target, sheet, planner, report, dry_run=dry_run,
                               rejects=rejects, cancelled=cancelled)

    def _write(self, target: Site, sheet: Sheet, planner: _Planner, report: Report, *,
               dry_run: bool, rejects: Path | None, cancelled: Cancelled | None
               ) -> ImportResult:
        """The planned rows into the site, in one transaction (`import_sheet`)."""
        rejected = report.rows - report.valid_rows
        if dry_run:
            return ImportResult(planner.created, planner.updated, planner.unchanged, rejected,
                                True, report, None)
        written = False
        created_ids: list[str] = []
        created_digests, updated_digests = array("q"), array("q")
        try:
            with self.db.bulk_write() as s:
                repo = ProfileRepository(s)
                at, mark = now_iso(), repo.audit_mark()  # for undo: see ImportChanges
                with repo.bulk_mode():
                    for creates, updates in planner.chunks(CHUNK_ROWS):
                        if cancelled is not None and cancelled():
                            raise ImportCancelled(report.rows, report.rows)
                        created_ids += repo.import_rows(target.id, creates, updates, at)
                        created_digests.extend(map(hash, map(_SECOND, creates)))
                        updated_digests.extend(map(hash, map(_THIRD, updates)))
                befores = [u[0] for u in planner.updates]
                batch = "" if not (created_ids or befores) else repo.audit_batch(
                    "profile.import", {
                        "site_id": target.id, "file": sheet.file or sheet.name,
                        "sha256": sheet.sha256, "created": created_ids,
                        "updated": [p.id for p in befores]}, befores, at)
                upto = repo.audit_mark()
                if rejects is not None:  # inside the transaction: no file, no import
                    write_rejects(sheet, report, rejects)
                    written = True
        except BaseException:
            if written and rejects is not None:  # the commit failed: take the file back
                rejects.unlink(missing_ok=True)
            raise
        changes = ImportChanges(target.id, created_ids, befores, at, mark, upto,
                                digests=created_digests + updated_digests, batch=batch)
        return ImportResult(planner.created, planner.updated, planner.unchanged, rejected,
                            False, report, rejects, changes)

    # --- undo and redo of an import ----------------------------------------------------------

    def undo_import(self, result: ImportResult) -> ImportResult:
        """Take an import back as a new change: tombstone the profiles it created and put the
        ones it updated back to their values before, with outbox and audit rows
        ("profile.import_undo"), in one transaction. Returns the result to give `redo_import`.
        Refused (ImportChanged, nothing written) when any of those profiles changed after the
        import (or its last redo)."""
        changes = _changes_of(result)
        if changes.undone:
            raise RuleViolation("this import is undone already; redo it before undoing it again")
        with self.db.bulk_write() as s:
            repo = ProfileRepository(s)
            ids = [*changes.created_ids, *(p.id for p in changes.updated_before)]
            now = repo.states(ids)
            stale = _stale(repo, changes, now, deleted=dict.fromkeys(ids, False))
            if stale:
                site = _site_name(s, changes.site_id)
                if _already(now, changes.created_ids, True, changes.updated_before):
                    raise ImportChanged(f"this import into {site} was already undone: its new "
                                        "profiles are deleted and the updated ones are back "
                                        "as they were")
                raise ImportChanged(
                    f"the import into {site} cannot be undone: {_stale_text(stale, now)} "
                    "after it. Nothing was changed. Undo those later changes first (Edit → "
                    "Undo), or edit or delete the imported profiles one by one.",
                    [i for i, _w in stale])
            created = [now[i][0] for i in changes.created_ids]
            after = [now[p.id][0] for p in changes.updated_before]
            moved = _write_step(repo, changes, created, after, changes.updated_before,
                                undo=True)
        return replace(result, changes=moved)

    def redo_import(self, result: ImportResult) -> ImportResult:
        """Apply an undone import again, as a new change: restore the profiles it created (the
        same ids) and give the ones it updated the imported values again, with outbox and
        audit rows ("profile.import_redo"), in one transaction; `result` is what
        `undo_import` answered. Refused (ImportChanged, nothing written) when any of those
        profiles changed after the undo, when the site now has another live profile of one
        of the same people, or when the site was deleted."""
        changes = _changes_of(result)
        if not changes.undone:
            raise RuleViolation("this import is not undone, so there is nothing to redo")
        with self.db.bulk_write() as s:
            repo = ProfileRepository(s)
            site = Repository(s).site(changes.site_id)
            if site is None:
                raise RuleViolation("the site of this import was deleted, so the import cannot "
                                    "be redone; restore the site first, or import the file "
                                    "again into another site")
            deleted = {**dict.fromkeys(changes.created_ids, True),
                       **{p.id: False for p in changes.updated_before}}
            now = repo.states(list(deleted))
            stale = _stale(repo, changes, now, deleted=deleted)
            if stale:
                if _already(now, changes.created_ids, False, changes.updated_after):
                    raise ImportChanged(f"this import into site '{site.name}' is already "
                                        "applied; there is nothing to redo")
                raise ImportChanged(
                    f"the import into site '{site.name}' cannot be redone: "
                    f"{_stale_text(stale, now)} after it was undone. Nothing was changed. "
                    "Undo those later changes first (Edit → Undo), or import the file again.",
                    [i for i, _w in stale])
            created = [now[i][0] for i in changes.created_ids]
            taken = {p.match_key for p in created} & set(repo.live_keys(site.id))
            if taken:
                clash = [p for p in created if p.match_key in taken]
                named = ", ".join(_who(Profile(*p.values)) for p in clash[:3])
                more = f" and {len(clash) - 3:,} more" if len(clash) > 3 else ""
                raise ImportChanged(
                    f"the import into site '{site.name}' cannot be redone: the site has a "
                    f"profile of {named}{more} again, added after the undo. Nothing was "
                    "changed. Delete or undo those profiles first, or import the file again "
                    "(it updates them).", [p.id for p in clash])
            before = [now[b.id][0] for b in changes.updated_before]
            moved = _write_step(repo, changes, created, before, changes.updated_after,
                                undo=False)
        return replace(result, changes=moved)


def _write_step(repo: ProfileRepository, changes: ImportChanges,
                created: Sequence[StoredProfile], updated: Sequence[StoredProfile],
                values: Sequence[StoredProfile], *, undo: bool) -> ImportChanges:
    """Write an undo (or a redo) of an import whose checks have passed: the profiles it
    created tombstoned (restored), the ones it updated given `values` (their state before the
    import; the imported one), one audit row for the batch. Returns the changes to keep."""
    at, mark = now_iso(), repo.audit_mark()
    with repo.bulk_mode():
        if undo:
            repo.tombstone_many(created, at)
        else:
            repo.restore_many(created, at)
        repo.apply_updates([(stored, v.match_key, v.values) for stored, v in
                            zip(updated, values, strict=True)], at)
    detail: dict[str, object] = (
        {"site_id": changes.site_id, "undoes": changes.batch,
         "deleted": list(changes.created_ids)} if undo else
        {"site_id": changes.site_id, "redoes": changes.batch,
         "restored": list(changes.created_ids)})
    detail["updated"] = [p.id for p in updated]
    batch = "" if not (created or changes.updated_before) else repo.audit_batch(
        "profile.import_undo" if undo else "profile.import_redo", detail, list(updated), at)
    return replace(changes, stamp=at, audit_after=mark, audit_upto=repo.audit_mark(),
                   undone=undo, updated_after=list(updated) if undo else (), batch=batch)


def _validate_and_plan(sheet: Sheet, planner: _Planner, existing: dict[str, StoredProfile], *,
                       skip_invalid: bool, progress: Progress | None,
                       cancelled: Cancelled | None) -> Report:
    """Validate the sheet against the site's profiles (`existing`, by match key) and plan its
    accepted rows, a chunk at a time (progress and Cancel between chunks). Raises
    ImportCancelled, or ImportRefused when there are errors and they are not to be skipped."""
    run = Validation(sheet, frozenset(tuple(json.loads(k)) for k in existing))
    refused = False
    seen_issues = 0
    while step := run.step(CHUNK_ROWS):
        if cancelled is not None and cancelled():
            raise ImportCancelled(run.done, run.total)
        issues = run.report().issues
        bad = {i.row for i in issues[seen_issues:] if i.severity == "error"}
        seen_issues = len(issues)
        refused = refused or bool(bad and not skip_invalid)
        if not refused:  # once refused, only the report is still wanted
            planner.plan(sheet.rows[run.done - step:run.done], bad)
        if progress is not None:
            progress(run.done, run.total)
    report = run.report()
    if refused or (report.errors and not skip_invalid):
        raise ImportRefused(report)
    return report


def _changes_of(result: ImportResult) -> ImportChanges:
    if result.changes is None:
        raise RuleViolation("a dry run imported nothing, so there is nothing to undo or redo")
    return result.changes


State = dict[str, tuple[StoredProfile, str]]  # id -> (profile as stored, its updated_at)


def _stale(repo: ProfileRepository, changes: ImportChanges, now: State, *,
           deleted: dict[str, bool]) -> list[tuple[str, str]]:
    """The profiles that are not as the last step (import, undo or redo) left them, with what
    happened: (id, "was edited"). `deleted` says, by id, whether the step deleted it.

    A profile still carrying the step's `updated_at` is untouched. One with another was
    written since — edited (and maybe edited back), or only synced (a pull rewrites
    `updated_at` without a change): it counts as unchanged when it holds the values the
    step left in it: the step's `digests` (`hash()` of the values, kept in memory, since
    neither the batch's audit row nor the outbox holds a copy of the imported rows); a later
    audit row of the profile tells an edit from a sync."""
    stale: list[tuple[str, str]] = []
    suspects: list[StoredProfile] = []
    left = _left_digests(changes)
    for profile_id, gone in deleted.items():
        state = now.get(profile_id)
        if state is None:
            stale.append((profile_id, "is gone"))
            continue
        stored, updated_at = state
        if stored.deleted != gone:
            stale.append((profile_id, "was deleted" if stored.deleted else "was restored"))
        elif updated_at != changes.stamp:
            suspects.append(stored)
    if suspects:
        later = repo.audit_since([p.id for p in suspects], changes.audit_upto)
        for p in suspects:
            if hash(p.values) != left[p.id]:
                stale.append((p.id, "was edited" if p.id in later else "was changed by a sync"))
    return stale


def _left_digests(changes: ImportChanges) -> dict[str, int]:
    """`hash()` of the values the last step left in each profile, by id: the imported ones,
    but after an undo the updated profiles hold their values from before the import."""
    left = dict(zip(changes.created_ids, changes.digests, strict=False))
    if changes.undone:
        left.update((p.id, hash(p.values)) for p in changes.updated_before)
    else:
        left.update(zip((p.id for p in changes.updated_before),
                        changes.digests[len(changes.created_ids):], strict=True))
    return left


def _already(now: State, created_ids: Sequence[str], created_deleted: bool,
             updated: Sequence[StoredProfile]) -> bool:
    """Whether the profiles are already as the step would leave them: the created ones
    deleted (or not), the updated ones live with these values."""
    for profile_id in created_ids:
        state = now.get(profile_id)
        if state is None or state[0].deleted != created_deleted:
            return False
    for want in updated:
        state = now.get(want.id)
        if state is None or state[0].deleted or state[0].values != want.values:
            return False
    return True


def _stale_text(stale: Sequence[tuple[str, str]], now: State) -> str:
    """"2 of its profiles changed ('Ada Lovelace' was edited, 'Bob Smith' was deleted)"."""
    named = []
    for profile_id, what in stale[:3]:
        state = now.get(profile_id)
        who = _who(Profile(*state[0].values)) if state is not None else f"profile {profile_id}"
        named.append(f"{who} {what}")
    more = f", and {len(stale) - 3:,} more" if len(stale) > 3 else ""
    count = "1 of its profiles" if len(stale) == 1 else f"{len(stale):,} of its profiles"
    return f"{count} changed ({', '.join(named)}{more})"


def _site_name(s: Any, site_id: str) -> str:
    site = Repository(s).site(site_id)
    return f"site '{site.name}'" if site is not None else "a deleted site"


def _check(profile: Profile) -> None:
    errors = [i for i in validate_values(profile.values()) if i.severity == "error"]
    if errors:
        raise ProfileInvalid(_who(profile), errors)


def _live(repo: ProfileRepository, profile_id: str) -> StoredProfile:
    stored = repo.get(profile_id)
    if stored is None or stored.deleted:
        raise NotFound(f"no client profile with id {profile_id}"
                       + (" (it was deleted)" if stored is not None else ""))
    return stored


def _refuse_duplicate(repo: ProfileRepository, site: Site, profile: Profile, key: str, *,
                      own_id: str | None, verb: str = "saved") -> None:
    owner = repo.owner(site.id, key)
    if owner is not None and owner.id != own_id:
        other = Profile(*owner.values)
        raise RuleViolation(
            f"the profile of {_who(profile)} was not {verb}: site '{site.name}' already has a "
            f"profile with {_key_text(json.loads(key))} ({_who(other)}, id {owner.id}); edit "
            "that profile instead")


def _check_rejects(sheet: Sheet, rejects: Path, skip_invalid: bool) -> None:
    if not skip_invalid:
        raise RuleViolation("a rejects file is written only when invalid rows are skipped "
                            "(skip_invalid / --skip-invalid)")
    suffix = rejects_suffix(sheet)
    if rejects.suffix.lower() != suffix:
        raise RuleViolation(f"the rejects file of this {sheet.source.upper()} import is "
                            f"written as {suffix[1:].upper()}: name it …{suffix}, not "
                            f"'{rejects.name}'")
    if not rejects.parent.is_dir():
        raise RuleViolation(f"cannot write the rejects file {rejects}: its folder "
                            f"{rejects.parent} does not exist")


_PAD = [""]
_SECOND, _THIRD = itemgetter(1), itemgetter(2)  # a create's values, an update's
_LAST, _FIRST = FIELDS.index("last_name"), FIELDS.index("first_name")


def _name_order(texts: Sequence[str]) -> tuple[str, str]:
    return texts[_LAST].casefold(), texts[_FIRST].casefold()


class _Planner:
    """Sorts accepted rows into new profiles, updates of existing ones and unchanged ones."""

    def __init__(self, sheet: Sheet, existing: dict[str, StoredProfile]) -> None:
        columns = sheet.columns
        positions = [columns.get(f, -1) for f in FIELDS]
        self._pad = -1 in positions
        self._get: Callable[[Sequence[str]], tuple[str, ...]] = itemgetter(*positions)
        self._existing = existing
        self._creates: list[NewProfile] = []
        self._updates: list[ProfileUpdate] = []
        self.created = self.updated = self.unchanged = 0

    def plan(self, rows: Iterable[Any], bad: Container[int]) -> None:
        """Sort the rows not in `bad` (rows with errors)."""
        creates, updates = self._creates, self._updates
        get, pad, existing = self._get, self._pad, self._existing
        for row in rows:
            if row.number in bad:
                continue
            texts: list[Any] = list(get(row.values + _PAD if pad else row.values))
            address = texts[2].strip()
            if address:  # profile_key's email branch, inlined: this runs for every row
                key = '["email",' + encode_basestring(address.casefold()) + "]"
            else:
                key = match_key_json(profile_key(texts[0], texts[1], address,
                                                 (texts[6], texts[10], texts[13])))
            texts[VIP] = texts[VIP].strip().casefold() == "yes"
            values = tuple(texts)
            before = existing.get(key)
            if before is None:
                creates.append((key, values))
            elif before.values == values:
                self.unchanged += 1
            else:
                updates.append((before, key, values))
        self.created, self.updated = len(creates), len(updates)

    @property
    def updates(self) -> list[ProfileUpdate]:
        return self._updates

    def chunks(self, size: int) -> Iterator[tuple[list[NewProfile], list[ProfileUpdate]]]:
        """The planned writes, `size` profiles at a time."""
        creates, updates = self._creates, self._updates
        for start in range(0, max(len(creates), len(updates)), size):
            yield creates[start:start + size], updates[start:start + size]
