"""Operations: a page's service calls off the GUI thread, in one shape (docs/architecture.md §5).

In the spirit of Anki's `CollectionOp` / `QueryOp` (`qt/aqt/operations`), built on
`ui.background` (`run_blocking`, `SerialQueue`):

* a **write** (a change, or the undo or redo of one) goes on the workspace's ONE write queue:
  every page and every undo command shares it, so writes land in the order the user asked for
  them across pages, not only within one;
* a **read** runs on the thread pool; a `Latest` slot keeps only the newest answer, so an older
  read that finishes late never overwrites a newer one;
* success is delivered on the GUI thread (dropped if the page is gone meanwhile);
* failure goes to the **default presenter** unless the page gives its own: a `PreflightError`
  (a refused rule, a locked or damaged workspace: the user's to fix) becomes a sentence in the
  page's notice bar; anything else is a bug and goes to `sys.excepthook` (`ui.excepthook`: the
  error dialog and the log). `is_refusal` is the one place that decides what is a bug; the
  other presenters (`present_to`: a form's line or a dialog's message, `present_in_dialog`:
  an error box, `quiet_failure`: nowhere) send a refusal elsewhere, a bug always there.

A page makes one `PageOps.of(self, context, notice)` (its `WorkspaceContext`'s undo stack and
write queue) and calls `ops.write(...)`,
`ops.read(...)` or keeps `ops.latest()` slots for reads that a newer one supersedes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, TypeVar

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QUndoStack

from app.domain.errors import PreflightError
from ui.background import SerialQueue, report_error, run_blocking
from ui.widgets.policy_common import as_sentence

if TYPE_CHECKING:
    from ui.workspace_context import WorkspaceContext

T = TypeVar("T")
Presenter = Callable[[BaseException], None]

WRITE_QUEUE_NAME = "workspaceWriteQueue"


class Notice(Protocol):
    """Where a page shows a refused operation (`ui.widgets.policy_common.NoticeBar`)."""

    def show_message(self, text: str, kind: str = ..., expire_ms: int | None = ...) -> None: ...


class ErrorDialogs(Protocol):
    """Where a flow with no notice bar shows a refusal (`ui.dialogs.DialogService`)."""

    def show_error(self, title: str, text: str) -> None: ...


def is_refusal(exc: BaseException, *, environment: bool = False) -> bool:
    """The one place that says what is not a bug: a `PreflightError` (a refused rule, a locked or
    damaged workspace) and, with `environment`, an `OSError` (a missing file, a full disk, no
    permission): the user's to fix. Anything else is a bug."""
    return isinstance(exc, PreflightError) or (environment and isinstance(exc, OSError))


def refusal_text(exc: BaseException, what: str = "") -> str:
    """"Could not save: the name is taken." — `what` leads when given."""
    reason = str(exc) or type(exc).__name__
    return f"{what}: {as_sentence(reason)}" if what else as_sentence(reason)


def present_failure(exc: BaseException, notice: Notice | None, what: str = "") -> None:
    """The default failure presenter: a `PreflightError` to `notice` (the error dialog's plain
    message when the page has none), anything else to the error dialog and the log."""
    if is_refusal(exc) and notice is not None:
        notice.show_message(refusal_text(exc, what), "error")
        return
    report_error(exc)  # sys.excepthook: a bug's dialog + log line, or a refusal's message


def present_to(exc: BaseException, show: Callable[[str], None], *,
               text: Callable[[BaseException], str] = str, environment: bool = False,
               on_bug: Callable[[], None] | None = None) -> None:
    """A refusal (an `OSError` too with `environment`) goes to `show(text(exc))` (a form's error
    line, a dialog's message, an undo's "Could not undo …"); a bug goes to `on_bug` (to tidy
    the place, say clear its message) and then to the error dialog and the log."""
    if is_refusal(exc, environment=environment):
        show(text(exc))
        return
    if on_bug is not None:
        on_bug()
    report_error(exc)


def present_in_dialog(exc: BaseException, dialogs: ErrorDialogs, title: str, *,
                      environment: bool = True) -> None:
    """For a flow with no notice bar (a menu command, a file to open): a refusal or an
    environment error in an error box titled `title`, a bug in the error dialog and the log."""
    present_to(exc, lambda text: dialogs.show_error(title, text), environment=environment)


class Writes(Protocol):
    """What an undo command runs its steps on: the write queue, through a page's `PageOps`
    (whose `submit` drops the callbacks once that page is gone)."""

    def submit(self, fn: Callable[[], T], on_result: Callable[[T], None],
               on_error: Callable[[BaseException], None] | None = None) -> None: ...


