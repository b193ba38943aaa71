"""ProfileService (issue 5): import all-or-nothing, skip-invalid with rejects, re-import,
dry run, cancel, one-by-one edits with undo, undo and redo of an import, export round trips —
on real workspace files."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import uuid
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.errors import NotFound, RuleViolation
from app.profiles import (
    FIELDS,
    HEADERS,
    Profile,
    ValidationCancelled,
    read_sheet,
    validate_rows,
)
from app.services.profiles import (
    ImportCancelled,
    ImportChanged,
    ImportRefused,
    ImportResult,
    ProfileInvalid,
    ProfileRecord,
)
from app.services.workspace import Workspace
from app.sync import SyncEngine
from storage.changes import counter_ids, record_history, time_ordered_ids
from storage.profile_repository import (
    PROFILE_FIELDS,
    match_key_json,
    payload_json,
    profile_payload,
)
from tests.cli.helpers import assert_unchanged, snapshot
from tests.profiles.conftest import row, write_csv, write_xlsx

SITE = "Main Office"


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    """An empty workspace with company Contoso and its site "Main Office"."""
    workspace.companies.create("Contoso")
    workspace.sites.create("Contoso", SITE)
    return workspace


def counts(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as db:
        return {t: int(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
                for t in ("client_profiles", "outbox", "audit")}


def outbox(path: Path, entity_id: str) -> list[tuple[str, Any, int]]:
    """The record's outbox rows: (op, payload, base version); payload None: the push sends
    the record as it is then (bulk changes)."""
    with closing(sqlite3.connect(path)) as db:
        return [(r[0], r[1] and json.loads(r[1]), r[2]) for r in db.execute(
            "SELECT op, payload_json, base_version FROM outbox WHERE entity_id = ? "
            "ORDER BY seq", (entity_id,))]


def audit(ws: Workspace, entity_id: str) -> list[tuple[str, Any, Any]]:
    """The profile's history as the audit view shows it: (action, before, after), from its own
    audit rows and from the batches (imports, their undo and redo) that name it."""
    with ws.db.read() as s:
        return [(e.action, e.before, e.after)
                for e in record_history(s, "client_profile", entity_id)]


def pushed(ws: Workspace) -> dict[str, tuple[str, Any, int]]:
    """What a push would send now, by record id: (op, payload, base version)."""
    return {i.id: (i.op, i.payload, i.base_version)
            for i in SyncEngine(ws.db, None).plan()}  # type: ignore[arg-type]


def batches(path: Path, after: int = 0) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """The audit rows of bulk changes newer than seq `after`: (action, what, before)."""
    with closing(sqlite3.connect(path)) as db:
        return [(r[0], json.loads(r[1]), json.loads(r[2])) for r in db.execute(
            "SELECT action, after_json, before_json FROM audit WHERE entity = 'batch' AND "
            "seq > ? ORDER BY seq", (after,))]


def profile(n: int = 0, **changes: str) -> Profile:
    return Profile.from_values(dict(zip(FIELDS, row(n, **changes), strict=True)))


def rows(count: int, start: int = 0) -> list[list[Any]]:
    return [row(n) for n in range(start, start + count)]


# --- the storage contract ---------------------------------------------------------------------

def test_storage_fields_are_the_template_fields() -> None:
    assert PROFILE_FIELDS == FIELDS


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(), min_size=15, max_size=15), st.booleans())
def test_payload_json_is_json_dumps_of_the_payload(texts: list[str], vip: bool) -> None:
    values = (*texts[:4], vip, *texts[4:])
    fast = payload_json("id-1", "site-1", values)
    assert fast == json.dumps(profile_payload("id-1", "site-1", values), sort_keys=True,
                              ensure_ascii=False)
    assert json.loads(fast)["vip"] is vip


@given(st.lists(st.text(), min_size=1, max_size=4))
def test_match_key_json_is_compact_json(key: list[str]) -> None:
    text = match_key_json(key)
    assert text == json.dumps(key, ensure_ascii=False, separators=(",", ":"))
    assert json.loads(text) == key


@pytest.mark.parametrize("start", [0, (0x123 << 48) + 5, (0xFFF << 48) - 3, (1 << 60) - 2])
def test_counter_ids_carry_over_the_low_48_bits(start: int) -> None:
    prefix = "0190a1b2-c3d4-7e5f-"
    assert counter_ids(prefix, start, 7) == [
        f"{prefix}{0x8000 | c >> 48:04x}-{c & 0xFFFF_FFFF_FFFF:012x}"
        for c in range(start, start + 7)]


def test_time_ordered_ids_are_distinct_sorted_uuid7() -> None:
    ids = time_ordered_ids(10_000)
    assert len(set(ids)) == 10_000
    assert ids == sorted(ids)
    for text in (ids[0], ids[-1]):
        parsed = uuid.UUID(text)
        assert str(parsed) == text
        assert parsed.version == 7
        assert parsed.variant == uuid.RFC_4122
    assert time_ordered_ids(0) == []


# --- import: all or nothing -----------------------------------------------------------------

def test_an_error_on_the_last_of_10k_rows_imports_nothing(ws: Workspace, tmp_path: Path
                                                          ) -> None:
    data = rows(10_000)
    data[-1] = row(9_999, mobile_phone="201-555-0123")
    sheet = read_sheet(write_csv(tmp_path / "p.csv", data))
    before = snapshot(ws.path)
    with pytest.raises(ImportRefused) as caught:
        ws.profiles.import_sheet(SITE, sheet)
    error = caught.value
    assert isinstance(error, RuleViolation)
    assert [(i.row, i.column, i.code) for i in error.report.issues] == [
        (10_001, "Mobile Phone", "phone.not_digits")]
    assert error.report.rows == 10_000
    assert error.report.valid_rows == 9_999
    message = str(error)
    assert "1 row(s)" in message
    assert "nothing was imported" in message
    assert "--skip-invalid" in message
    assert counts(ws.path) == {"client_profiles": 0, "outbox": before["outbox"].__len__(),
                               "audit": before["audit"].__len__()}
    assert_unchanged(before, snapshot(ws.path))
    assert ws.profiles.list(SITE) == []


def test_a_database_failure_on_the_last_row_rolls_everything_back(ws: Workspace,
                                                                  tmp_path: Path) -> None:
    # A trigger makes SQLite itself refuse the very last profile of 10k (a real failure in the
    # middle of the write, after 9,999 rows went in).
    with closing(sqlite3.connect(ws.path)) as db:
        db.execute("CREATE TRIGGER refuse_last BEFORE INSERT ON client_profiles "
                   "WHEN NEW.email = 'ada9999@contoso.com' "
                   "BEGIN SELECT RAISE(ABORT, 'disk says no'); END")
        db.commit()
    sheet = read_sheet(write_csv(tmp_path / "p.csv", rows(10_000)))
    before = snapshot(ws.path)
    with pytest.raises(RuleViolation, match="disk says no"):
        ws.profiles.import_sheet(SITE, sheet)
    assert_unchanged(before, snapshot(ws.path))
    assert counts(ws.path)["client_profiles"] == 0


def test_header_errors_refuse_the_import(ws: Workspace, tmp_path: Path) -> None:
    headers = [h for h in HEADERS if h != "Office Country Code"]
    data = [[v for h, v in zip(HEADERS, r, strict=True) if h != "Office Country Code"]
            for r in rows(3)]
    sheet = read_sheet(write_csv(tmp_path / "p.csv", data, headers=headers))
    before = snapshot(ws.path)
    with pytest.raises(ImportRefused) as caught:
        ws.profiles.import_sheet(SITE, sheet)
    assert (1, "Office Country Code", "header.missing_column") in [
        (i.row, i.column, i.code) for i in caught.value.report.issues]
    assert "the header row among them" in str(caught.value)
    assert_unchanged(before, snapshot(ws.path))


def test_cancel_writes_nothing(ws: Workspace, tmp_path: Path) -> None:
    sheet = read_sheet(write_csv(tmp_path / "p.csv", rows(12_000)))
    before = snapshot(ws.path)
    seen: list[tuple[int, int]] = []
    with pytest.raises(ImportCancelled) as caught:
        ws.profiles.import_sheet(SITE, sheet, progress=lambda d, t: seen.append((d, t)),
                                 cancelled=lambda: len(seen) >= 2)
    assert isinstance(caught.value, ValidationCancelled)
    assert "nothing was imported" in str(caught.value)
    assert (caught.value.done, caught.value.total) == (12_000, 12_000)
    assert seen == [(5_000, 12_000), (10_000, 12_000)]
    assert_unchanged(before, snapshot(ws.path))
    with pytest.raises(ValidationCancelled):
        ws.profiles.validate(SITE, sheet, cancelled=lambda: True)


def test_cancel_while_writing_rolls_back(ws: Workspace, tmp_path: Path) -> None:
    sheet = read_sheet(write_csv(tmp_path / "p.csv", rows(12_000)))
    before = snapshot(ws.path)
    checks: list[int] = []

    def cancelled() -> bool:  # asked after each validated chunk (3), then before each write
        checks.append(1)
        return len(checks) == 5  # after the first 5,000 profiles went into the transaction

    rejects = tmp_path / "r.csv"
    rejects.write_text("the user's own file\n", encoding="utf-8")
    with pytest.raises(ImportCancelled, match="nothing was imported"):
        ws.profiles.import_sheet(SITE, sheet, skip_invalid=True, rejects=rejects,
                                 cancelled=cancelled)
    assert len(checks) == 5
    assert_unchanged(before, snapshot(ws.path))
    assert rejects.read_text(encoding="utf-8") == "the user's own file\n"  # not touched


def test_import_writes_profiles_outbox_and_audit(ws: Workspace, tmp_path: Path) -> None:
    sheet = read_sheet(write_csv(tmp_path / "p.csv", rows(3)))
    before = counts(ws.path)
    result = ws.profiles.import_sheet(SITE, sheet)
    assert (result.created, result.updated, result.unchanged, result.rejected) == (3, 0, 0, 0)
    assert not result.dry_run
    assert result.rejects_path is None
    assert counts(ws.path) == {"client_profiles": 3, "outbox": before["outbox"] + 3,
                               "audit": before["audit"] + 1}  # one audit row: the batch
    records = ws.profiles.list(SITE)
    assert [r.profile for r in records] == [profile(n) for n in range(3)]
    site_id = ws.sites.get(SITE).id
    first = records[0]
    assert first.site_id == site_id
    assert first.version == 0
    assert uuid.UUID(first.id).version == 7
    expected = {"id": first.id, "site_id": site_id, **first.profile.values(), "vip": False}
    assert outbox(ws.path, first.id) == [("upsert", None, 0)]  # no copy: the push reads it
    assert pushed(ws)[first.id] == ("upsert", expected, 0)
    assert audit(ws, first.id) == [("profile.import", None, None)]
    ((action, what, befores),) = batches(ws.path)
    assert action == "profile.import"
    assert what == {"entity": "client_profile", "site_id": site_id, "file": "p.csv",
                    "sha256": hashlib.sha256((tmp_path / "p.csv").read_bytes()).hexdigest(),
                    "created": [r.id for r in sorted(records, key=lambda r: r.id)],
                    "updated": []}
    assert befores == {}


def test_result_to_dict(ws: Workspace, tmp_path: Path) -> None:
    sheet = read_sheet(write_csv(tmp_path / "p.csv", [row(0), row(1, mobile_phone="x1")]))
    result = ws.profiles.import_sheet(SITE, sheet, skip_invalid=True,
                                      rejects=tmp_path / "r.csv")
    assert isinstance(result, ImportResult)
    body = result.to_dict()
    assert body == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 1,
                    "dry_run": False, "rejects_path": str(tmp_path / "r.csv"),
                    "report": result.report.to_dict()}
    assert body["report"]["rows"] == 2  # type: ignore[index]
    json.dumps(body)


# --- skip-invalid and the rejects file --------------------------------------------------------

BAD_ROWS = {3: ("Mobile Phone", "201-555-0123"), 5: ("Mobile Country Code", "UK"),
            6: ("Last Name", "")}


def _mixed() -> list[list[Any]]:
    data = rows(6)
    data[1] = row(1, mobile_phone="201-555-0123")
    data[3] = row(3, mobile_country_code="UK", mobile_phone="07400123456")
    data[4] = row(4, last_name="")
    return data


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_skip_invalid_imports_the_valid_rows_and_writes_rejects(
        ws: Workspace, tmp_path: Path, fmt: str) -> None:
    source = tmp_path / f"p.{fmt}"
    (write_csv if fmt == "csv" else write_xlsx)(source, _mixed())
    sheet = read_sheet(source)
    rejects = tmp_path / f"rejects.{fmt}"
    result = ws.profiles.import_sheet(SITE, sheet, skip_invalid=True, rejects=rejects)
    assert (result.created, result.updated, result.unchanged, result.rejected) == (3, 0, 0, 3)
    assert result.rejects_path == rejects
    assert sorted(r.profile.email for r in ws.profiles.list(SITE)) == [
        "ada0@contoso.com", "ada2@contoso.com", "ada5@contoso.com"]
    back = read_sheet(rejects)
    assert back.source == fmt
    assert back.headers == (*HEADERS, "Errors")
    assert [r.values[:16] for r in back.rows] == [
        [str(v) for v in r] for i, r in enumerate(_mixed()) if i + 2 in BAD_ROWS]
    errors = [r.values[16] for r in back.rows]
    assert errors == [
        "Mobile Phone: Write Mobile Phone with digits only: no spaces, hyphens, brackets, "
        "dots or '+'.",
        "Mobile Country Code: 'UK' is not a 2-letter ISO country code. Use GB.",
        "Last Name*: Enter the client's last name.",
    ]
    # Round trip: the rejects file validates to the same errors (plus the Errors column,
    # which is not a template column), and once its rows are fixed it imports.
    report = validate_rows(back)
    assert [(i.code) for i in report.issues if i.severity == "error"] == [
        "phone.not_digits", "country_code.invalid", "name.required"]
    assert [i.code for i in report.issues if i.severity == "warning"] == [
        "header.unknown_column"]
    fixed = [row(1), row(3, mobile_country_code="GB", mobile_phone="07400123456"), row(4)]
    again = ws.profiles.import_sheet(SITE, read_sheet(
        (write_csv if fmt == "csv" else write_xlsx)(tmp_path / f"fixed.{fmt}", fixed)))
    assert (again.created, again.rejected) == (3, 0)
    assert len(ws.profiles.list(SITE)) == 6


def test_rejects_file_is_written_even_when_nothing_is_rejected(ws: Workspace,
                                                               tmp_path: Path) -> None:
    rejects = tmp_path / "r.csv"
    rejects.write_text("stale rows of an earlier run\n", encoding="utf-8")
    result = ws.profiles.import_sheet(SITE, read_sheet(write_csv(tmp_path / "p.csv", rows(2))),
                                      skip_invalid=True, rejects=rejects)
    assert result.rejected == 0
    assert rejects.read_text(encoding="utf-8-sig").splitlines() == [
        ",".join([*HEADERS, "Errors"])]


def test_rejects_needs_skip_invalid_and_the_sheets_format(ws: Workspace, tmp_path: Path
                                                          ) -> None:
    sheet = read_sheet(write_csv(tmp_path / "p.csv", _mixed()))
    before = snapshot(ws.path)
    with pytest.raises(RuleViolation, match="skip"):
        ws.profiles.import_sheet(SITE, sheet, rejects=tmp_path / "r.csv")
    with pytest.raises(RuleViolation, match=r"name it …\.csv, not 'r\.xlsx'"):
        ws.profiles.import_sheet(SITE, sheet, skip_invalid=True, rejects=tmp_path / "r.xlsx")
    with pytest.raises(RuleViolation, match="does not exist"):
        ws.profiles.import_sheet(SITE, sheet, skip_invalid=True,
                                 rejects=tmp_path / "nowhere" / "r.csv")
    assert_unchanged(before, snapshot(ws.path))
    assert not (tmp_path / "r.csv").exists()


# --- re-import and dry run ----------------------------------------------------------------------

def test_reimport_updates_instead_of_duplicating(ws: Workspace, tmp_path: Path) -> None:
    first = ws.profiles.import_sheet(SITE, read_sheet(write_csv(tmp_path / "a.csv", rows(5))))
    assert first.created == 5
    ids = {r.profile.email: r.id for r in ws.profiles.list(SITE)}
    after_first = counts(ws.path)
    same = ws.profiles.import_sheet(SITE, read_sheet(write_csv(tmp_path / "b.csv", rows(5))))
    assert (same.created, same.updated, same.unchanged, same.rejected) == (0, 0, 5, 0)
    assert counts(ws.path) == after_first  # unchanged rows write no outbox or audit row
    assert {i.code for i in same.report.issues} == {"duplicate.existing"}
    changed = rows(6)
    changed[2] = row(2, title="Chief Engineer")
    changed[4] = row(4, email="ADA4@Contoso.com", vip="Yes")  # same person: email has no case
    result = ws.profiles.import_sheet(SITE, read_sheet(write_csv(tmp_path / "c.csv", changed)))
    assert (result.created, result.updated, result.unchanged) == (1, 2, 3)
    records = ws.profiles.list(SITE)
    assert len(records) == 6
    by_id = {r.id: r for r in records}
    assert by_id[ids["ada2@contoso.com"]].profile.title == "Chief Engineer"
    updated = by_id[ids["ada4@contoso.com"]].profile
    assert (updated.email, updated.vip) == ("ADA4@Contoso.com", True)
    assert counts(ws.path) == {"client_profiles": 6, "outbox": after_first["outbox"] + 3,
                               "audit": after_first["audit"] + 1}
    history = audit(ws, ids["ada2@contoso.com"])
    assert [a[0] for a in history] == ["profile.import", "profile.import"]
    assert history[1][1]["title"] == "Engineer"  # the state before, from the batch
    assert outbox(ws.path, ids["ada2@contoso.com"])[1][0] == "upsert"
    assert pushed(ws)[ids["ada2@contoso.com"]][1]["title"] == "Chief Engineer"


def test_reimport_matches_by_name_and_phone_without_email(ws: Workspace, tmp_path: Path
                                                          ) -> None:
    data = [row(0, email=""), row(1, email="", first_name="Grace", mobile_phone="2015550124")]
    ws.profiles.import_sheet(SITE, read_sheet(write_csv(tmp_path / "a.csv", data)))
    data[0] = row(0, email="", title="Countess")
    result = ws.profiles.import_sheet(SITE, read_sheet(write_csv(tmp_path / "b.csv", data)))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assert len(ws.profiles.list(SITE)) == 2


def test_dry_run_counts_the_same_and_writes_nothing(ws: Workspace, tmp_path: Path) -> None:
    ws.profiles.import_sheet(SITE, read_sheet(write_csv(tmp_path / "a.csv", rows(3))))
    data = [*rows(4), row(9, mobile_phone="12")]
    data[1] = row(1, title="Boss")
    sheet = read_sheet(write_csv(tmp_path / "b.csv", data))
    before = snapshot(ws.path)
    rejects = tmp_path / "r.csv"
    dry = ws.profiles.import_sheet(SITE, sheet, skip_invalid=True, dry_run=True,
                                   rejects=rejects)
    assert dry.dry_run
    assert (dry.created, dry.updated, dry.unchanged, dry.rejected) == (1, 1, 2, 1)
    assert dry.rejects_path is None
    assert not rejects.exists()
    assert_unchanged(before, snapshot(ws.path))
    with pytest.raises(ImportRefused):
        ws.profiles.import_sheet(SITE, sheet, dry_run=True)
    real = ws.profiles.import_sheet(SITE, sheet, skip_invalid=True)
    assert (real.created, real.updated, real.unchanged, real.rejected) == (1, 1, 2, 1)


def test_warnings_do_not_block(ws: Workspace, tmp_path: Path) -> None:
    sheet = read_sheet(write_csv(tmp_path / "p.csv", [row(0, mobile_provider="Verizon")]))
    result = ws.profiles.import_sheet(SITE, sheet)
    assert result.created == 1
    assert [i.code for i in result.report.issues] == ["provider.not_blank"]


def test_unknown_site_is_refused_before_anything(ws: Workspace, tmp_path: Path) -> None:
    sheet = read_sheet(write_csv(tmp_path / "p.csv", rows(1)))
    with pytest.raises(NotFound, match="no site with id or name 'Nowhere'"):
        ws.profiles.import_sheet("Nowhere", sheet)
    with pytest.raises(NotFound):
        ws.profiles.list("Nowhere")


def test_validate_with_site_finds_existing_profiles(ws: Workspace, tmp_path: Path) -> None:
    ws.profiles.add(SITE, profile(0))
    sheet = read_sheet(write_csv(tmp_path / "p.csv", rows(2)))
    assert ws.profiles.existing_keys(SITE) == frozenset({("email", "ada0@contoso.com")})
    report = ws.profiles.validate(SITE, sheet)
    assert [(i.row, i.code, i.severity) for i in report.issues] == [
        (2, "duplicate.existing", "warning")]
    assert validate_rows(sheet).issues == ()
    assert ws.profiles.validate(None, sheet).issues == ()


# --- one by one: add, update, delete, restore ----------------------------------------------------

def test_add_update_delete_restore(ws: Workspace) -> None:
    site_id = ws.sites.get(SITE).id
    added = ws.profiles.add(SITE, profile(1))
    assert isinstance(added, ProfileRecord)
    assert (added.site_id, added.profile, added.version) == (site_id, profile(1), 0)
    assert ws.profiles.add(site_id, profile(2), profile_id="fixed-id").id == "fixed-id"
    assert [r.id for r in ws.profiles.list(SITE)] == [added.id, "fixed-id"]

    edited = ws.profiles.update(added.id, profile(1, title="CTO"))
    assert edited.profile.title == "CTO"
    assert edited.id == added.id
    outbox_before = counts(ws.path)["outbox"]
    assert ws.profiles.update(added.id, profile(1, title="CTO")) == edited  # no change
    assert counts(ws.path)["outbox"] == outbox_before

    gone = ws.profiles.delete(added.id)
    assert gone == edited
    assert [r.id for r in ws.profiles.list(SITE)] == ["fixed-id"]
    back = ws.profiles.restore(added.id)
    assert back == edited
    assert [r.id for r in ws.profiles.list(SITE)] == [added.id, "fixed-id"]

    ops = [(op, payload.get("title"), base) for op, payload, base in outbox(ws.path, added.id)]
    assert ops == [("upsert", "Engineer", 0), ("upsert", "CTO", 0),
                   ("delete", None, 0), ("upsert", "CTO", 0)]
    actions = [a[0] for a in audit(ws, added.id)]
    assert actions == ["profile.create", "profile.update", "profile.delete", "profile.restore"]
    deleted = audit(ws, added.id)[2]
    assert deleted[1]["title"] == "CTO"
    assert deleted[2] is None


def test_invalid_profile_is_refused_naming_the_field(ws: Workspace) -> None:
    before = snapshot(ws.path)
    with pytest.raises(ProfileInvalid) as caught:
        ws.profiles.add(SITE, profile(0, mobile_phone="201-555-0123", first_name=""))
    message = str(caught.value)
    assert "First Name*: Enter the client's first name." in message
    assert "Mobile Phone: Write Mobile Phone with digits only" in message
    assert [(i.column, i.code) for i in caught.value.issues] == [
        ("First Name*", "name.required"), ("Mobile Phone", "phone.not_digits")]
    added = ws.profiles.add(SITE, profile(0))
    with pytest.raises(ProfileInvalid, match="'UK' is not a 2-letter ISO country code"):
        ws.profiles.update(added.id, profile(0, mobile_country_code="UK"))
    assert ws.profiles.list(SITE)[0].profile == profile(0)
    assert_unchanged({k: v for k, v in before.items() if k not in ("client_profiles",
                                                                  "outbox", "audit")},
                     {k: v for k, v in snapshot(ws.path).items()
                      if k not in ("client_profiles", "outbox", "audit")})


def test_duplicates_are_refused(ws: Workspace) -> None:
    first = ws.profiles.add(SITE, profile(0))
    second = ws.profiles.add(SITE, profile(1))
    before = snapshot(ws.path)
    with pytest.raises(RuleViolation) as caught:
        ws.profiles.add(SITE, profile(5, email="ADA0@contoso.com"))
    message = str(caught.value)
    assert "already has a profile with the email ada0@contoso.com" in message
    assert first.id in message
    assert "edit that profile instead" in message
    with pytest.raises(RuleViolation, match=r"the email ada0@contoso\.com"):
        ws.profiles.update(second.id, profile(1, email="ada0@contoso.com"))
    with pytest.raises(RuleViolation, match="already exists"):
        ws.profiles.add(SITE, profile(7), profile_id=first.id)
    assert_unchanged(before, snapshot(ws.path))
    # the same person at another site is fine
    ws.sites.create("Contoso", "Branch")
    assert ws.profiles.add("Branch", profile(0)).profile == profile(0)


def test_restore_refusals(ws: Workspace) -> None:
    first = ws.profiles.add(SITE, profile(0))
    with pytest.raises(RuleViolation, match="is not deleted"):
        ws.profiles.restore(first.id)
    ws.profiles.delete(first.id)
    with pytest.raises(NotFound, match="was deleted"):
        ws.profiles.delete(first.id)
    with pytest.raises(NotFound, match="was deleted"):
        ws.profiles.update(first.id, profile(0))
    replacement = ws.profiles.add(SITE, profile(0, title="New"))  # the key is free again
    with pytest.raises(RuleViolation, match=f"not restored.*id {replacement.id}"):
        ws.profiles.restore(first.id)
    with pytest.raises(NotFound, match="no client profile with id nope"):
        ws.profiles.restore("nope")
    with pytest.raises(NotFound, match="no client profile with id nope"):
        ws.profiles.delete("nope")
    ws.profiles.delete(replacement.id)
    ws.sites.delete(SITE)
    with pytest.raises(RuleViolation, match="restore the site first"):
        ws.profiles.restore(first.id)


def test_list_orders_by_last_then_first_name(ws: Workspace) -> None:
    for n, (first, last) in enumerate([("Zoë", "Adams"), ("anna", "Ödegaard"),
                                       ("Bob", "adams"), ("Émile", "Zola")]):
        ws.profiles.add(SITE, profile(n, first_name=first, last_name=last))
    assert [(r.profile.first_name, r.profile.last_name) for r in ws.profiles.list(SITE)] == [
        ("Bob", "adams"), ("Zoë", "Adams"), ("Émile", "Zola"), ("anna", "Ödegaard")]


# --- export --------------------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_revalidates_with_zero_findings(ws: Workspace, tmp_path: Path,
                                               suffix: str) -> None:
    data = [*rows(20), row(21, computer_name="-PC", email="", mobile_phone="2015550199"),
            row(22, first_name="Zoë", last_name="O'Brien", vip="Yes")]
    ws.profiles.import_sheet(SITE, read_sheet(write_csv(tmp_path / "in.csv", data)))
    # typed in the form: text that a spreadsheet would take for a formula
    ws.profiles.add(SITE, profile(20, title="=SUM(A1:A2)", notes="+1 call first\nthen @desk"))
    out = tmp_path / f"out{suffix}"
    assert ws.profiles.export(SITE, out) == 23
    sheet = read_sheet(out)
    assert validate_rows(sheet).issues == ()
    assert ws.profiles.validate(None, sheet).valid_rows == 23
    exported = {r.values[2] or r.values[0]: r.values for r in sheet.rows}
    assert exported["ada20@contoso.com"][3] == "=SUM(A1:A2)"
    # and importing it back changes nothing
    result = ws.profiles.import_sheet(SITE, sheet)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 23)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_writes_the_live_profiles_as_listed(ws: Workspace, tmp_path: Path,
                                                   suffix: str) -> None:
    # names that sort apart only without case or accents, two people of the same name (the
    # id breaks the tie, as in the list), a VIP, and a deleted profile that stays out
    bobs: list[tuple[str, str]] = []
    for n, (first, last, vip) in enumerate([("Zoë", "Adams", "No"), ("anna", "Ödegaard", "Yes"),
                                            ("Bob", "adams", "No"), ("Bob", "adams", "Yes"),
                                            ("Émile", "Zola", "")]):
        added = ws.profiles.add(SITE, profile(n, first_name=first, last_name=last, vip=vip))
        if first == "Bob":
            bobs.append((added.id, vip))
    gone = ws.profiles.add(SITE, profile(9, first_name="Gone", last_name="Away"))
    ws.profiles.delete(gone.id)
    out = tmp_path / f"out{suffix}"
    assert ws.profiles.export(SITE, out) == 5
    exported = [r.values[:16] for r in read_sheet(out).rows]
    assert exported == [r.profile.texts() for r in ws.profiles.list(SITE)]
    assert [(v[0], v[1], v[4]) for v in exported] == [
        *(("Bob", "adams", vip) for _id, vip in sorted(bobs)), ("Zoë", "Adams", "No"),
        ("Émile", "Zola", "No"), ("anna", "Ödegaard", "Yes")]


def test_export_refuses_other_suffixes(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(RuleViolation, match=r"name the file \.xlsx or \.csv"):
        ws.profiles.export(SITE, tmp_path / "out.ods")
    assert not (tmp_path / "out.ods").exists()


def test_export_of_an_empty_site_writes_the_header(ws: Workspace, tmp_path: Path) -> None:
    assert ws.profiles.export(SITE, tmp_path / "e.csv") == 0
    assert (tmp_path / "e.csv").read_text(encoding="utf-8-sig").splitlines() == [
        ",".join(HEADERS)]


@pytest.fixture
def two_sites(ws: Workspace) -> Workspace:
    ws.sites.create("Contoso", "Branch")
    return ws


def test_profiles_stay_with_their_site(two_sites: Workspace, tmp_path: Path) -> None:
    ws = two_sites
    ws.profiles.import_sheet(SITE, read_sheet(write_csv(tmp_path / "a.csv", rows(3))))
    result = ws.profiles.import_sheet("Branch",
                                      read_sheet(write_csv(tmp_path / "b.csv", rows(2))))
    assert result.created == 2  # the same people at another site are other profiles
    assert len(ws.profiles.list(SITE)) == 3
    assert len(ws.profiles.list("Branch")) == 2


def test_bulk_column_orders_need_no_reordering() -> None:
    """The tuples the bulk path builds are already in the order the compiled INSERT binds."""
    from sqlalchemy import insert
    from sqlalchemy.dialects import sqlite

    from storage.changes import AUDIT, AUDIT_COLUMNS, OUTBOX, OUTBOX_COLUMNS
    from storage.profile_repository import INSERT_COLUMNS, PROFILES

    for table, columns in ((PROFILES, INSERT_COLUMNS), (OUTBOX, OUTBOX_COLUMNS),
                           (AUDIT, AUDIT_COLUMNS)):
        compiled = insert(table).compile(dialect=sqlite.dialect(), column_keys=list(columns))
        assert tuple(compiled.positiontup or ()) == columns


def test_update_moves_the_match_key(ws: Workspace, tmp_path: Path) -> None:
    added = ws.profiles.add(SITE, profile(0))
    ws.profiles.update(added.id, profile(0, email="countess@contoso.com"))
    assert ws.profiles.existing_keys(SITE) == frozenset({("email", "countess@contoso.com")})
    # the old address is free again; the new one is matched by a re-import
    assert ws.profiles.add(SITE, profile(0)).profile.email == "ada0@contoso.com"
    sheet = read_sheet(write_csv(tmp_path / "p.csv", [row(0, email="Countess@contoso.com")]))
    result = ws.profiles.import_sheet(SITE, sheet)
    assert (result.created, result.updated) == (0, 1)
    by_email = {r.profile.email: r.id for r in ws.profiles.list(SITE)}
    assert by_email["Countess@contoso.com"] == added.id
    assert len(by_email) == 2


# --- undo and redo of an import ---------------------------------------------------------------

def live_state(path: Path, site_id: str) -> dict[str, tuple[Any, ...]]:
    """The site's live profiles, by id: every column but the clock (updated_at)."""
    with closing(sqlite3.connect(path)) as db:
        cursor = db.execute("SELECT * FROM client_profiles WHERE site_id = ? AND "
                            "deleted_at IS NULL", (site_id,))
        names = [d[0] for d in cursor.description]
        keep = [i for i, name in enumerate(names) if name != "updated_at"]
        return {r[names.index("id")]: tuple(r[i] for i in keep) for r in cursor}


