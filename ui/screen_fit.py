"""Windows fit their screen and their text, for every dialog at once.

One application-wide event filter looks at each window as it is shown:
* a dialog is at least `DIALOG_MIN_CHARS` characters wide (wrapped intros and notes, URLs and
  hints then have room) and as high as its content needs at that width;
* no window is larger than the screen's available area, and none starts off-screen (a 1060 px
  wizard on a 1024 px screen is shrunk and placed inside it);
* a main window's pages go into a scroll area when it is first shown, so on a screen smaller
  than the 1024×700 they are laid out for (1920×1080 at 2× is 960×540) the window still fits
  and the page scrolls.
Message boxes and file dialogs size themselves and are left alone.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QFrame,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QStyle,
    QWidget,
)

DIALOG_MIN_CHARS = 64
VIRTUAL = ("offscreen", "minimal")
DECORATION = QSize(8, 32)  # a typical frame and title bar, until the window manager says
PAGE_SCROLL = "pageScroll"
FITTED = "screenFitDone"  # a dynamic property: the first show is fitted, later ones keep size
# after a main window's first show: when its frame is checked (`keep_title_bar_on_screen`).
# The window manager frames a new window within a few hundred ms, later on a busy machine,
# and no event says so (the client area does not move): each check acts only once framed.
FRAME_CHECKS_MS = (300, 1000, 3000)


def available_area(widget: QWidget) -> QRect | None:
    parent = widget.parentWidget()
    screen = (parent.screen() if parent is not None else None) or widget.screen()
    return screen.availableGeometry() if screen is not None else None


def fit_window(widget: QWidget) -> None:
    """Widen a dialog to fit its text, then keep the window inside the screen."""
    if isinstance(widget, QDialog) and not isinstance(widget, QMessageBox | QFileDialog):
        least = widget.fontMetrics().averageCharWidth() * DIALOG_MIN_CHARS
        if widget.width() < least:
            widget.resize(least, widget.height())
        layout = widget.layout()
        if layout is not None:
            layout.activate()  # laid out at the new width: wrapped text knows its lines
            # form layouts give a wrapped label its one-line height: ask for all its lines
            for label in widget.findChildren(QLabel):
                if label.wordWrap() and label.isVisibleTo(widget) and label.text():
                    label.setMinimumHeight(label.heightForWidth(max(label.width(), 1)))
            layout.activate()
            wanted = (layout.totalHeightForWidth(widget.width()) if layout.hasHeightForWidth()
                      else widget.sizeHint().height())
            wanted = max(wanted, layout.totalMinimumSize().height())
            if wanted > widget.height():
                widget.resize(widget.width(), wanted)
    if QGuiApplication.platformName() in VIRTUAL:
        return  # no real screen to fit (tests draw offscreen on an 800x800 stand-in)
    area = available_area(widget)
    if area is None:
        return
    frame = widget.frameGeometry()
    extra = QSize(max(frame.width() - widget.width(), 0), max(frame.height() - widget.height(), 0))
    if extra.isNull():  # not framed by the window manager yet: room for a title bar
        extra = DECORATION
    parent = widget.parentWidget()
    centre = (parent.window().frameGeometry().center()
              if isinstance(widget, QDialog) and parent is not None else None)
    target = placed(QRect(widget.pos(), widget.size() + extra), area, centre)
    size = target.size() - extra
    if size != widget.size():
        widget.resize(size)
    widget.move(target.topLeft())


def placed(frame: QRect, area: QRect, centre: QPoint | None = None) -> QRect:
    """`frame` (the window with its decorations) shrunk to fit `area` and moved inside it;
    centred on `centre` (a dialog over its window) when given."""
    width = min(frame.width(), area.width())
    height = min(frame.height(), area.height())
    if centre is not None:
        x, y = centre.x() - width // 2, centre.y() - height // 2
    else:
        x, y = frame.x(), frame.y()
    x = min(max(x, area.left()), area.left() + area.width() - width)
    y = min(max(y, area.top()), area.top() + area.height() - height)
    return QRect(x, y, width, height)


class PageScroll(QScrollArea):
    """Scrolls its widget only below the widget's minimum size. (A resizable QScrollArea
    sizes a widget with height-for-width, such as wrapped labels, to its preferred height and
    scrolls a page that could have shrunk.)"""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(False)

    def setWidget(self, widget: QWidget, /) -> None:
        super().setWidget(widget)
        widget.installEventFilter(self)
        self.fit_widget()

    def fit_widget(self) -> None:
        widget = self.widget()
        if widget is None:
            return
        need = widget.minimumSizeHint().expandedTo(widget.minimumSize())
        room = self.maximumViewportSize()  # without scroll bars
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        width, height = room.width(), room.height()
        for _ in range(2):  # a bar for one direction takes room from the other
            width = room.width() - (bar if need.height() > height else 0)
            height = room.height() - (bar if need.width() > width else 0)
        size = QSize(max(need.width(), width), max(need.height(), height))
        if widget.size() != size:
            widget.resize(size)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_widget()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        handled = super().eventFilter(watched, event)
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.fit_widget()  # the page's minimum size changed
        return handled


def scroll_when_small(window: QMainWindow) -> QScrollArea:
    """Put the window's central widget in a frameless scroll area: where the screen is smaller
    than the pages' minimum size the window still fits and the pages scroll; at 1024×700 and
    above nothing scrolls and the layout is the same."""
    current = window.centralWidget()
    if isinstance(current, QScrollArea) and current.objectName() == PAGE_SCROLL:
        return current
    central = window.takeCentralWidget()
    scroll = PageScroll(window)
    scroll.setObjectName(PAGE_SCROLL)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no Tab stop of its own
    if central is not None:
        scroll.setWidget(central)
    window.setCentralWidget(scroll)
    scroll.show()  # now, not at the layout's queued show: the window may be on screen already
    return scroll


def keep_title_bar_on_screen(widget: QWidget) -> None:
    """Move a framed window back inside the screen when its frame is not: on X11 a restored
    geometry can put the window's client area where its frame was, the title bar above the
    screen's top edge, where it can't be reached to move the window. The frame is the client
    area plus the window manager's margins (Qt's own frame geometry was seen wrong, 1×1, in
    the same situation); the client area is placed, which every window manager honours."""
    handle = widget.windowHandle()
    if QGuiApplication.platformName() in VIRTUAL or handle is None or not widget.isVisible():
        return
    margins = handle.frameMargins()
    area = available_area(widget)
    if area is None or margins.isNull():
        return  # not framed by the window manager (yet): nothing known to fix
    frame = widget.geometry().adjusted(-margins.left(), -margins.top(), margins.right(),
                                       margins.bottom())
    target = placed(frame, area)
    if target.topLeft() != frame.topLeft():
        handle.setPosition(target.left() + margins.left(), target.top() + margins.top())


class ScreenFit(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.Show and isinstance(watched, QWidget)
                and watched.isWindow() and not watched.property(FITTED)):
            watched.setProperty(FITTED, True)
            if isinstance(watched, QMainWindow):
                scroll_when_small(watched)
            fit_window(watched)
            if isinstance(watched, QMainWindow):  # once the window manager has framed it
                for delay in FRAME_CHECKS_MS:
                    QTimer.singleShot(delay, watched,
                                      lambda w=watched: keep_title_bar_on_screen(w))
        return False


class _State:
    installed: ScreenFit | None = None


def install() -> None:
    """Once per application (the main window calls it)."""
    app = QApplication.instance()
    if app is None or _State.installed is not None:
        return
    _State.installed = ScreenFit(app)
    app.installEventFilter(_State.installed)


__all__ = [
    "DIALOG_MIN_CHARS",
    "PAGE_SCROLL",
    "PageScroll",
    "ScreenFit",
    "fit_window",
    "install",
    "keep_title_bar_on_screen",
    "placed",
    "scroll_when_small",
]
