"""Helpers of the client-profile GUI tests: scripted dialogs, sample files, real file drops."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xlsxwriter
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget

from app.services.views import SiteView
from tests.ui.conftest import ScriptedDialogs

TEMPLATE = ["First Name*", "Last Name*", "Email", "Title", "VIP", "Mobile Country Code",
            "Mobile Phone", "Office Country Code", "Office Phone", "Computer Name"]


class ScriptedProfileDialogs(ScriptedDialogs):
    """Also answers the profile questions: spreadsheet paths and "which site?"."""

    def __init__(self) -> None:
        super().__init__()
        self.sites: list[str | None] = []  # names of the sites to choose

    def open_sheet(self, title: str, start: Path) -> Path | None:
        self.asked.append((title, str(start)))
        return self.paths.pop(0)

    def export_path(self, title: str, suggested: Path) -> Path | None:
        self.asked.append((title, str(suggested)))
        return self.paths.pop(0)

    def choose_site(self, title: str, sites: Sequence[SiteView],
                    current: str | None = None) -> SiteView | None:
        self.asked.append((title, ", ".join(s.name for s in sites)))
        name = self.sites.pop(0)
        return next((s for s in sites if s.name == name), None)


def write_xlsx(path: Path, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> Path:
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    sheet = book.add_worksheet("Client Profiles")
    for col, header in enumerate(headers):
        sheet.write_string(0, col, header)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if value:
                sheet.write_string(r, col, value)
    book.close()
    return path


def write_csv(path: Path, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def profile_row(first: str, last: str, email: str = "", phone: str = "",
                country: str = "US", **extra: str) -> list[str]:
    """A row in TEMPLATE's column order."""
    values = {"First Name*": first, "Last Name*": last, "Email": email,
              "Mobile Country Code": country if phone else "", "Mobile Phone": phone}
    values.update({k.replace("_", " "): v for k, v in extra.items()})
    return [values.get(h, "") for h in TEMPLATE]


def drop_files(target: QWidget, paths: Sequence[Path]) -> bool:
    """Drag `paths` over `target` and drop them, as the platform does: a QDragEnterEvent, then
    a QDropEvent with the files' URLs. Returns whether the drop was accepted."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    point = QPoint(target.width() // 2, target.height() // 2)
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction | Qt.DropAction.LinkAction
    enter = QDragEnterEvent(point, actions, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(QPointF(point), actions, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, drop)
    return drop.isAccepted()


def cell_text(model: Any, row: int, column: int) -> str:
    return str(model.index(row, column).data())