def new_rows(path: Path, table: str, after: int) -> list[sqlite3.Row]:
    with closing(sqlite3.connect(path)) as db:
        db.row_factory = sqlite3.Row
        return db.execute(f"SELECT * FROM {table} WHERE seq > ? ORDER BY seq",
                          (after,)).fetchall()


def last_seq(path: Path, table: str) -> int:
    with closing(sqlite3.connect(path)) as db:
        return int(db.execute(f"SELECT coalesce(max(seq), 0) FROM {table}").fetchone()[0])


@pytest.fixture
def mixed(ws: Workspace, tmp_path: Path) -> tuple[Workspace, ImportResult, dict[str, Any]]:
    """A site with 5 profiles (4 imported, 1 added by hand), then an import of 8 rows: 2 update
    existing profiles, 3 are unchanged, 3 are new. Returns the workspace, the second import's
    result and the site's live profiles just before it."""
    ws.profiles.import_sheet(SITE, read_sheet(write_csv(tmp_path / "a.csv", rows(4))))
    ws.profiles.add(SITE, profile(4))
    before = live_state(ws.path, ws.sites.get(SITE).id)
    data = rows(8)
    data[1] = row(1, title="Chief Engineer")
    data[4] = row(4, vip="Yes", notes="by hand, then imported")
    result = ws.profiles.import_sheet(SITE, read_sheet(write_csv(tmp_path / "b.csv", data)))
    assert (result.created, result.updated, result.unchanged) == (3, 2, 3)
    return ws, result, before


