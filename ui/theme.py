"""Light and dark: our few hand-set colours follow the OS colour scheme.

Most of the UI draws with the palette and needs nothing. The rest (notice bars, error text,
the comparison's difference highlight, the level dots) names a *token* here, which has a light
and a dark value. Which one applies is decided by the palette actually in use (what the colours
are drawn on): the OS scheme (Qt 6.5+ `QStyleHints.colorScheme()`) normally sets that palette,
and where a style ignores a dark scheme (Windows 10's "windowsvista" style) `install` switches
to Fusion, which follows it.

Style sheets that name tokens (`set_style(widget, "color: $error")`) or palette roles
(`palette(placeholder-text)`) are resolved when they are set; `ThemeWatcher` sets them again
when the scheme or the application palette changes, and tells models through `changed`.
"""

from __future__ import annotations

from collections.abc import Callable
from string import Template

from PySide6.QtCore import QEvent, QObject, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QIcon,
    QIconEngine,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtWidgets import QApplication, QWidget

# token: (light, dark)
COLORS: dict[str, tuple[str, str]] = {
    "error": ("#b3261e", "#f28b82"),
    "warning": ("#8a5a00", "#f0c05a"),
    "notice_text": ("#1f1f1f", "#ececec"),
    "info_bg": ("#e8f1fb", "#1e3247"),
    "info_border": ("#9cc2e8", "#3f6d99"),
    "success_bg": ("#e7f4e8", "#1d3a22"),
    "success_border": ("#99cc9d", "#4b8a53"),
    "warning_bg": ("#fdf3e1", "#3d3017"),
    "warning_border": ("#e4c27f", "#8a6d2a"),
    "warning_text": ("#5f4200", "#f0d49a"),
    "error_bg": ("#fbe9e9", "#3f1f1f"),
    "error_border": ("#e0a0a0", "#9a4a4a"),
    "diff_bg": ("#fff1c7", "#4a3d14"),
    "diff_text": ("#1f1f1f", "#f4f4f4"),
    "cell_error_bg": ("#f6c9c6", "#5a2623"),
    "cell_warning_bg": ("#fbe7b5", "#4f3f14"),
    "ignored": ("#8a8a8a", "#9a9a9a"),
    "level_default_package": ("#8a8f98", "#a3a8b0"),
    "level_site_package": ("#2f6fba", "#6ea8ea"),
    "level_device_override": ("#c76d00", "#f0a040"),
}
STYLE_PROPERTY = "preflightStyleTemplate"


class _State:
    dark: bool | None = None  # cached; None: work it out again
    watcher: ThemeWatcher | None = None


def _palette_is_dark(palette: QPalette) -> bool:
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    return window.lightness() < text.lightness()


def scheme() -> Qt.ColorScheme:
    """The OS colour scheme (Unknown where the platform does not say)."""
    if QGuiApplication.instance() is None:
        return Qt.ColorScheme.Unknown
    return QGuiApplication.styleHints().colorScheme()


def is_dark() -> bool:
    """Whether the application draws light text on a dark background."""
    if _State.dark is None:
        if QGuiApplication.instance() is None:
            return False
        _State.dark = _palette_is_dark(QGuiApplication.palette())
    return _State.dark


def color_name(token: str) -> str:
    light, dark = COLORS[token]
    return dark if is_dark() else light


def color(token: str) -> QColor:
    return QColor(color_name(token))


def tokens() -> dict[str, str]:
    """Every token's current value, plus `muted` (the palette's secondary text colour)."""
    values = {name: color_name(name) for name in COLORS}
    values["muted"] = "palette(placeholder-text)"
    return values


def render(template: str) -> str:
    """A style sheet with `$token`s replaced by their current colours."""
    return Template(template).safe_substitute(tokens())


def set_style(widget: QWidget, template: str) -> None:
    """`widget.setStyleSheet` with `$token`s, kept up to date when the scheme changes."""
    widget.setProperty(STYLE_PROPERTY, template)
    widget.setStyleSheet(render(template))


def _restyle_all() -> None:
    for widget in QApplication.allWidgets():
        template = widget.property(STYLE_PROPERTY)
        if isinstance(template, str):
            widget.setStyleSheet(render(template))
        elif "palette(" in widget.styleSheet():
            widget.setStyleSheet(widget.styleSheet())  # palette() is resolved when set
    for window in QApplication.topLevelWidgets():
        window.update()


# --- icons -----------------------------------------------------------------------------------


def device_pixel_ratio(widget: QWidget | None = None) -> float:
    """The ratio of the screen `widget` is on (else the primary screen's; at least 1)."""
    if widget is not None:
        return max(1.0, widget.devicePixelRatioF())
    screen = QGuiApplication.primaryScreen() if QGuiApplication.instance() is not None else None
    return max(1.0, screen.devicePixelRatio()) if screen is not None else 1.0


