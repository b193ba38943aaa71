"""The welcome panel (what to do first, where the user guide is), the Help menu's wiring, and
the macOS "open this document" handler.

At start-up (the first run opens the sample workspace) it is a one-line banner above the pages,
"Show me around" / Close, so the page keeps its room on a small screen; until the user closes it
once or ticks "Don't show this again" (kept in QSettings, UI state only). "Show me around" and
Help → Welcome open it whole: each step has a button that goes to the page it is about.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, Signal
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from ui.about import (
    AboutDialog,
    app_icon,
    current_versions,
    docs_location,
    open_logs_folder,
    opener,
)

if TYPE_CHECKING:
    from ui.main_window import MainWindow

HIDE_KEY = "welcome/hidden"
SEEN_KEY = "welcome/seen"  # closed once: not shown at every start any more
WORKSPACE_SUFFIX = ".preflight"

# (text, page to go to, button)
STEPS: tuple[tuple[str, str, str], ...] = (
    ("<b>Build a package</b> by dragging policies from the Policy List into a package "
     "(one policy per type).", "packages", "Open &Packages"),
    ("<b>Assign it to sites</b>: check the sites, choose the package, review the preview.",
     "assignments", "Open &Assignments"),
    ("<b>See the effective settings</b> a site or device gets, and which package or override "
     "each value comes from.", "effective", "Open Effec&tive Settings"),
    ("<b>Import client profiles</b> for a site's Help Desk from XLSX, ODS or CSV: File → "
     "Import Client Profiles… (or drop the file on the window).", "client-profiles",
     "Open C&lient Profiles"),
)


def _flag(settings: QSettings, key: str) -> bool:
    value = settings.value(key, False)
    return value.lower() in ("true", "1") if isinstance(value, str) else bool(value)


def hidden(settings: QSettings) -> bool:
    return _flag(settings, HIDE_KEY)


class WelcomePanel(QFrame):
    """A dismissible panel over the pages, one line (the start-up banner) or whole;
    `go_to(page)` shows the page a step is about."""

    closed = Signal()

    def __init__(self, settings: QSettings, go_to: Callable[[str], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomePanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Welcome")
        self.settings = settings
        self.go_to = go_to
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        layout.addLayout(self._header())
        self.details = QWidget(self)
        self.details.setObjectName("welcomeDetails")
        inner = QVBoxLayout(self.details)
        inner.setContentsMargins(0, 0, 0, 0)
        self.intro = QLabel(self.details)
        self.intro.setObjectName("welcomeIntro")
        self.intro.setWordWrap(True)
        inner.addWidget(self.intro)
        inner.addLayout(self._steps())

        docs_text, self.docs_url = docs_location()
        self.docs = QLabel(f"The user guide: <a href='docs'>{docs_text}</a>", self.details)
        self.docs.setObjectName("welcomeDocs")
        self.docs.setWordWrap(True)
        self.docs.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.docs.linkActivated.connect(lambda _link: self.open_docs())
        inner.addWidget(self.docs)
        inner.addLayout(self._bottom())
        layout.addWidget(self.details)
        self.hide()

    def _header(self) -> QHBoxLayout:
        """The line shown in both forms: the title (with one sentence in the banner), Show me
        around (banner only) and Close."""
        header = QHBoxLayout()
        self.title = QLabel("<b>Welcome to Preflight</b>", self)
        self.title.setObjectName("welcomeTitle")
        self.headline = QLabel(self)
        self.headline.setObjectName("welcomeHeadline")
        self.headline.setMinimumWidth(0)
        self.headline.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.tour_button = QPushButton("Show me &around", self)
        self.tour_button.setObjectName("welcomeTour")
        self.tour_button.setAccessibleName("Show me around")
        self.tour_button.clicked.connect(lambda _c=False: self.expand())
        self.close_button = QPushButton("Close", self)
        self.close_button.setObjectName("welcomeClose")
        self.close_button.setAccessibleName("Close the welcome panel")
        self.close_button.clicked.connect(lambda _c=False: self.dismiss())
        header.addWidget(self.title)
        header.addWidget(self.headline, 1)
        header.addStretch(0)  # the whole panel (no headline): the buttons keep their size
        header.addWidget(self.tour_button)
        header.addWidget(self.close_button)
        return header

    def _steps(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        self.step_buttons: dict[str, QPushButton] = {}
        for row, (text, page, button_text) in enumerate(STEPS):
            number = QLabel(f"{row + 1}.", self.details)
            label = QLabel(text, self.details)
            label.setWordWrap(True)
            button = QPushButton(button_text, self.details)
            button.setObjectName(f"welcomeGo:{page}")
            button.setAccessibleName(button_text.replace("&", ""))
            button.setAccessibleDescription(label.text().replace("<b>", "").replace("</b>", ""))
            button.clicked.connect(lambda _c=False, p=page: self.go_to(p))
            grid.addWidget(number, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(label, row, 1)
            grid.addWidget(button, row, 2, Qt.AlignmentFlag.AlignTop)
            self.step_buttons[page] = button
        grid.setColumnStretch(1, 1)
        return grid

    def _bottom(self) -> QHBoxLayout:
        bottom = QHBoxLayout()
        self.dont_show = QCheckBox("&Don't show this again", self.details)
        self.dont_show.setObjectName("welcomeDontShow")
        self.dont_show.setChecked(hidden(self.settings))
        self.dont_show.toggled.connect(self._remember)
        self.guide_button = QPushButton("Open the &User Guide", self.details)
        self.guide_button.setObjectName("welcomeGuide")
        self.guide_button.setEnabled(self.docs_url.isValid())
        self.guide_button.clicked.connect(lambda _c=False: self.open_docs())
        bottom.addWidget(self.dont_show)
        bottom.addStretch(1)
        bottom.addWidget(self.guide_button)
        return bottom

    def _remember(self, on: bool) -> None:
        self.settings.setValue(HIDE_KEY, on)

    def open_docs(self) -> None:
        opener().open_url(self.docs_url)

    def is_banner(self) -> bool:
        """Shown as the one-line banner (not yet "Show me around")."""
        return self.details.isHidden()

    def _show_as(self, banner: bool) -> None:
        self.details.setHidden(banner)
        self.headline.setVisible(banner)
        self.tour_button.setVisible(banner)
        margins = (12, 4, 12, 4) if banner else (16, 12, 16, 12)
        layout = self.layout()
        if layout is not None:
            layout.setContentsMargins(*margins)
        self.show()

    def expand(self) -> None:
        """Show me around: the whole panel, the first step's button focused."""
        self._show_as(banner=False)
        self.step_buttons[STEPS[0][1]].setFocus()

    def present(self, workspace: Path | None, sample: bool, *, banner: bool = False) -> None:
        """Show the panel (whatever the preference: Help → Welcome asks for it), whole or as
        the one-line banner."""
        where = f" ({workspace})" if workspace is not None else ""
        self.headline.setText("This is a sample workspace to explore." if sample
                              else "Your workspace is open.")
        if sample:
            self.intro.setText(
                f"This is a sample workspace{where} with companies, sites, policies and "
                "packages to explore. Your own work goes in a workspace of its own: File → New "
                "Workspace. What to do first:")
        else:
            self.intro.setText(f"Your workspace{where} is open. What to do first:")
        self.dont_show.blockSignals(True)
        self.dont_show.setChecked(hidden(self.settings))
        self.dont_show.blockSignals(False)
        self._show_as(banner)

    def show_at_start(self, workspace: Path | None, first_run: bool, *,
                      sample: bool | None = None) -> bool:
        """Start-up: show on the first run, and until the user has closed it once (Help →
        Welcome brings it back); never when asked not to. `sample`: the workspace is the
        sample (by default: it is the first run's). Returns whether it is shown."""
        if hidden(self.settings) or (not first_run and _flag(self.settings, SEEN_KEY)):
            return False
        # one line: the page keeps its room
        self.present(workspace, first_run if sample is None else sample, banner=True)
        return True

    def dismiss(self) -> None:
        self.settings.setValue(SEEN_KEY, True)  # read: not again at every start
        self.hide()
        self.closed.emit()