def test_a_real_import_carries_what_undo_needs(mixed: tuple[Workspace, ImportResult, Any]
                                               ) -> None:
    ws, result, before = mixed
    changes = result.changes
    assert changes is not None
    assert changes.site_id == ws.sites.get(SITE).id
    assert (changes.created, changes.updated, changes.undone) == (3, 2, False)
    live = {r.id: r.profile for r in ws.profiles.list(SITE)}
    assert [live[i].email for i in changes.created_ids] == [
        "ada5@contoso.com", "ada6@contoso.com", "ada7@contoso.com"]
    assert {p.id for p in changes.updated_before} <= set(before)
    assert [p.values[3] for p in changes.updated_before] == ["Engineer", "Engineer"]
    assert changes.updated_after == ()  # no copy of the imported rows
    with closing(sqlite3.connect(ws.path)) as db:  # one stamp for every row it wrote
        stamps = {r[0] for r in db.execute(
            "SELECT updated_at FROM client_profiles WHERE id IN (?, ?, ?, ?, ?)",
            (*changes.created_ids, *(p.id for p in changes.updated_before)))}
        assert stamps == {changes.stamp}
        actions = [r[0] for r in db.execute("SELECT action FROM audit WHERE seq > ? AND "
                                            "seq <= ?", (changes.audit_after,
                                                         changes.audit_upto))]
        assert actions == ["profile.import"]  # one row for the batch
    assert "created=3" in repr(changes)
    assert "changes" not in repr(result)  # no 100k rows in a log line
    assert not result.undone


