"""Use cases, called alike by the CLI and the GUI. They take and return plain dataclasses."""
