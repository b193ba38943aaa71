"""The five kind sub-tabs: a tab bar whose labels may take two lines (the seed's labels are long
and the site panel is narrow), so every label and its count stays readable without scrolling."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QTabBar, QTabWidget, QWidget


def tab_text(label: str, count: int) -> str:
    """A kind's label on at most two lines, with the number of items it shows ("&" escaped:
    a tab label's "&" marks a mnemonic)."""
    words = label.replace("&", "&&").split(" ")
    if len(words) > 2:
        half = (len(words) + 1) // 2
        label = " ".join(words[:half]) + "\n" + " ".join(words[half:])
    return f"{label} ({count})" if count else label


class TwoLineTabBar(QTabBar):
    def tabSizeHint(self, index: int) -> QSize:
        hint = super().tabSizeHint(index)
        metrics = self.fontMetrics()
        lines = max(max(self.tabText(i).count("\n") for i in range(self.count())) + 1, 1)
        text = self.tabText(index).split("\n")
        width = max(metrics.horizontalAdvance(line) for line in text) + 24
        return QSize(min(hint.width(), width) if len(text) > 1 else hint.width(),
                     max(hint.height(), metrics.lineSpacing() * lines + 12))


class KindTabs(QTabWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabBar(TwoLineTabBar(self))
        self.setObjectName("passwordKinds")


__all__ = ["KindTabs", "TwoLineTabBar", "tab_text"]