def install_welcome(stack: QWidget, settings: QSettings,
                    go_to: Callable[[str], None]) -> WelcomePanel:
    """Put a (hidden) welcome panel above `stack` in its layout, and return it."""
    parent = stack.parentWidget()
    layout = parent.layout() if parent is not None else None
    panel = WelcomePanel(settings, go_to, parent)
    if layout is None:
        return panel
    column = QWidget(parent)
    column.setObjectName("pageColumn")
    inner = QVBoxLayout(column)
    inner.setContentsMargins(0, 0, 0, 0)
    inner.setSpacing(0)
    layout.replaceWidget(stack, column)
    inner.addWidget(panel)
    inner.addWidget(stack, 1)
    return panel




# --- the window's Help menu, icon and theme ---------------------------------------------------


class HelpUi(QObject):
    """Help → Welcome, Open Logs Folder and About on `window`; its icon; the light/dark theme."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.sample = False  # whether the open workspace is the first run's sample
        self.welcome = install_welcome(window.stack, window.settings.qsettings, window.show_page)
        self.about_dialog: AboutDialog | None = None
        menus = window.menus
        if menus.welcome is not None:
            menus.welcome.triggered.connect(lambda _c=False: self.show_welcome())
        if menus.open_logs is not None:
            menus.open_logs.triggered.connect(lambda _c=False: open_logs_folder())
        menus.about.triggered.connect(lambda _c=False: self.show_about())
        window.workspace_changed.connect(self._workspace_changed)
        window.setWindowIcon(app_icon())
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.install(app).watch(window)

    def _workspace_path(self) -> Path | None:
        workspace = self.window.workspace
        return workspace.path if workspace is not None else None

    def _workspace_changed(self) -> None:
        self.sample = False  # another workspace than the first run's sample
        if self.welcome.isVisible():
            self.welcome.present(self._workspace_path(), self.sample,
                                 banner=self.welcome.is_banner())

    def show_welcome(self) -> WelcomePanel:
        self.welcome.present(self._workspace_path(), self.sample)
        self.welcome.step_buttons[STEPS[0][1]].setFocus()
        return self.welcome

    def at_start(self, first_run: bool, *, sample: bool | None = None) -> bool:
        """Start-up, once the workspace is open: the welcome panel unless turned off.
        `sample`: the workspace is marked as the sample (`preflight init --sample` made it,
        or this first run did); by default, whether this is the first run."""
        self.sample = first_run if sample is None else sample
        return self.welcome.show_at_start(self._workspace_path(), first_run, sample=self.sample)

    def show_about(self) -> AboutDialog:
        if self.about_dialog is not None:
            self.about_dialog.close()
        self.about_dialog = AboutDialog(current_versions(self.window.workspace), self.window)
        self.about_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.about_dialog.destroyed.connect(self._about_gone)
        self.about_dialog.open()  # window-modal, does not block the event loop
        return self.about_dialog

    def _about_gone(self, *_args: object) -> None:
        self.about_dialog = None


def install_help(window: MainWindow) -> HelpUi:
    return HelpUi(window)


# --- macOS: a .preflight opened from Finder ---------------------------------------------------


class FileOpenHandler(QObject):
    """On the QApplication: Finder's "open this document" (a QFileOpenEvent, macOS) opens the
    workspace through the window's switch-workspace path; one that arrives while the first
    workspace is still opening is opened right after it."""

    def __init__(self, app: QApplication, window: MainWindow, *, install: bool = False) -> None:
        super().__init__(app)
        self.app = app
        self.window = window
        self.pending: Path | None = None
        # a filter on the application sees every event of the app: only where Finder sends
        # these (tests install it wherever they run)
        self.installed = sys.platform == "darwin" or install
        if self.installed:
            app.installEventFilter(self)
        window.workspace_changed.connect(self._open_pending)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.app and event.type() == QEvent.Type.FileOpen:
            path = Path(cast(QFileOpenEvent, event).file())
            if path.suffix.lower() == WORKSPACE_SUFFIX:
                self.open(path)
                return True
        return False

    def open(self, path: Path) -> None:
        if self.window.workspace is None:
            self.pending = path  # the start-up workspace is still opening
            return
        self.window.switch_workspace(path)

    def _open_pending(self) -> None:
        path, self.pending = self.pending, None
        if path is not None:
            self.window.switch_workspace(path)

    def remove(self) -> None:
        if self.installed:
            self.app.removeEventFilter(self)


__all__ = ["HIDE_KEY", "STEPS", "FileOpenHandler", "HelpUi", "WelcomePanel", "hidden",
           "install_help", "install_welcome"]
