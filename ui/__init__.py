"""The Qt (PySide6) front end: windows, pages, dialogs, widgets and item models. No SQL."""