def test_undo_import_puts_the_site_back_exactly(mixed: tuple[Workspace, ImportResult, Any]
                                                ) -> None:
    ws, result, before = mixed
    site_id = ws.sites.get(SITE).id
    assert result.changes is not None
    created = result.changes.created_ids
    updated = [p.id for p in result.changes.updated_before]
    outbox_seq, audit_seq = last_seq(ws.path, "outbox"), last_seq(ws.path, "audit")
    total = counts(ws.path)["client_profiles"]

    undone = ws.profiles.undo_import(result)

    assert undone.undone
    assert (undone.created, undone.updated, undone.unchanged) == (3, 2, 3)
    assert undone.changes is not None
    assert undone.changes.created_ids == created
    assert live_state(ws.path, site_id) == before  # the same ids, the same values
    assert counts(ws.path)["client_profiles"] == total  # tombstones, nothing hard-deleted
    with closing(sqlite3.connect(ws.path)) as db:
        assert db.execute("SELECT count(*) FROM client_profiles WHERE deleted_at IS NOT NULL"
                          ).fetchone()[0] == 3
    out = new_rows(ws.path, "outbox", outbox_seq)
    assert sorted((r["entity_id"], r["op"]) for r in out) == sorted(
        [(i, "delete") for i in created] + [(i, "upsert") for i in updated])
    assert all(r["entity"] == "client_profile" and r["base_version"] == 0 for r in out)
    assert all(r["payload_json"] is None for r in out)  # the push reads the records
    plan = pushed(ws)
    upserts = {i: payload for i, (op, payload, _v) in plan.items() if op == "upsert"}
    assert {upserts[i]["title"] for i in updated} == {"Engineer"}
    assert upserts[updated[1]]["vip"] is False
    assert [plan[i] for i in created] == [("delete", {"id": i}, 0) for i in created]
    ((action, what, befores),) = batches(ws.path, audit_seq)  # one audit row for the undo
    assert action == "profile.import_undo"
    assert (what["deleted"], what["updated"]) == (list(created), updated)
    assert what["undoes"] == result.changes.batch
    assert set(befores) == set(updated)
    assert befores[updated[0]]["title"] == "Chief Engineer"
    # the history is kept: each created profile's audit reads import, then import_undo
    assert [a[0] for a in audit(ws, created[0])] == ["profile.import",
                                                          "profile.import_undo"]


