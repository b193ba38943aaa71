"""Log files in the platform's log folder, rotated; the path is told to users on errors."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

import platformdirs

LOG_FILE_NAME = "preflight.log"


def log_dir() -> Path:
    return platformdirs.user_log_path("Preflight", appauthor=False)


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
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    return path
