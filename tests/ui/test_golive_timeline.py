"""The go-live journey in the real window (issue 19): the timeline on a site's Readiness tab
(next step first; "Done today" records a step off the GUI thread, it moves; undo and redo; a
refused step says why) and the Go-Live Journeys page."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from app.domain.helpdesk.journey import StepStatus
from tests.ui.conftest import wait_idle
from tests.ui.test_helpdesk_readiness import readiness_tab
from ui.helpdesk.golive_page import GoLivePage
from ui.helpdesk.journey_timeline import JourneyTimeline
from ui.helpdesk.readiness_tab import ReadinessTab
from ui.main_window import MainWindow


def timeline_of(qtbot, window: MainWindow, site: str) -> tuple[ReadinessTab, JourneyTimeline]:
    tab = readiness_tab(qtbot, window, site)
    assert tab.timeline is not None
    assert tab.timeline.journey is not None
    assert tab.timeline.journey.site_name == site
    return tab, tab.timeline


def first_row(timeline: JourneyTimeline) -> str:
    return timeline.model.row_at(0).id


def click(qtbot, timeline: JourneyTimeline, name: str) -> None:
    button = timeline.buttons[name.split(":", 1)[1]]
    assert button.objectName() == name
    with qtbot.waitSignal(timeline.recorded, timeout=10_000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot)


def test_done_today_moves_the_step_and_undo_brings_it_back(qtbot, window: MainWindow,
                                                            qtmodeltester) -> None:
    _tab, timeline = timeline_of(qtbot, window, "Lab")
    qtmodeltester.check(timeline.model)
    assert first_row(timeline) == "kickoff"  # the next step first
    assert timeline.model.index(0, timeline.model.COL_STEP).data() == (
        "Next: Kickoff call with the client")
    assert "Next: Kickoff call with the client" in timeline.heading.text()
    # Partner-wide steps recorded on the sample's Northside Clinic show here as done.
    rows = {timeline.model.row_at(r).id: r for r in range(timeline.model.rowCount())}
    assert timeline.model.row_at(rows["interest"]).status is StepStatus.DONE
    assert timeline.buttons["interest"].objectName() == "reopen:interest"
    assert "site-settings" not in timeline.buttons  # computed: no button

    click(qtbot, timeline, "done:kickoff")
    journey = timeline.journey
    assert journey is not None
    kickoff = journey.step("kickoff")
    assert kickoff.status is StepStatus.DONE
    assert kickoff.date == date.today()
    assert first_row(timeline) != "kickoff"  # it moved: the next step is another one now
    row = [timeline.model.row_at(r).id for r in range(timeline.model.rowCount())].index(
        "kickoff")
    assert timeline.model.index(row, timeline.model.COL_DATE).data() == date.today().isoformat()
    assert timeline.buttons["kickoff"].objectName() == "reopen:kickoff"
    assert "marked done" in timeline.notice.text()
    ws = window.workspace
    assert ws is not None
    assert ws.golive.journey("Lab").step("kickoff").status is StepStatus.DONE

    with qtbot.waitSignal(timeline.recorded, timeout=10_000):
        window.undo_stack.undo()
    wait_idle(qtbot)
    assert first_row(timeline) == "kickoff"
    assert ws.golive.journey("Lab").step("kickoff").status is StepStatus.OPEN
    assert "Undone" in timeline.notice.text()

    with qtbot.waitSignal(timeline.recorded, timeout=10_000):
        window.undo_stack.redo()
    wait_idle(qtbot)
    assert ws.golive.journey("Lab").step("kickoff").date == date.today()
    assert first_row(timeline) != "kickoff"


def test_a_step_out_of_order_is_refused_in_the_notice(qtbot, window: MainWindow) -> None:
    ws = window.workspace
    assert ws is not None
    # The sample's Northside Clinic is ready; without automatic server credentials it fails.
    ws.policies.update("RMM with NOC", texts=["auto_credentials_servers=off"])
    tab, timeline = timeline_of(qtbot, window, "Northside Clinic")
    assert first_row(timeline) == "support-access"
    click(qtbot, timeline, "done:internal-review")
    before = window.undo_stack.count()
    qtbot.mouseClick(timeline.buttons["approval-requested"], Qt.MouseButton.LeftButton)
    wait_idle(qtbot)
    assert "Cannot request go-live approval" in timeline.notice.text()
    assert "credentials" in timeline.notice.text()
    assert window.undo_stack.count() == before  # nothing recorded, nothing to undo
    journey = ws.golive.journey("Northside Clinic")
    assert journey.step("approval-requested").status is StepStatus.OPEN
    assert tab.checklist is not None
    assert timeline.buttons["approval-requested"].isEnabled()


def test_the_partner_view_shows_every_site_and_opens_one(qtbot, window: MainWindow,
                                                          qtmodeltester) -> None:
    window.show_page("golive")
    wait_idle(qtbot)
    page = window.page("golive")
    assert isinstance(page, GoLivePage)
    qtmodeltester.check(page.model)
    assert page.model.rowCount() == 8
    assert page.summary.text().startswith("8 site(s)")
    sites = [page.model.row_at(r).journey.site_name for r in range(8)]
    row = sites.index("Northside Clinic")
    model = page.model
    assert model.index(row, model.COL_PROGRESS).data() == "9 of 15"
    assert model.index(row, model.COL_NEXT).data() == "Internal review of the setup"
    assert model.index(row, model.COL_OVERDUE).data() == "—"
    other = sites.index("Lab")
    assert model.index(other, model.COL_NEXT).data() == "Kickoff call with the client"
    page.open_row(row)
    wait_idle(qtbot)
    assert window.current_name() == "companies"
    tab = window.page("companies").site_tabs.current_tab()
    assert isinstance(tab, ReadinessTab)
    assert tab.timeline is not None
    assert tab.timeline.journey is not None
    assert tab.timeline.journey.site_name == "Northside Clinic"


def test_ctrl_d_marks_the_selected_step_done_today(qtbot, window: MainWindow) -> None:
    _tab, timeline = timeline_of(qtbot, window, "Lab")
    rows = [timeline.model.row_at(r).id for r in range(timeline.model.rowCount())]
    timeline.table.setFocus()
    timeline.table.selectRow(rows.index("workbook"))
    with qtbot.waitSignal(timeline.recorded, timeout=10_000):
        qtbot.keyClick(timeline.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot)
    ws = window.workspace
    assert ws is not None
    workbook = ws.golive.journey("Lab").step("workbook")
    assert (workbook.status, workbook.date) == (StepStatus.DONE, date.today())