def test_undo_import_refuses_after_a_later_edit_and_changes_nothing(
        mixed: tuple[Workspace, ImportResult, Any]) -> None:
    ws, result, _before = mixed
    assert result.changes is not None
    edited = result.changes.created_ids[1]
    ws.profiles.update(edited, profile(6, title="Edited later"))
    state = snapshot(ws.path)
    with pytest.raises(ImportChanged) as caught:
        ws.profiles.undo_import(result)
    message = str(caught.value)
    assert "cannot be undone" in message
    assert "'Ada Lovelace' was edited" in message
    assert "Nothing was changed" in message
    assert "Undo those later changes first" in message
    assert caught.value.profile_ids == (edited,)
    assert_unchanged(state, snapshot(ws.path))


def test_a_later_edit_that_is_undone_no_longer_blocks(
        mixed: tuple[Workspace, ImportResult, Any]) -> None:
    """Edited, then edited back (Edit → Undo does that, as a new change): the profile is as
    the import left it again, so the import can be undone."""
    ws, result, before = mixed
    assert result.changes is not None
    updated = result.changes.updated_before[0].id
    as_imported = next(r.profile for r in ws.profiles.list(SITE) if r.id == updated)
    ws.profiles.update(updated, profile(1, title="Someone else"))
    with pytest.raises(ImportChanged, match="was edited"):
        ws.profiles.undo_import(result)
    ws.profiles.update(updated, as_imported)
    ws.profiles.undo_import(result)
    assert live_state(ws.path, ws.sites.get(SITE).id) == before


