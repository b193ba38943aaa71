"""What can go wrong talking to Asio. Each error says what and where (method, path, field)."""

from __future__ import annotations

from app.domain.errors import PreflightError


class AsioError(PreflightError):
    """The platform could not be reached or answered with an error (CLI exit 2)."""


class AsioAuthError(AsioError):
    """The platform refused the client id or secret (or the token scope)."""


class AsioShapeError(AsioError):
    """An answer that does not fit the vendor's document: which request, which field, and
    which shape arrived instead."""
