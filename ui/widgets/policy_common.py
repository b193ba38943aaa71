"""Pieces the Policies and Packages pages share: an inline notice bar and text helpers.

Messages go to an inline `NoticeBar` (never a blocking box); questions go through the pages'
`ui.dialogs.DialogService`, which tests replace (picard's `user_dialog_service.py`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QStyle,
    QToolButton,
    QWidget,
)

from ui import theme
from ui.widgets.edge_overlay import EdgeOverlay
from ui.widgets.elided_label import ElidedLabel

# kind -> (background, border, standard icon)
_KINDS = {  # ui.theme tokens
    "info": ("info_bg", "info_border", QStyle.StandardPixmap.SP_MessageBoxInformation),
    "success": ("success_bg", "success_border", QStyle.StandardPixmap.SP_DialogApplyButton),
    "warning": ("warning_bg", "warning_border", QStyle.StandardPixmap.SP_MessageBoxWarning),
    "error": ("error_bg", "error_border", QStyle.StandardPixmap.SP_MessageBoxCritical),
}
ERROR_COLOR = "#b3261e"  # light scheme only: prefer theme.set_style(w, "color: $error")


EXPIRE_MS = 20_000  # a success or info notice has been read by then


class NoticeBar(QFrame):
    """A dismissible, non-modal message shown inline above the content it concerns."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._layout = layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.setSpacing(8)
        self._icon = QLabel(self)
        self._icon.setFixedSize(16, 16)
        self.label = QLabel(self)
        self.label.setObjectName("noticeText")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._close = QToolButton(self)
        self._close.setAutoRaise(True)
        self._close.setIcon(self.style().standardIcon(
            QStyle.StandardPixmap.SP_TitleBarCloseButton))
        self._close.setAccessibleName("Dismiss message")
        self._close.setToolTip("Dismiss")
        self._close.clicked.connect(self.clear)
        layout.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.label, 1)
        layout.addWidget(self._close, 0, Qt.AlignmentFlag.AlignTop)
        self.kind = ""
        self._overlay: EdgeOverlay | None = None
        self._expiry = QTimer(self)
        self._expiry.setSingleShot(True)
        self._expiry.timeout.connect(self.clear)
        self.hide()

    def float_over(self, anchor: QWidget, *, edge: str = "top") -> None:
        """Show over `anchor` (inside this bar's parent) instead of taking a place in the
        layout: nothing moves when a message comes or goes, where the pointer is busy
        (docs/architecture.md §14; `EdgeOverlay`).

        `edge="top"`: over a heading (a page's title and intro, the Package Builder's title
        row, a tab's heading), which is covered while the message shows. `edge="bottom"`: on
        the bottom edge of a table whose tab has no heading of its own (a site's Client
        Profiles, its Passwords, the import's rows), as tall as the message: over the last
        rows shown, away from the filter, the buttons and the row being worked on."""
        self._overlay = EdgeOverlay(self, anchor, edge)
        if edge == "top":
            self._layout.setContentsMargins(8, 2, 4, 2)  # a line of message: a heading's height
            anchor.setMinimumHeight(max(self._close.sizeHint().height(),
                                        self.label.fontMetrics().lineSpacing(), 16) + 4)
        else:
            self._layout.setContentsMargins(8, 4, 4, 4)
        for part in (self._icon, self._close):  # centred in a heading taller than the message
            self._layout.setAlignment(part, Qt.AlignmentFlag.AlignVCenter)

    @property
    def anchor(self) -> QWidget | None:
        """What the bar shows over (`float_over`); None: it has its place in the layout."""
        return self._overlay.anchor if self._overlay is not None else None

    def text(self) -> str:
        parent = self.parentWidget()
        shown = self.isVisibleTo(parent) if parent is not None else self.isVisible()
        return self.label.text() if shown else ""

    def show_message(self, text: str, kind: str = "info", expire_ms: int | None = None) -> None:
        """Show `text`; success and info notices go after `expire_ms` (default
        `EXPIRE_MS`), warnings and errors stay until dismissed. `expire_ms=0`: stay."""
        if expire_ms is None:
            expire_ms = EXPIRE_MS if kind in ("success", "info") else 0
        if expire_ms > 0:
            self._expiry.start(expire_ms)
        else:
            self._expiry.stop()
        background, border, icon = _KINDS.get(kind, _KINDS["info"])
        self.kind = kind
        theme.set_style(  # the kind's colours, light or dark
            self,
            f"QFrame#noticeBar {{ background: ${background}; border: 1px solid ${border};"
            " border-radius: 4px; }"
            " QFrame#noticeBar QLabel { color: $notice_text; background: transparent; }",
        )
        self._icon.setPixmap(self.style().standardIcon(icon).pixmap(16, 16))
        self.label.setText(text)
        self.setAccessibleName(f"{kind.capitalize()}: {text}")
        if self._overlay is not None:
            self._overlay.place()
        self.show()

    def expires_in(self) -> int:
        """Milliseconds left before the notice goes (-1: it stays)."""
        return self._expiry.remainingTime() if self._expiry.isActive() else -1

    def clear(self) -> None:
        self._expiry.stop()
        self.label.clear()
        self.kind = ""
        self.hide()


def as_sentence(text: str) -> str:
    """A service's message ("policy 'X' is in …") as a sentence for the UI."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def muted_color(widget: QWidget) -> str:
    """The palette's placeholder colour, for secondary text, as a style sheet value: Qt
    resolves `palette()` when the sheet is set, and `ui.theme` sets it again when the scheme
    changes, so the text follows light and dark."""
    return "palette(placeholder-text)"


def section_title(text: str, parent: Any = None) -> QLabel:
    """A bold title that elides a long name rather than widening the window."""
    label = ElidedLabel(text, parent)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.15)
    label.setFont(font)
    label.setAccessibleName(text)
    return label
