"""The title and one-line introduction at the top of a page, as the other pages show them."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.widgets.policy_common import muted_color, section_title


class PageHeader(QWidget):
    def __init__(self, title: str, intro: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.title = section_title(title, self)
        self.intro = QLabel(intro, self)
        self.intro.setWordWrap(True)
        self.intro.setStyleSheet(f"color: {muted_color(self)}")
        layout.addWidget(self.title)
        layout.addWidget(self.intro)


def muted_label(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setStyleSheet(f"color: {muted_color(label)}")
    return label
