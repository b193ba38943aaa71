"""One workspace's vault as the GUI sees it: its state as a Qt signal, the idle lock, activity.

`VaultSession` wraps the workspace's `Vault` (made off the GUI thread on first use: the crypto
modules load there, not at start-up). The service tells its listeners on the thread that
locked or unlocked; the session re-emits that as `state_changed(str)` on the GUI thread.

Idle lock (docs/architecture.md §6): a QTimer calls `check_idle()`; user input anywhere in the
application (key, mouse button, wheel) calls `touch()`, at most once a second. The timeout is
the Preferences value (QSettings, minutes), read again on each tick so a change applies at once.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, QTimer, Signal

from ui.background import run_blocking
from ui.ops import present_to
from ui.vault.clipboard import SecretClipboard
from ui.vault.prefs import idle_seconds

if TYPE_CHECKING:
    from app.services.vault import Vault

NONE, LOCKED, UNLOCKED, LOADING = "none", "locked", "unlocked", "loading"
UNAVAILABLE = "unavailable"  # the vault cannot be used in this workspace (`problem` says why)
TICK_MS = 1000
TOUCH_EVERY = 1.0  # seconds: user input restarts the idle clock at most this often
ACTIVITY = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress,
                      QEvent.Type.Wheel, QEvent.Type.TouchBegin})


T = TypeVar("T")


class ActivityFilter(QObject):
    """An application event filter: key and mouse input means the user is there."""

    def __init__(self, on_activity: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.on_activity = on_activity
        self._last = 0.0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY:
            now = time.monotonic()
            if now - self._last >= TOUCH_EVERY:
                self._last = now
                self.on_activity()
        return False


class VaultSession(QObject):
    state_changed = Signal(str)  # "none" | "locked" | "unlocked" (GUI thread)
    _relayed = Signal(str)  # from the service's listener, on any thread
    keychain_known = Signal()  # `keychain_message` now says whether a secure keyring exists

    def __init__(self, provider: Callable[[], Vault], settings: QSettings | None = None,
                 parent: QObject | None = None, tick_ms: int = TICK_MS,
                 clipboard: SecretClipboard | None = None) -> None:
        super().__init__(parent)
        self._provider = provider
        self._service: Vault | None = None
        self._made = threading.Lock()
        self.settings = settings
        self._applied: float | str | None = "unset"  # the settings value last applied
        self.state = LOADING
        self.keychain_message: str | None = None  # meaningful once `keychain_checked`
        self.keychain_checked = False
        self._checking_keychain = False
        self.locked_reason: str | None = None
        self.problem: str | None = None
        self.clipboard = clipboard or SecretClipboard(self)
        self._relayed.connect(self._on_relayed)
        self.timer = QTimer(self)
        self.timer.setInterval(tick_ms)
        self.timer.timeout.connect(self.tick)
        self.activity: ActivityFilter | None = None

    # the service
    def service(self) -> Vault:
        """The vault service, made once (any thread)."""
        with self._made:
            if self._service is None:
                service = self._provider()
                service.session.add_listener(self._listener)
                self._service = service
            return self._service

    def _listener(self, state: Any) -> None:
        self._relayed.emit(str(state))

    def load(self, on_done: Callable[[], None] | None = None) -> None:
        """Find the vault's state off the GUI thread. Whether a secure keyring exists is asked
        later (`check_keychain`), by the unlock flow: the keyring and its backends take a
        quarter of a second to load, which a start does not wait for."""
        def find() -> str:
            return str(self.service().session.state)

        def found(state: str) -> None:
            self._set_state(state)
            if on_done is not None:
                on_done()

        def unavailable(problem: str) -> None:
            self.problem = problem  # e.g. a workspace of an older version: no vault here
            self._set_state(UNAVAILABLE)

        def failed(exc: BaseException) -> None:
            present_to(exc, unavailable)

        run_blocking(self, find, found, failed)

    def check_keychain(self) -> None:
        """Find out off the GUI thread whether this device has a secure keyring (once):
        `keychain_known` is emitted when `keychain_message` says."""
        if self.keychain_checked or self._checking_keychain:
            return
        self._checking_keychain = True

        def known(message: str | None) -> None:
            self._checking_keychain = False
            self.keychain_message, self.keychain_checked = message, True
            self.keychain_known.emit()

        def failed(exc: BaseException) -> None:
            self._checking_keychain = False
            # a broken keychain never blocks the password prompt: unlock without it
            self.keychain_message, self.keychain_checked = str(exc), True
            self.keychain_known.emit()

        run_blocking(self, lambda: self.service().session.keychain_message, known, failed)

    def unlock_remembered(self, on_done: Callable[[bool], None]) -> None:
        """Try the key remembered on this device (OS keychain) off the GUI thread; `on_done`
        with True when it opened the vault. Without a secure keychain: False at once."""
        if self.keychain_message is not None:
            on_done(False)
            return

        def failed(_exc: BaseException) -> None:
            on_done(False)  # a broken keychain never blocks the password prompt

        self.call(lambda vault: vault.session.unlock_from_keychain(),
                  lambda ok: on_done(bool(ok)), failed)

    def call(self, fn: Callable[[Vault], T], on_result: Callable[[T], object],
             on_error: Callable[[BaseException], None] | None = None, *,
             owner: QObject | None = None) -> None:
        """Run `fn(service)` off the GUI thread; the callbacks run on it, unless `owner`
        (default: the session) was deleted meanwhile."""
        def deliver(value: T) -> None:
            on_result(value)

        run_blocking(owner or self, lambda: fn(self.service()), deliver, on_error)

    # state
    def _on_relayed(self, state: str) -> None:
        if self._service is not None:
            self.locked_reason = self._service.session.locked_reason
        self._set_state(state)

    def _set_state(self, state: str) -> None:
        if state != UNLOCKED:
            self.clipboard.clear_now()  # a copied secret does not outlive the unlock
        if state == UNLOCKED:
            self.timer.start()
        else:
            self.timer.stop()
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)

    @property
    def is_unlocked(self) -> bool:
        return self.state == UNLOCKED

    def lock(self, reason: str = "on demand") -> None:
        if self._service is not None:
            self._service.session.lock(reason)

    # idle
    def set_idle_timeout(self, seconds: float | None) -> None:
        """Lock after `seconds` without activity (None: never); overrides the preference
        until the preference changes."""
        if self.settings is not None:
            self._applied = idle_seconds(self.settings)
        self.service().session.set_idle_timeout(seconds)

    def _apply_preference(self) -> None:
        if self.settings is None or self._service is None:
            return
        wanted = idle_seconds(self.settings)
        if wanted != self._applied:
            self._applied = wanted
            self._service.session.set_idle_timeout(wanted)

    def tick(self) -> None:
        if self._service is None:
            return
        self._apply_preference()
        self._service.session.check_idle()  # locks (and tells the listener) when idle too long

    def touch(self) -> None:
        if self._service is not None and self.state == UNLOCKED:
            self._service.session.touch()

    def watch_activity(self) -> None:
        """Count key and mouse input anywhere in the application as activity."""
        app = QCoreApplication.instance()
        if app is not None and self.activity is None:
            self.activity = ActivityFilter(self.touch, self)
            app.installEventFilter(self.activity)

    def close(self) -> None:
        """Stop watching (the workspace closes: the service locks itself)."""
        self.timer.stop()
        self.clipboard.clear_now()
        app = QCoreApplication.instance()
        if app is not None and self.activity is not None:
            app.removeEventFilter(self.activity)
            self.activity = None
        if self._service is not None:
            self._service.session.remove_listener(self._listener)


_sessions: weakref.WeakKeyDictionary[Any, VaultSession] = weakref.WeakKeyDictionary()


def session_for(workspace: Any) -> VaultSession:
    """The one session of `workspace` (the Passwords tab and the status bar share it)."""
    session = _sessions.get(workspace)
    if session is None:
        ref = weakref.ref(workspace)  # the session must not keep the workspace alive

        def provider() -> Vault:
            found = ref()
            if found is None:
                raise RuntimeError("the workspace of this vault session is gone")
            service: Vault = found.vault
            return service

        session = VaultSession(provider)
        _sessions[workspace] = session
    return session


__all__ = ["LOCKED", "NONE", "UNAVAILABLE", "UNLOCKED", "ActivityFilter", "VaultSession",
           "session_for"]
