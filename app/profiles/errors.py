"""The one error a reader raises: the file is refused, with what is wrong and what to do."""

from __future__ import annotations

from app.domain.errors import RuleViolation


class ReadError(RuleViolation):
    """A file could not be read as a client-profile spreadsheet; nothing was imported.

    `code` is stable (for tests, the CLI's JSON and the GUI); the message is one or two sentences
    for the user: what is wrong, then what to do about it.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# Stable codes of ReadError, with what they mean.
READ_ERROR_CODES: dict[str, str] = {
    "file.empty": "the file has 0 bytes",
    "file.too_large": "the file is over the size limit",
    "file.not_spreadsheet": "not an XLSX, ODS or CSV file (e.g. an image renamed .xlsx)",
    "file.encrypted_or_xls": "an OLE2 file: an encrypted workbook or a legacy .xls",
    "file.unsupported": "a spreadsheet format that is not read (e.g. .xlsb)",
    "file.damaged": "a truncated or damaged workbook, or XML with entity declarations",
    "file.zip_bomb": "the archive expands beyond the limits (entries, size or ratio)",
    "csv.encoding": "the text is not UTF-8, UTF-16 or Windows-1252",
    "csv.mixed_delimiters": "rows of the file use different delimiters",
    "csv.cell_too_large": "a cell is longer than the cell limit",
    "sheet.too_many_columns": "more columns than the column limit",
    "sheet.too_many_rows": "more rows than the row limit",
    "sheet.not_found": "the sheet asked for is not in the workbook",
    "sheet.no_header": "no row of the sheet looks like the template's header row",
    "sheet.no_rows": "a header row but no profile rows below it",
}