class _DotEngine(QIconEngine):
    """Draws the dot at whatever size and device pixel ratio it is asked for: sharp at 1x,
    1.5x, 2x, 3x, on whichever screen the view is."""

    def __init__(self, fill: QColor, size: int, diameter: int) -> None:
        super().__init__()
        self.fill = QColor(fill)
        self.size = size
        self.diameter = diameter

    def paint(self, painter: QPainter, rect: QRect, _mode: QIcon.Mode,
              _state: QIcon.State) -> None:
        scale = min(rect.width(), rect.height()) / self.size
        diameter = self.diameter * scale
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.fill)
        painter.drawEllipse(QRectF(rect.center().x() + 0.5 - diameter / 2,
                                   rect.center().y() + 0.5 - diameter / 2, diameter, diameter))
        painter.restore()

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State,
                     scale: float) -> QPixmap:
        scale = max(scale, 1.0)
        pixmap = QPixmap(round(size.width() * scale), round(size.height() * scale))
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        self.paint(painter, QRect(0, 0, pixmap.width(), pixmap.height()), mode, state)
        painter.end()
        pixmap.setDevicePixelRatio(scale)
        return pixmap

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def availableSizes(self, _mode: QIcon.Mode = QIcon.Mode.Normal,
                       _state: QIcon.State = QIcon.State.Off) -> list[QSize]:
        return [QSize(self.size, self.size), QSize(self.size * 2, self.size * 2)]

    def clone(self) -> QIconEngine:
        return _DotEngine(self.fill, self.size, self.diameter)


def dot_icon(color_value: QColor, size: int = 12, diameter: int = 8) -> QIcon:
    """A filled circle of `diameter` centred in `size` logical pixels, drawn for the size and
    device pixel ratio it is shown at (never a 1x bitmap scaled up)."""
    return QIcon(_DotEngine(color_value, size, diameter))


def blank_icon(size: int = 16) -> QIcon:
    """A transparent icon of `size` logical pixels at 1x, 2x and the screen's ratio."""
    icon = QIcon()
    for ratio in sorted({1.0, 2.0, device_pixel_ratio()}):
        pixmap = QPixmap(round(size * ratio), round(size * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        icon.addPixmap(pixmap)
    return icon


# --- following the OS ------------------------------------------------------------------------


class ThemeWatcher(QObject):
    """Re-applies our colours when the OS scheme changes (`colorSchemeChanged`, which Qt emits
    once it has updated the palette) or the application palette does (seen on the watched
    windows: a filter on the QApplication itself would run for every event of the app)."""

    changed = Signal(bool)  # dark

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.app = app
        self._pending = False
        app.styleHints().colorSchemeChanged.connect(self._scheme_changed)

    def watch(self, window: QWidget) -> None:
        """Notice application palette changes through `window` (a top-level one)."""
        window.installEventFilter(self)

    def _scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        _match_style(self.app)
        self._schedule()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ApplicationPaletteChange:
            self._schedule()
        return False

    def _schedule(self) -> None:
        if not self._pending:
            self._pending = True  # one refresh for a burst of changes, once Qt is done
            QTimer.singleShot(0, self.refresh)

    def refresh(self) -> None:
        self._pending = False
        _State.dark = None
        _restyle_all()
        self.changed.emit(is_dark())


def _match_style(app: QApplication) -> None:
    """A dark OS scheme with a style that stays light (Windows 10's): use Fusion, which
    draws the platform's dark palette."""
    if scheme() == Qt.ColorScheme.Dark and not _palette_is_dark(app.palette()) \
            and app.style().name().lower() == "windowsvista":
        app.setStyle("Fusion")


def install(app: QApplication) -> ThemeWatcher:
    """Follow the OS scheme from now on (once per application)."""
    if _State.watcher is None or _State.watcher.app is not app:
        _match_style(app)
        _State.dark = None
        _State.watcher = ThemeWatcher(app)
    return _State.watcher


def watcher() -> ThemeWatcher | None:
    return _State.watcher


def on_change(slot: Callable[[bool], object]) -> None:
    """Call `slot(dark)` after each scheme change. A bound method of a QObject (a page's) is
    disconnected by Qt when that object is deleted."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        install(app).changed.connect(slot)


__all__ = ["COLORS", "ThemeWatcher", "blank_icon", "color", "color_name", "device_pixel_ratio",
           "dot_icon", "install", "is_dark", "on_change", "render", "scheme", "set_style", "tokens"]
