"""README's dialog pictures render from one command: `python -m ui.readme_dialogs` (a process
of its own: it makes its own qasync loop) on the README's workspace, against the fake
ConnectWise Asio on 127.0.0.1, connects, pulls, reviews the plan and saves both PNGs. Under
`tools/readme_screens.py` it runs in Xvfb + openbox; here offscreen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from tests.asio.fake_asio import serve
from tools.readme_screens import PASSWORD, build_workspace, fake_platform, pull

ROOT = Path(__file__).resolve().parents[2]


def test_the_dialog_pictures_render(tmp_path: Path) -> None:
    path = tmp_path / "sample.preflight"
    build_workspace(path)
    fake = fake_platform(path)
    with serve(fake) as url:
        pull(path, url)
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
        done = subprocess.run(
            [sys.executable, "-m", "ui.readme_dialogs", str(path), str(tmp_path), url,
             PASSWORD], capture_output=True, text=True, env=env, cwd=ROOT, check=False,
            timeout=180)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["delete-confirmation.png", "asio-plan.png"]
    for name in ("delete-confirmation", "asio-plan"):
        image = QImage(str(tmp_path / f"{name}.png"))
        assert (image.width(), image.height()) == (1280, 800)
    assert fake.invalid == []
    assert fake.writes == 0  # the plan is reviewed, never pushed
