"""The ConnectWise Asio connector (docs/asio.md): the partner API's client, the pull that
brings companies, sites, endpoints, ticketing lookups and effective policies home, and the push
that creates companies, sites and contacts there. No Qt; the GUI drives it through qasync."""

from app.asio.client import AsioClient, resolve_base_url
from app.asio.errors import AsioAuthError, AsioError, AsioShapeError

__all__ = ["AsioAuthError", "AsioClient", "AsioError", "AsioShapeError", "resolve_base_url"]
