"""README's two dialog pictures: the site delete confirmation and the ConnectWise dialog's push
plan, each opened over the main window and grabbed from the screen (openbox's frames included).

    python -m ui.readme_dialogs WORKSPACE OUT_FOLDER ASIO_URL VAULT_PASSWORD

tools/readme_screens.py runs it under Xvfb + openbox, on the README's workspace, with the fake
ConnectWise Asio served at ASIO_URL (client id "cid", secret "secret").
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMessageBox

from ui import background
from ui.asio.controller import DONE
from ui.asio.dialog import AsioDialog
from ui.launcher import SCREENSHOT_SIZE, application, grab
from ui.main_window import MainWindow
from ui.startup import open_after_first_paint

SITE = "Northside Clinic"
CLIENT_ID, SECRET = "cid", "secret"


class Shots:
    def __init__(self, app: QApplication, window: MainWindow, out: Path) -> None:
        self.app, self.window, self.out = app, window, out

    async def settle(self, rounds: int = 10) -> None:
        await background.wait_idle()
        for _ in range(rounds):
            self.app.processEvents()
            await asyncio.sleep(0.05)

    def save(self, name: str) -> None:
        target = self.out / f"{name}.png"
        if not grab(self.window).save(str(target), "PNG"):
            raise SystemExit(f"readme_dialogs: cannot write {target}")
        print(f"{name}.png", flush=True)

    async def modal(self, name: str, open_it: Callable[[], None]) -> None:
        """Open a modal box, grab the window with it on top, then cancel it. The box runs its
        own event loop, so a Qt timer (not the asyncio loop) watches for it."""
        done = asyncio.Event()
        loop = asyncio.get_running_loop()
        seen = [0]

        def watch() -> None:
            box = QApplication.activeModalWidget()
            if isinstance(box, QMessageBox) and box.isVisible():
                seen[0] += 1
            if seen[0] < 10:  # shown for half a second: openbox has framed and placed it
                QTimer.singleShot(50, watch)
                return
            self.save(name)
            assert isinstance(box, QMessageBox)
            box.reject()
            loop.call_soon(done.set)

        QTimer.singleShot(50, watch)
        open_it()
        await done.wait()

    async def delete_confirmation(self) -> None:
        if not self.window.select_site(SITE):
            raise SystemExit(f"readme_dialogs: no site '{SITE}'")
        await self.settle()
        page: Any = self.window.page("companies")
        await self.modal("delete-confirmation", page.delete_selected)

    async def asio_plan(self, url: str) -> None:
        action = self.window.findChild(QAction, "connectWiseAction")
        assert action is not None
        action.trigger()
        dialog = self.window.findChild(AsioDialog)
        assert dialog is not None
        await self.settle()
        dialog.region.setCurrentIndex(dialog.region.findData("url"))
        dialog.url.setText(url)
        dialog.client_id.setText(CLIENT_ID)
        for button in (dialog.pull_button, dialog.plan_button):  # connect, pull, plan
            await self.run(dialog, button)
        self.save("asio-plan")
        dialog.reject()
        await self.settle(3)

    async def run(self, dialog: AsioDialog, button: Any) -> None:
        finished = asyncio.Event()
        outcomes: list[Any] = []

        def ended(outcome: Any) -> None:
            outcomes.append(outcome)
            finished.set()

        dialog.controller.finished.connect(ended)
        dialog.secret.setText(SECRET)  # cleared after each run: typed again, as a user would
        button.click()
        await finished.wait()
        dialog.controller.finished.disconnect(ended)
        if outcomes[0].kind != DONE:
            raise SystemExit(f"readme_dialogs: {button.text()}: {outcomes[0].message}")
        await self.settle()


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        sys.stderr.write("usage: python -m ui.readme_dialogs WORKSPACE OUT_FOLDER ASIO_URL "
                         "VAULT_PASSWORD\n")
        return 2
    path, out, url, password = Path(argv[0]), Path(argv[1]), argv[2], argv[3]
    import qasync

    app = application()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    window = MainWindow(restore=False)
    window.resize(SCREENSHOT_SIZE)
    shots = Shots(app, window, out)

    async def run() -> int:
        window.show()
        workspace, _ = await open_after_first_paint(window, path)
        window.install_workspace(workspace)
        window.show_page("companies")
        await shots.settle()
        await shots.delete_confirmation()
        await shots.settle()
        # the dialog keeps the client secret in the vault: unlock it first, as it asks
        session = window.vault_session
        assert session is not None, "install_workspace made the vault session"
        session.service().session.unlock(password)
        await shots.asio_plan(url)
        return 0

    try:
        with loop:
            code: int = loop.run_until_complete(run())
            return code
    finally:
        workspace = window.workspace
        window.close()
        if workspace is not None:
            workspace.close()
        asyncio.set_event_loop(None)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