def quiet_failure(exc: BaseException) -> None:
    """For background extras the page does without (a pick list, a status count), or a
    failure the caller has already shown: a refusal is dropped, a bug still reaches the error
    dialog and the log."""
    if not is_refusal(exc):
        report_error(exc)


def after_queue(owner: QObject, then: Callable[[T], None]) -> Callable[[T], None]:
    """A success callback that asks the user (a confirmation) runs once the queue has moved
    on, not inside it: a modal question would otherwise hold every later write, and the
    status bar's busy indicator, until it is answered. Dropped if `owner` is gone by then."""
    def deliver(value: T) -> None:
        QTimer.singleShot(0, owner, lambda: then(value))
    return deliver


def write_queue(undo_stack: QUndoStack) -> SerialQueue:
    """The write queue that goes with `undo_stack`: one per window, so one per open workspace.

    A write and the undo of it must land in the order of the stack, so the queue belongs to
    the stack (a child of it): every page and command given the same stack shares the queue."""
    queue = undo_stack.findChild(SerialQueue, WRITE_QUEUE_NAME)
    if queue is None:
        queue = SerialQueue(undo_stack)
        queue.setObjectName(WRITE_QUEUE_NAME)
    return queue


class Latest(QObject):
    """A slot for reads where only the newest answer counts (the list shown, the selected
    item's details): each `run` supersedes the ones before it, whose outcome is dropped.

    A superseded read that failed with a bug is still reported: a bug is never lost."""

    def __init__(self, owner: QObject, failure: Presenter) -> None:
        super().__init__(owner)
        self._owner = owner
        self._failure = failure
        self._generation = 0

    def run(self, fn: Callable[[], T], on_success: Callable[[T], None],
            on_failure: Presenter | None = None) -> None:
        self._generation += 1
        generation = self._generation
        failure = on_failure or self._failure

        def succeeded(value: T) -> None:
            if generation == self._generation:
                on_success(value)

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                failure(exc)
            else:
                quiet_failure(exc)

        run_blocking(self._owner, fn, succeeded, failed)

    def cancel(self) -> None:
        """Drop whatever is in flight (the selection went away, say)."""
        self._generation += 1

    def current(self) -> int:
        """The newest read's number (a page that chains reads checks it is still current)."""
        return self._generation


class PageOps:
    """A page's way to run operations: its writes on the workspace's one queue, its reads in
    the background, failures shown by the default presenter unless the call gives its own."""

    def __init__(self, owner: QObject, undo_stack: QUndoStack, notice: Notice | None,
                 writes: SerialQueue | None = None) -> None:
        self.owner = owner
        self.undo_stack = undo_stack
        self.writes = writes if writes is not None else write_queue(undo_stack)
        self.notice = notice

    @classmethod
    def of(cls, owner: QObject, context: WorkspaceContext,
           notice: Notice | None = None) -> PageOps:
        """The ops of a page (or tab) given `context`: its undo stack and its write queue."""
        return cls(owner, context.undo_stack, notice, context.writes)

    def failure(self, what: str = "") -> Presenter:
        """The default presenter, reading `self.notice` when a failure comes (a page may set
        its notice bar after making its ops)."""
        return lambda exc: present_failure(exc, self.notice, what)

    def write(self, fn: Callable[[], T], on_success: Callable[[T], None], *,
              what: str = "", on_failure: Presenter | None = None) -> None:
        """Run the change `fn` on the write queue, after every write asked before it."""
        self.writes.submit(fn, on_success, on_failure or self.failure(what), owner=self.owner)

    def submit(self, fn: Callable[[], T], on_result: Callable[[T], None],
               on_error: Callable[[BaseException], None] | None = None) -> None:
        """`Writes` for undo commands: `fn` on the write queue, with no default presenter (the
        command reports a refused undo its own way)."""
        self.writes.submit(fn, on_result, on_error, owner=self.owner)

    def read(self, fn: Callable[[], T], on_success: Callable[[T], None], *,
             what: str = "", on_failure: Presenter | None = None) -> None:
        """Run `fn` in the background; every answer is delivered (see `latest` otherwise)."""
        run_blocking(self.owner, fn, on_success, on_failure or self.failure(what))

    def latest(self, what: str = "") -> Latest:
        """A new latest-only read slot of this page."""
        return Latest(self.owner, self.failure(what))


__all__ = [
    "ErrorDialogs",
    "Latest",
    "Notice",
    "PageOps",
    "Presenter",
    "Writes",
    "after_queue",
    "is_refusal",
    "present_failure",
    "present_in_dialog",
    "present_to",
    "quiet_failure",
    "refusal_text",
    "write_queue",
]
