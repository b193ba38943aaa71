"""Sync → ConnectWise…: the Asio connector's dialog (docs/asio.md)."""
