"""The environment variables that name the sync backend, the API client and its secret.

Apart from `app.services.sync` so that the command line can build its parser without loading
the sync engine and its HTTP client.
"""

from __future__ import annotations

SERVER_ENV, CLIENT_ENV, SECRET_ENV = (
    "PREFLIGHT_SYNC_SERVER", "PREFLIGHT_SYNC_CLIENT_ID", "PREFLIGHT_SYNC_SECRET")

__all__ = ["CLIENT_ENV", "SECRET_ENV", "SERVER_ENV"]