def test_undo_import_refuses_after_a_delete_or_an_edit_of_an_updated_profile(
        mixed: tuple[Workspace, ImportResult, Any]) -> None:
    ws, result, _before = mixed
    assert result.changes is not None
    deleted = result.changes.created_ids[0]
    ws.profiles.delete(deleted)
    updated = result.changes.updated_before[0].id
    ws.profiles.update(updated, profile(1, title="Edited later"))
    state = snapshot(ws.path)
    with pytest.raises(ImportChanged, match="2 of its profiles changed") as caught:
        ws.profiles.undo_import(result)
    assert "was deleted" in str(caught.value)
    assert "was edited" in str(caught.value)
    assert set(caught.value.profile_ids) == {deleted, updated}
    assert_unchanged(state, snapshot(ws.path))


def test_undo_twice_is_refused_as_already_undone(mixed: tuple[Workspace, ImportResult, Any]
                                                 ) -> None:
    ws, result, _before = mixed
    undone = ws.profiles.undo_import(result)
    state = snapshot(ws.path)
    with pytest.raises(ImportChanged, match="already undone"):
        ws.profiles.undo_import(result)  # the import's own result, once more
    with pytest.raises(RuleViolation, match="undone already"):
        ws.profiles.undo_import(undone)
    with pytest.raises(RuleViolation, match="not undone"):
        ws.profiles.redo_import(result)
    assert_unchanged(state, snapshot(ws.path))


