"""The ConnectWise tables' columns fitted to what they show, each time new rows arrive: names,
settings and values read whole instead of wrapped or elided in 100-pixel columns."""

from __future__ import annotations

from PySide6.QtWidgets import QTableView

MAX_WIDTH = 220  # a fitted column is at most this wide (it wraps); the last one stretches


def fit_columns(view: QTableView, *, rows: bool = False) -> None:
    """Columns to their contents (Qt samples the rows); with `rows`, rows grow to show wrapped
    text whole — for short tables only (a site's drift), it measures every row."""
    view.resizeColumnsToContents()
    header = view.horizontalHeader()
    for column in range(header.count() - 1):
        header.resizeSection(column, min(header.sectionSize(column), MAX_WIDTH))
    if rows:
        view.resizeRowsToContents()


def keep_fitted(view: QTableView, *, rows: bool = False) -> None:
    """Fit the columns whenever the view's model is reset (a plan, a drift report)."""
    view.model().modelReset.connect(lambda: fit_columns(view, rows=rows))
