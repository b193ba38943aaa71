"""Widgets of the Preflight desktop app."""
