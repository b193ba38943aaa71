"""Log files in the platform's log folder, rotated; the path is told to users on errors."""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import platformdirs

LOG_FILE_NAME = "preflight.log"


# `password=…` and `"password": "…"` (JSON, repr of a dict) in a message: the value is masked.
_KEYS = r"(password|passwd|passphrase|secret|api[_-]?key|private[_-]?key|token)"
# (also with a prefix: `client_secret=…`, `vault_password=…`)
_ASSIGNED = re.compile(r"(?i)\b([\w-]*" + _KEYS + r")(\s*=\s*)(\"[^\"]*\"|'[^']*'|\S+)")
# `Authorization: Bearer …` and credentials in a URL (`https://user:pw@host`)
_BEARER = re.compile(r"(?i)\b(Bearer|Basic)(\s+)[A-Za-z0-9._~+/=-]{8,}")
_URL_CREDENTIALS = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^\s:/@]+:)[^\s@/]+@")
_QUOTED = re.compile(r"(?i)([\"'][\w-]*" + _KEYS + r"[\"']\s*:\s*)(\"[^\"]*\"|'[^']*')")
SECRET_ENV = ("PREFLIGHT_VAULT_PASSWORD",)


def redact(text: str) -> str:
    """`text` without the master password of the environment, and with the value of anything
    written as `password=…` masked. A second line of defence: the vault never logs a secret."""
    for name in SECRET_ENV:
        value = os.environ.get(name)
        if value and len(value) >= 4:
            text = text.replace(value, "***")
    text = _ASSIGNED.sub(lambda m: f"{m.group(1)}{m.group(3)}***", text)
    text = _BEARER.sub(lambda m: f"{m.group(1)}{m.group(2)}***", text)
    text = _URL_CREDENTIALS.sub(lambda m: f"{m.group(1)}***@", text)
    return _QUOTED.sub(lambda m: f"{m.group(1)}'***'", text)


class RedactSecrets(logging.Filter):
    """Applied to the log file's handler: the message and any traceback are redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def log_dir() -> Path:
    return platformdirs.user_log_path("Preflight", appauthor=False)


CRASH_FILE_NAME = "crash.log"
CRASH_FILE_MAX_BYTES = 1_000_000


class _Crash:
    stream: IO[str] | None = None


def enable_crash_log(folder: Path | None = None) -> Path | None:
    """Native crashes (a segfault inside Qt, an abort) write every thread's Python traceback
    to crash.log in the log folder (faulthandler), where Help → Open Logs Folder shows it.
    None when the folder is not writable (faulthandler then stays as it was)."""
    path = (folder or log_dir()) / CRASH_FILE_NAME
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > CRASH_FILE_MAX_BYTES:
            path.replace(path.with_name(CRASH_FILE_NAME + ".1"))
        stream = open(path, "a", encoding="utf-8")  # noqa: SIM115 - kept open for faulthandler
    except OSError:
        return None
    stream.write(f"--- Preflight started {datetime.now(UTC).isoformat(timespec='seconds')}"
                 f" (pid {os.getpid()}); a native crash is reported below ---\n")
    stream.flush()
    faulthandler.enable(stream, all_threads=True)
    if _Crash.stream is not None:
        _Crash.stream.close()
    _Crash.stream = stream
    return path


def disable_crash_log() -> None:
    if _Crash.stream is not None:
        faulthandler.disable()
        _Crash.stream.close()
        _Crash.stream = None


def setup_logging(level: int = logging.INFO) -> Path:
    """Send our loggers to a rotating file; fall back silently to none if the folder is not
    writable (logging must never stop the app from working)."""
    path = log_dir() / LOG_FILE_NAME
    root = logging.getLogger()
    if any(getattr(h, "_preflight", False) for h in root.handlers):
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        return path
    handler._preflight = True  # type: ignore[attr-defined]
    handler.addFilter(RedactSecrets())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    return path
