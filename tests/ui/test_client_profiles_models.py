"""The item models of the client-profile tab and the import wizard pass Qt's model tester."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.profiles import Profile, Report, Row, Sheet, validate_rows
from app.services.profiles import ProfileRecord
from tests.ui.profiles_support import TEMPLATE
from ui.profiles.grid_model import ERROR_BRUSH, SheetGridModel
from ui.profiles.profile_model import ProfileTableModel, haystacks


def records() -> list[ProfileRecord]:
    return [
        ProfileRecord("1", "s", Profile("Ada", "Lovelace", "ada@example.com", vip=True,
                                        mobile_country_code="US",
                                        mobile_phone="4155553657"), 0),
        ProfileRecord("2", "s", Profile("Bob", "Byte", office_country_code="GB",
                                        office_phone="2071234567",
                                        office_extension="12"), 3),
    ]


def sheet() -> Sheet:
    headers = [*TEMPLATE, "Shoe Size"]
    rows = [Row(2, ["Ada", "Lovelace", "ada@example.com", "", "", "US", "4155553657", "", "",
                    "", "44"]),
            Row(3, ["Bob", "", "", "", "", "US", "415-555-3658", "", "", "", ""],
                numeric=frozenset({6}))]
    return Sheet.build("csv", "x.csv", 1, headers, rows)


def test_profile_table_model(qtmodeltester) -> None:
    model = ProfileTableModel()
    qtmodeltester.check(model)
    model.set_rows(records())
    qtmodeltester.check(model)
    assert model.index(0, ProfileTableModel.COL_MOBILE).data() == "4155553657 (US)"
    assert model.index(1, ProfileTableModel.COL_OFFICE).data() == "2071234567 (GB) ext. 12"
    assert model.index(0, ProfileTableModel.COL_VIP).data() == "VIP"
    model.sort(ProfileTableModel.COL_FIRST, Qt.SortOrder.DescendingOrder)
    assert model.index(0, 0).data() == "Bob"
    qtmodeltester.check(model)
    assert ["ada@example.com" in h for h in haystacks(records())] == [True, False]


def test_sheet_grid_model(qtmodeltester) -> None:
    model = SheetGridModel()
    qtmodeltester.check(model)
    data = sheet()
    model.set_sheet(data)
    qtmodeltester.check(model)
    report: Report = validate_rows(data)
    model.set_report(report)
    qtmodeltester.check(model)
    phone = model.index(1, 6)
    assert phone.data(Qt.ItemDataRole.BackgroundRole) == ERROR_BRUSH
    assert model.headerData(10, Qt.Orientation.Horizontal) == "Shoe Size (ignored)"
    assert model.headerData(0, Qt.Orientation.Vertical) == "2"
    model.set_errors_only(True)
    qtmodeltester.check(model)
    assert model.rowCount() == 1
    assert model.row_number(0) == 3
    fixes = model.fixable("phone.not_digits")
    assert model.apply_fixes(fixes) == 1
    assert model.stale
    assert model.index(0, 6).data() == "4155553658"
    assert 6 not in data.rows[1].numeric  # typed text now
    assert model.setData(model.index(0, 1), "Byte")
    assert data.rows[1].values[1] == "Byte"
    model.set_report(validate_rows(data))
    assert model.rowCount() == 0  # errors only, and none left
    model.set_errors_only(False)
    qtmodeltester.check(model)
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is None


def test_text_filter_narrows_like_a_full_scan() -> None:
    from ui.profiles.text_filter import TextFilter

    words = ["smith", "smyth", "ada", "sam", "mith", "x"]
    text_filter = TextFilter()
    text_filter.set(list(range(len(words))), words)
    for typed in ("s", "sm", "smi", "smit", "sm", "m", "mith", "", "a", "ad", "zz", "x"):
        assert text_filter.matching(typed) == [i for i, w in enumerate(words) if typed in w]
