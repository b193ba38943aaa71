"""The look (issue 9): our hand-set colours follow the OS light/dark scheme (and react when it
changes), and the hand-drawn icons are sharp on high-DPI screens."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QLabel

from app.services.views import ComparisonRow
from tests.ui.conftest import wait_idle
from ui import theme
from ui.main_window import MainWindow
from ui.models.effective_models import ComparisonTableModel, level_icon
from ui.models.policy_models import _blank_icon
from ui.widgets.policy_common import NoticeBar

DARK = {QPalette.ColorRole.Window: "#202124", QPalette.ColorRole.WindowText: "#e8eaed",
        QPalette.ColorRole.Base: "#17181a", QPalette.ColorRole.Text: "#e8eaed",
        QPalette.ColorRole.Button: "#2d2e31", QPalette.ColorRole.ButtonText: "#e8eaed",
        QPalette.ColorRole.PlaceholderText: "#9aa0a6"}


@pytest.fixture
def app(qapp: Any) -> QApplication:
    assert isinstance(qapp, QApplication)
    return qapp


@pytest.fixture
def dark_palette(app: QApplication, qtbot: Any) -> Iterator[QPalette]:
    """What the platform does when the OS turns dark: a dark application palette, then
    `colorSchemeChanged` (emitted by hand: the offscreen platform has no OS scheme)."""
    watcher = theme.install(app)
    light = QPalette(app.palette())
    dark = QPalette(light)
    for role, value in DARK.items():
        dark.setColor(role, QColor(value))
    with qtbot.waitSignal(watcher.changed, timeout=5_000):
        app.setPalette(dark)
        app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    yield dark
    with qtbot.waitSignal(watcher.changed, timeout=5_000):
        app.setPalette(light)
        app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert not theme.is_dark()


def test_tokens_have_a_light_and_a_dark_value(app: QApplication) -> None:
    theme.install(app)
    assert not theme.is_dark()  # the test platform's palette is light
    assert theme.color_name("error") == theme.COLORS["error"][0]
    for token, (light, dark) in theme.COLORS.items():
        assert QColor(light).isValid(), token
        assert QColor(dark).isValid(), token
    # on a dark background the dark values are the lighter ones for text
    assert QColor(theme.COLORS["error"][1]).lightness() > QColor(
        theme.COLORS["error"][0]).lightness()
    assert QColor(theme.COLORS["diff_bg"][1]).lightness() < QColor(
        theme.COLORS["diff_bg"][0]).lightness()


def test_styled_widgets_switch_with_the_scheme(qtbot: Any, app: QApplication,
                                               dark_palette: QPalette) -> None:
    assert theme.is_dark()
    label = QLabel("Could not save")
    qtbot.addWidget(label)
    theme.set_style(label, "color: $error")
    assert theme.COLORS["error"][1] in label.styleSheet()
    bar = NoticeBar()
    qtbot.addWidget(bar)
    bar.show_message("Saved.", "success")
    assert theme.COLORS["success_bg"][1] in bar.styleSheet()
    assert theme.COLORS["notice_text"][1] in bar.styleSheet()
    model = ComparisonTableModel()
    model.set_comparison([ComparisonRow("remote_access", "balloon", "Notification Balloon", True,
                                        "site-package", False, "default-package")],
                         ("Main Office", "Lab"), {"remote_access": "Remote Access"})
    brush = model.index(0, ComparisonTableModel.COL_LEFT).data(Qt.ItemDataRole.BackgroundRole)
    assert brush.color().name() == theme.COLORS["diff_bg"][1]


def test_a_scheme_change_restyles_what_is_already_shown(qtbot: Any, app: QApplication) -> None:
    watcher = theme.install(app)
    label = QLabel("Could not save")
    qtbot.addWidget(label)
    watcher.watch(label)  # the main window is watched so (ui.welcome.HelpUi)
    theme.set_style(label, "color: $error; font-weight: bold")
    muted = QLabel("secondary text")
    qtbot.addWidget(muted)
    muted.setStyleSheet("color: palette(placeholder-text)")
    assert theme.COLORS["error"][0] in label.styleSheet()
    light = QPalette(app.palette())
    dark = QPalette(light)
    for role, value in DARK.items():
        dark.setColor(role, QColor(value))
    try:
        with qtbot.waitSignal(watcher.changed, timeout=5_000) as seen:
            app.setPalette(dark)  # the palette change alone is enough
        assert seen.args == [True]
        assert label.styleSheet() == f"color: {theme.COLORS['error'][1]}; font-weight: bold"
        assert muted.palette().color(QPalette.ColorRole.WindowText).name() == "#9aa0a6"
    finally:
        with qtbot.waitSignal(watcher.changed, timeout=5_000):
            app.setPalette(light)
    assert theme.COLORS["error"][0] in label.styleSheet()


def test_the_effective_page_legend_follows_the_scheme(qtbot: Any, window: MainWindow,
                                                      dark_palette: QPalette) -> None:
    window.show_page("effective")
    wait_idle(qtbot)
    page = window.page("effective")
    legend = page.legend  # type: ignore[attr-defined]
    assert theme.COLORS["level_site_package"][1] in legend["site-package"].text()
    dot = level_icon("site-package")
    assert dot.pixmap(12, 12).toImage().pixelColor(6, 6).name() == (
        theme.COLORS["level_site_package"][1])
    # the sidebar (built before the switch) took the dark window colour's shades
    assert QColor(DARK[QPalette.ColorRole.Window]).darker(104).name() in (
        window.sidebar.styleSheet())


@pytest.mark.parametrize("ratio", [1.0, 1.5, 2.0, 3.0])
def test_level_dots_are_drawn_at_the_screens_pixel_ratio(app: QApplication, ratio: float) -> None:
    icon = level_icon("device-override")
    pixmap = icon.pixmap(QSize(12, 12), ratio)
    assert pixmap.deviceIndependentSize().toSize() == QSize(12, 12)
    assert pixmap.devicePixelRatio() == pytest.approx(ratio)
    image = pixmap.toImage()  # drawn at exactly this ratio, not a 1x bitmap scaled up
    assert image.width() == round(12 * ratio)
    centre = image.pixelColor(image.width() // 2, image.height() // 2)
    corner = image.pixelColor(0, 0)
    assert centre.alpha() == 255
    assert corner.alpha() == 0
    assert centre.name() == theme.color_name("level_device_override")
    # the dot keeps its proportions: 8 of 12 logical pixels across
    row = [image.pixelColor(x, image.height() // 2).alpha() for x in range(image.width())]
    assert sum(a > 127 for a in row) == pytest.approx(8 * ratio, abs=1.5)


@pytest.mark.usefixtures("app")
def test_copied_icons_survive_garbage_collection() -> None:
    import gc

    icons = [QIcon(theme.dot_icon(QColor("#336699"))) for _ in range(20)]  # copies
    gc.collect()  # the Python engine objects behind them must live on in Qt
    for icon in icons:
        pixmap = icon.pixmap(QSize(12, 12), 2.0)
        assert pixmap.toImage().pixelColor(12, 12).name() == "#336699"


def test_icons_carry_1x_and_2x_pixmaps(app: QApplication) -> None:
    for icon, size in ((level_icon("site-package"), 12), (_blank_icon(), 16),
                       (theme.dot_icon(QColor("red")), 12)):
        sizes = {(s.width(), s.height()) for s in icon.availableSizes()}
        assert (size, size) in sizes
        assert (size * 2, size * 2) in sizes