def test_redo_import_applies_the_same_rows_again(mixed: tuple[Workspace, ImportResult, Any]
                                                 ) -> None:
    ws, result, _before = mixed
    site_id = ws.sites.get(SITE).id
    after_import = live_state(ws.path, site_id)
    undone = ws.profiles.undo_import(result)
    outbox_seq, audit_seq = last_seq(ws.path, "outbox"), last_seq(ws.path, "audit")

    redone = ws.profiles.redo_import(undone)

    assert not redone.undone
    assert live_state(ws.path, site_id) == after_import  # the same ids back, the same values
    assert result.changes is not None
    out = new_rows(ws.path, "outbox", outbox_seq)
    assert sorted(r["entity_id"] for r in out) == sorted(
        [*result.changes.created_ids, *(p.id for p in result.changes.updated_before)])
    assert {r["op"] for r in out} == {"upsert"}
    ((action, what, befores),) = batches(ws.path, audit_seq)  # one audit row for the redo
    assert action == "profile.import_redo"
    updated = result.changes.updated_before[0].id
    assert befores[updated]["title"] == "Engineer"
    assert pushed(ws)[updated][1]["title"] == "Chief Engineer"
    created = result.changes.created_ids[0]
    assert created in what["restored"]
    assert created not in befores
    # and again: undo, redo — each a new change in the history
    again = ws.profiles.redo_import(ws.profiles.undo_import(redone))
    assert live_state(ws.path, site_id) == after_import
    assert [a[0] for a in audit(ws, created)] == [
        "profile.import", "profile.import_undo", "profile.import_redo", "profile.import_undo",
        "profile.import_redo"]
    with pytest.raises(ImportChanged, match="already applied"):
        ws.profiles.redo_import(undone)
    assert not again.undone


