"""Windows fit their screen and their text, for every dialog at once.

One application-wide event filter looks at each window as it is shown:
* a dialog is at least `DIALOG_MIN_CHARS` characters wide (wrapped intros and notes, URLs and
  hints then have room) and as high as its content needs at that width;
* no window is larger than the screen's available area, and none starts off-screen (a 1060 px
  wizard on a 1024 px screen is shrunk and placed inside it).
Message boxes and file dialogs size themselves and are left alone.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QLabel,
    QMessageBox,
    QWidget,
)

DIALOG_MIN_CHARS = 64
VIRTUAL = ("offscreen", "minimal")
DECORATION = QSize(8, 32)  # a typical frame and title bar, until the window manager says
FITTED = "screenFitDone"  # a dynamic property: the first show is fitted, later ones keep size


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


class ScreenFit(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.Show and isinstance(watched, QWidget)
                and watched.isWindow() and not watched.property(FITTED)):
            watched.setProperty(FITTED, True)
            fit_window(watched)
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


__all__ = ["DIALOG_MIN_CHARS", "ScreenFit", "fit_window", "install", "placed"]
