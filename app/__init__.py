"""Preflight core: domain rules, services, import/export, vault and sync. No Qt here."""

__version__ = "0.1.0"
