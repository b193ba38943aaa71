"""The `preflight` program: the one layer above ui/ and app/cli/ that wires the desktop app to
the command line, so nothing below ui/ imports it (docs/architecture.md). `preflight` alone
and `preflight gui` start the desktop app; every other command is the command line's."""
