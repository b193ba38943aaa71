"""Help → About (the versions a bug report needs), Help → Open Logs Folder, and where the
app's own files are (its icon, the user guide), from the source tree or a PyInstaller bundle.

Opening a folder or a page goes through an `Opener`, which tests replace so that nothing is
launched on the desktop of the machine running them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import PySide6
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.logs import log_dir

if TYPE_CHECKING:
    from app.services.about import Versions
    from app.services.workspace import Workspace

DESCRIPTION = ("Prepare ConnectWise RMM (Asio) client sites for go-live: policies, packages, "
               "site assignment, effective settings, Help Desk setup and the site's passwords. "
               "Works offline on a local workspace file.")


def app_root() -> Path:
    """The folder holding `resources/`: the bundle's (PyInstaller puts the spec's datas under
    sys._MEIPASS) or the source tree's."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle)
    return Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    return app_root().joinpath("resources", *parts)


def app_icon() -> QIcon:
    """The Preflight icon (the installers' artwork), or an empty icon when it is missing."""
    path = resource_path("icons", "preflight.png")
    return QIcon(str(path)) if path.is_file() else QIcon()


def docs_location() -> tuple[str, QUrl]:
    """Where the user guide is: the README (and docs/) beside the app when shipped with it, or
    the guide's folder of the source tree. (label, url)."""
    for root in (app_root(), Path(__file__).resolve().parent.parent):
        readme = root / "README.md"
        if readme.is_file():
            return str(readme), QUrl.fromLocalFile(str(readme))
    return "README.md in the Preflight source", QUrl()


class Opener:
    """Opens local folders and URLs with the desktop's handler (Explorer, Finder, a browser)."""

    def open_url(self, url: QUrl) -> bool:
        return bool(url.isValid()) and QDesktopServices.openUrl(url)

    def open_folder(self, path: Path) -> bool:
        path.mkdir(parents=True, exist_ok=True)
        return self.open_url(QUrl.fromLocalFile(str(path)))


class RecordingOpener(Opener):
    """Remembers what it was asked to open instead (tests)."""

    def __init__(self) -> None:
        self.opened: list[QUrl] = []

    def open_url(self, url: QUrl) -> bool:
        self.opened.append(url)
        return True


class _State:
    opener: Opener = Opener()


def set_opener(new: Opener) -> Opener:
    """Replace the opener (tests); returns the previous one, to put it back."""
    previous, _State.opener = _State.opener, new
    return previous


def opener() -> Opener:
    return _State.opener


def open_logs_folder() -> Path:
    """Help → Open Logs Folder: the folder of the rotating log and the crash file."""
    folder = log_dir()
    _State.opener.open_folder(folder)
    return folder


def version_lines(versions: Versions) -> list[tuple[str, str]]:
    """Our versions plus Qt's, in About's and bug reports' order."""
    lines = versions.lines()
    lines.insert(2, ("Qt / PySide6", f"{qVersion()} / {PySide6.__version__}"))
    return lines


def version_text(versions: Versions) -> str:
    return "\n".join(f"{label}: {value}" for label, value in version_lines(versions))


def current_versions(workspace: Workspace | None) -> Versions:
    from app.services.about import versions  # the service reads the workspace's revision

    return versions(workspace)


class AboutDialog(QDialog):
    """Name, what it is for, every version, where the logs are; Copy puts the versions on the
    clipboard for a support ticket."""

    def __init__(self, versions: Versions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle("About Preflight")
        self.versions = versions
        layout = QVBoxLayout(self)
        title = QLabel("<h3>Preflight</h3>", self)
        title.setObjectName("aboutTitle")
        icon = app_icon()
        if not icon.isNull():
            logo = QLabel(self)
            logo.setPixmap(icon.pixmap(64, 64))
            logo.setAccessibleName("Preflight icon")
            layout.addWidget(logo, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(title, 0, Qt.AlignmentFlag.AlignHCenter)
        blurb = QLabel(DESCRIPTION, self)
        blurb.setWordWrap(True)
        layout.addWidget(blurb)

        form = QFormLayout()
        self.values: dict[str, QLabel] = {}
        for label, value in version_lines(versions):
            field = QLabel(value, self)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            field.setAccessibleName(label)
            form.addRow(f"{label}:", field)
            self.values[label] = field
        logs = QLabel(str(log_dir()), self)
        logs.setObjectName("aboutLogs")
        logs.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        logs.setAccessibleName("Log folder")
        form.addRow("Logs:", logs)
        layout.addLayout(form)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton("&Copy Versions", self)
        self.copy_button.setObjectName("aboutCopy")
        self.copy_button.setToolTip("Copy the versions above, for a support request")
        self.logs_button = QPushButton("Open &Logs Folder", self)
        self.logs_button.setObjectName("aboutOpenLogs")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.logs_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.copy_button.clicked.connect(self.copy_versions)
        self.logs_button.clicked.connect(lambda _c=False: open_logs_folder())
        layout.addWidget(buttons)

    def text(self) -> str:
        return version_text(self.versions)

    def copy_versions(self) -> None:
        QGuiApplication.clipboard().setText(self.text())


__all__ = ["AboutDialog", "Opener", "RecordingOpener", "app_icon", "app_root", "current_versions",
           "docs_location", "open_logs_folder", "opener", "resource_path", "set_opener",
           "version_lines", "version_text"]
