"""The questions the Passwords tab asks (files, an export password), behind one object tests
replace, as `ui.dialogs.DialogService` which it extends."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ui.dialogs import DialogService

EXPORT_FILTER = "Preflight vault export (*.pfvault);;All files (*)"
CSV_FILTER = "CSV files (*.csv *.txt);;All files (*)"
PLAINTEXT_FILTER = "CSV, UTF-8 (*.csv)"


class PasswordPrompt(QDialog):
    """A password, optionally typed twice; OK stays disabled until it is long enough and the
    two match."""

    def __init__(self, title: str, label: str, *, confirm: bool, min_length: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("vaultPasswordPrompt")
        self.setWindowTitle(title)
        self.min_length = min_length
        layout = QVBoxLayout(self)
        text = QLabel(label, self)
        text.setWordWrap(True)
        layout.addWidget(text)
        form = QFormLayout()
        self.password = QLineEdit(self)
        self.password.setObjectName("promptPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("Password:", self.password)
        self.again: QLineEdit | None = None
        if confirm:
            self.again = QLineEdit(self)
            self.again.setObjectName("promptConfirm")
            self.again.setEchoMode(QLineEdit.EchoMode.Password)
            form.addRow("Confirm:", self.again)
            self.again.textChanged.connect(self._check)
        layout.addLayout(form)
        self.hint = QLabel(self)
        self.hint.setObjectName("promptHint")
        layout.addWidget(self.hint)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.password.textChanged.connect(self._check)
        self._check()

    def _check(self, *_args: object) -> None:
        text = self.password.text()
        problem = ""
        if len(text) < self.min_length:
            problem = f"At least {self.min_length} characters."
        elif self.again is not None and self.again.text() != text:
            problem = "The two passwords differ."
        self.hint.setText(problem)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not problem)

    def value(self) -> str:
        return self.password.text()


class VaultDialogs(DialogService):
    def open_file(self, title: str, start: Path, filters: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self.parent, title, str(start), filters)
        return Path(name) if name else None

    def save_file(self, title: str, suggested: Path, filters: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self.parent, title, str(suggested), filters)
        if not name:
            return None
        path = Path(name)
        return path if path.suffix else path.with_suffix(suggested.suffix)

    def ask_password(self, title: str, label: str, *, confirm: bool = False,
                     min_length: int = 1) -> str | None:
        """A password typed into a masked field (twice with `confirm`), or None."""
        prompt = PasswordPrompt(title, label, confirm=confirm, min_length=min_length,
                                parent=self.parent)
        try:
            if prompt.exec() != QDialog.DialogCode.Accepted:
                return None
            return prompt.value()
        finally:
            prompt.password.clear()
            if prompt.again is not None:
                prompt.again.clear()
            prompt.deleteLater()


__all__ = ["CSV_FILTER", "EXPORT_FILTER", "PLAINTEXT_FILTER", "PasswordPrompt", "VaultDialogs"]
