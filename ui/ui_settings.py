"""UI state kept between runs in QSettings (organisation "Preflight"): window geometry, the
last page, recent workspaces and two preferences. Never data, never secrets (docs/architecture.md
§5)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "Preflight"
APPLICATION = "Preflight"
MAX_RECENT = 8


class UiSettings:
    def __init__(self, settings: QSettings | None = None) -> None:
        self.qsettings = settings if settings is not None else QSettings(ORGANIZATION,
                                                                         APPLICATION)

    def _bool(self, key: str, default: bool) -> bool:
        value = self.qsettings.value(key, default)
        if isinstance(value, str):
            return value.lower() in ("true", "1", "yes")
        return bool(value)

    # window
    def geometry(self) -> QByteArray | None:
        value = self.qsettings.value("window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def window_state(self) -> QByteArray | None:
        value = self.qsettings.value("window/state")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def save_window(self, geometry: QByteArray, state: QByteArray) -> None:
        self.qsettings.setValue("window/geometry", geometry)
        self.qsettings.setValue("window/state", state)

    # pages
    def last_page(self) -> str:
        return str(self.qsettings.value("window/page", "") or "")

    def set_last_page(self, name: str) -> None:
        self.qsettings.setValue("window/page", name)

    # workspaces
    def last_site_tab(self) -> tuple[str | None, str] | None:
        """(group or None, title) of the site tab shown last, e.g. ("Help Desk", "Basic Info")."""
        value = str(self.qsettings.value("window/site_tab", "") or "")
        group, _, title = value.rpartition("/")
        return (group or None, title) if title else None

    def set_last_site_tab(self, group: str | None, title: str) -> None:
        self.qsettings.setValue("window/site_tab", f"{group or ''}/{title}")

    def recent(self) -> list[Path]:
        value = self.qsettings.value("workspaces/recent", [])
        # one entry comes back as a plain string, several as a list
        items: list[object] = ([value] if isinstance(value, str)
                               else list(value) if isinstance(value, list | tuple) else [])
        return [Path(str(v)) for v in items if v]

    def add_recent(self, path: Path) -> None:
        items = [p for p in self.recent() if p != path]
        self.qsettings.setValue("workspaces/recent",
                                [str(p) for p in [path, *items][:MAX_RECENT]])

    def clear_recent(self) -> None:
        self.qsettings.remove("workspaces/recent")

    # preferences
    @property
    def reopen_last_workspace(self) -> bool:
        return self._bool("preferences/reopen_last_workspace", True)

    @reopen_last_workspace.setter
    def reopen_last_workspace(self, on: bool) -> None:
        self.qsettings.setValue("preferences/reopen_last_workspace", on)

    @property
    def restore_last_page(self) -> bool:
        return self._bool("preferences/restore_last_page", True)

    @restore_last_page.setter
    def restore_last_page(self, on: bool) -> None:
        self.qsettings.setValue("preferences/restore_last_page", on)

    def sync(self) -> None:
        self.qsettings.sync()
