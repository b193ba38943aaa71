"""`preflight gui --screenshot F --page P` renders the Help Desk tabs and the readiness views."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from app.services.workspace import Workspace
from ui.launcher import run
from ui.pages.registry import PAGE_NAMES


@pytest.mark.usefixtures("qapp", "sample_workspace")
@pytest.mark.parametrize("page", ["readiness", "site-readiness", "golive", "basic-info",
                                  "notification-rules", "connectwise-drift"])
def test_screenshot(tmp_path: Path, workspace_path: Path, page: str) -> None:
    shot = tmp_path / f"{page}.png"
    assert run(workspace_path, screenshot=shot, page=page) == 0
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1280, 800)


def test_every_help_desk_tab_has_a_page_name(sample_workspace: Workspace) -> None:
    assert {"readiness", "site-readiness", "product-options", "basic-info",
            "security-requests", "notification-rules", "network-info",
            "references"} <= set(PAGE_NAMES)