def test_redo_refuses_when_the_person_was_added_again(mixed: tuple[Workspace, ImportResult, Any]
                                                       ) -> None:
    ws, result, _before = mixed
    undone = ws.profiles.undo_import(result)
    again = ws.profiles.add(SITE, profile(6, title="Added by hand"))
    state = snapshot(ws.path)
    with pytest.raises(ImportChanged, match="added after the undo") as caught:
        ws.profiles.redo_import(undone)
    assert "Delete or undo those profiles first" in str(caught.value)
    assert result.changes is not None
    assert caught.value.profile_ids == (result.changes.created_ids[1],)
    assert_unchanged(state, snapshot(ws.path))
    ws.profiles.delete(again.id)
    assert not ws.profiles.redo_import(undone).undone


def test_redo_refuses_after_a_later_edit(mixed: tuple[Workspace, ImportResult, Any]) -> None:
    ws, result, _before = mixed
    undone = ws.profiles.undo_import(result)
    assert result.changes is not None
    updated = result.changes.updated_before[1].id
    ws.profiles.update(updated, profile(4, title="Edited after the undo"))
    state = snapshot(ws.path)
    with pytest.raises(ImportChanged, match="cannot be redone") as caught:
        ws.profiles.redo_import(undone)
    assert "('Ada Lovelace' was edited) after it was undone" in str(caught.value)
    assert_unchanged(state, snapshot(ws.path))


def test_redo_is_refused_once_the_site_is_deleted(ws: Workspace, tmp_path: Path) -> None:
    result = ws.profiles.import_sheet(SITE, read_sheet(write_csv(tmp_path / "a.csv", rows(2))))
    undone = ws.profiles.undo_import(result)
    ws.sites.delete(SITE)
    state = snapshot(ws.path)
    with pytest.raises(RuleViolation, match="site of this import was deleted"):
        ws.profiles.redo_import(undone)
    assert_unchanged(state, snapshot(ws.path))


def synced(path: Path, ids: list[str], **payload_changes: str) -> None:
    """What a sync does to these profiles: the server's version, and a pull that writes the
    server's copy back with the server's clock (and, with `payload_changes`, its values)."""
    sets = ", ".join(f"{k} = ?" for k in payload_changes)
    with closing(sqlite3.connect(path)) as db, db:
        for profile_id in ids:
            db.execute("UPDATE client_profiles SET version = 7, updated_at = "
                       f"'2031-01-01T00:00:00.000000Z'{', ' + sets if sets else ''} "
                       "WHERE id = ?", (*payload_changes.values(), profile_id))


def test_undo_after_a_sync_sends_the_synced_version(mixed: tuple[Workspace, ImportResult, Any]
                                                    ) -> None:
    """A sync round trip bumps `version` and rewrites `updated_at` without changing a profile:
    that does not block the undo, and the undo's ops carry the version the server has."""
    ws, result, before = mixed
    site_id = ws.sites.get(SITE).id
    assert result.changes is not None
    ids = [*result.changes.created_ids, *(p.id for p in result.changes.updated_before)]
    synced(ws.path, ids)
    seq = last_seq(ws.path, "outbox")
    undone = ws.profiles.undo_import(result)
    assert {(r["op"], r["base_version"]) for r in new_rows(ws.path, "outbox", seq)} == {
        ("delete", 7), ("upsert", 7)}
    with closing(sqlite3.connect(ws.path)) as db:
        names = [d[0] for d in db.execute("SELECT * FROM client_profiles").description]
    version = [n for n in names if n != "updated_at"].index("version")
    now = live_state(ws.path, site_id)
    assert set(now) == set(before)
    for profile_id, values in now.items():  # as before, but for the version: the server's
        was = before[profile_id]
        assert values[:version] + values[version + 1:] == was[:version] + was[version + 1:]
        assert values[version] == (7 if profile_id in ids else 0)
    synced(ws.path, ids)  # and synced again after the undo: redo still works
    assert not ws.profiles.redo_import(undone).undone


def test_a_change_from_the_server_blocks_the_undo(mixed: tuple[Workspace, ImportResult, Any]
                                                  ) -> None:
    ws, result, _before = mixed
    assert result.changes is not None
    changed = result.changes.created_ids[2]
    synced(ws.path, [changed], title="Changed on the server")
    state = snapshot(ws.path)
    with pytest.raises(ImportChanged, match="was changed by a sync"):
        ws.profiles.undo_import(result)
    assert_unchanged(state, snapshot(ws.path))


def test_a_dry_run_has_nothing_to_undo(ws: Workspace, tmp_path: Path) -> None:
    result = ws.profiles.import_sheet(SITE, read_sheet(write_csv(tmp_path / "a.csv", rows(2))),
                                      dry_run=True)
    assert result.changes is None
    with pytest.raises(RuleViolation, match="dry run"):
        ws.profiles.undo_import(result)


def test_undo_and_redo_of_a_big_import(ws: Workspace, tmp_path: Path) -> None:
    """More rows than one write chunk and one `IN (…)` query hold."""
    ws.profiles.import_sheet(SITE, read_sheet(write_csv(tmp_path / "a.csv", rows(6_000))))
    site_id = ws.sites.get(SITE).id
    before = live_state(ws.path, site_id)
    data = rows(12_000)
    for n in range(0, 6_000, 2):
        data[n] = row(n, title="Updated")
    result = ws.profiles.import_sheet(SITE, read_sheet(write_csv(tmp_path / "b.csv", data)))
    assert (result.created, result.updated, result.unchanged) == (6_000, 3_000, 3_000)
    after = live_state(ws.path, site_id)
    undone = ws.profiles.undo_import(result)
    assert live_state(ws.path, site_id) == before
    ws.profiles.redo_import(undone)
    assert live_state(ws.path, site_id) == after
