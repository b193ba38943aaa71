"""A tab built the first time it is shown: its module, and the services it imports, load then.

Start-up builds the site's tab bars only (every title is there); a tab's content appears in its
`LazyTab` holder when the tab first comes forward, or when someone asks for it (`content()`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QVBoxLayout, QWidget


class LazyTab(QWidget):
    def __init__(self, build: Callable[[], QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build: Callable[[], QWidget] | None = build
        self._content: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def built(self) -> QWidget | None:
        """The tab, if it has been built."""
        return self._content

    def content(self) -> QWidget:
        """The tab, built now if it was not yet."""
        if self._content is None:
            assert self._build is not None
            build, self._build = self._build, None
            self._content = build()
            self._layout.addWidget(self._content)
        return self._content
