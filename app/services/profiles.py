"""Help Desk client profiles of a site (issue 5): list, add, edit, delete and restore one by one;
validate, import and export spreadsheets. Reading, validating and writing files is
`app.profiles`; this module puts it together with the workspace.

    ws.profiles.import_sheet("Main Office", read_sheet(path), skip_invalid=True,
                             rejects=Path("rejects.csv"))

Import (DESIGN.md §4): the sheet is validated against the site's existing profiles; a profile
that matches one by `profile_key` (email, else name + first phone) updates it, an identical one
is left alone ("unchanged": no outbox or audit row). With any error and without `skip_invalid`
the import is refused (`ImportRefused`, carrying the report) and nothing is written. With
`skip_invalid` only rows without errors are imported and the others go to the rejects file.
Warnings never block. Everything lands in one transaction: all accepted rows with their outbox
and audit rows, or nothing (a failure or a cancel anywhere rolls it all back). A dry run
computes the same counts and writes nothing at all, not even the rejects file.

Order: the whole sheet is validated and planned first (progress and Cancel per 5,000 rows),
then one write transaction inserts and updates the accepted rows 5,000 at a time (Cancel is
checked between them too; it rolls back) and writes the rejects file before it commits.
Overlapping the SQLite writes with validation on a second thread was measured and dropped: the
GIL hand-offs around each sqlite3 step cost what the overlap saved.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring
from operator import itemgetter
from pathlib import Path
from typing import Any

from app.domain.errors import NotFound, RuleViolation
from app.domain.model import Site, new_id
from app.profiles import (
    FIELDS,
    Issue,
    Profile,
    ProfileKey,
    Report,
    Sheet,
    Validation,
    ValidationCancelled,
    export_profiles,
    validate_rows,
    validate_values,
    write_rejects,
)
from app.profiles.profile import profile_key
from app.services.hierarchy import resolve_site
from storage.database import Database
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


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did (or, with `dry_run`, would do)."""

    created: int
    updated: int
    unchanged: int
    rejected: int
    dry_run: bool
    report: Report
    rejects_path: Path | None

    def to_dict(self) -> dict[str, object]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "rejected": self.rejected, "dry_run": self.dry_run,
                "rejects_path": None if self.rejects_path is None else str(self.rejects_path),
                "report": self.report.to_dict()}


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
        records = [_record(p) for p in stored]
        records.sort(key=lambda r: (r.profile.last_name.casefold(),
                                    r.profile.first_name.casefold(), r.id))
        return records

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
        profiles = [r.profile for r in self.list(site)]
        return export_profiles(profiles, path)

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
        run = Validation(sheet, frozenset(tuple(json.loads(k)) for k in existing))
        planner = _Planner(sheet, existing)
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
        rejected = report.rows - report.valid_rows
        if dry_run:
            return ImportResult(planner.created, planner.updated, planner.unchanged, rejected,
                                True, report, None)
        written = False
        try:
            with self.db.write() as s:
                repo = ProfileRepository(s)
                with repo.bulk_mode():
                    for creates, updates in planner.chunks(CHUNK_ROWS):
                        if cancelled is not None and cancelled():
                            raise ImportCancelled(run.done, run.total)
                        repo.import_rows(target.id, creates, updates, "profile.import")
                if rejects is not None:  # inside the transaction: no file, no import
                    write_rejects(sheet, report, rejects)
                    written = True
        except BaseException:
            if written and rejects is not None:  # the commit failed: take the file back
                rejects.unlink(missing_ok=True)
            raise
        return ImportResult(planner.created, planner.updated, planner.unchanged, rejected,
                            False, report, rejects)


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

    def chunks(self, size: int) -> Iterator[tuple[list[NewProfile], list[ProfileUpdate]]]:
        """The planned writes, `size` profiles at a time."""
        creates, updates = self._creates, self._updates
        for start in range(0, max(len(creates), len(updates)), size):
            yield creates[start:start + size], updates[start:start + size]
