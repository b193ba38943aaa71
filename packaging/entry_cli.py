"""Entry point of the bundled console program (`preflight-cli`, `preflight-cli.exe`).

The same as `preflight = preflight.main:main`, plus one option for the build itself:
`preflight-cli --bundle-check` imports every module of ours and exercises the libraries that
load code or data lazily (which PyInstaller's static analysis can miss), printing one line per
check; exit code 0 when all pass. `packaging/smoke_test.py` runs it on the built bundle.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path


def _our_modules() -> str:
    count = 0
    for package in ("preflight", "app", "ui", "storage"):
        root = importlib.import_module(package)
        for info in pkgutil.walk_packages(root.__path__, f"{package}."):
            # the migrations are files Alembic runs itself (`migrations` below, and `init`);
            # a __main__ module would run the command line
            if info.name.startswith("storage.migrations") or info.name.endswith(".__main__"):
                continue
            importlib.import_module(info.name)
            count += 1
    if count < 20:
        raise RuntimeError(f"only {count} modules found: is the bundle complete?")
    return f"{count} modules"


def _migrations() -> str:
    from storage.migrate import MIGRATIONS, head_revision

    scripts = sorted(p.name for p in (MIGRATIONS / "versions").glob("0*.py"))
    if not (MIGRATIONS / "env.py").is_file() or not scripts:
        raise FileNotFoundError(f"no Alembic scripts in {MIGRATIONS}")
    return f"head {head_revision()}, {len(scripts)} scripts"


def _phones() -> str:
    import phonenumbers
    from phonenumbers import PhoneMetadata

    number = phonenumbers.parse("+49 30 901820", None)  # region data is imported lazily
    if not phonenumbers.is_valid_number(number):
        raise ValueError("a valid German number was refused")
    missing = [r for r in ("US", "GB", "DE", "FR", "AU", "JP")
               if PhoneMetadata.metadata_for_region(r, None) is None]
    if missing:
        raise LookupError(f"no metadata for {missing}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _emails() -> str:
    import email_validator

    return str(email_validator.validate_email("admin@example.com",
                                              check_deliverability=False).normalized)


def _spreadsheets() -> str:
    import python_calamine
    import xlsxwriter

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "check.xlsx")
        book = xlsxwriter.Workbook(str(path))
        book.add_worksheet("Profiles").write_row(0, 0, ["Site", "Seats"])
        book.close()
        rows = python_calamine.CalamineWorkbook.from_path(str(path)) \
            .get_sheet_by_index(0).to_python()
    if rows[0] != ["Site", "Seats"]:
        raise ValueError(f"read back {rows!r}")
    return "xlsxwriter -> calamine"


def _crypto() -> str:
    from argon2.low_level import Type, hash_secret_raw
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    key = hash_secret_raw(b"pw", b"saltsaltsaltsalt", time_cost=1, memory_cost=8,
                          parallelism=1, hash_len=32, type=Type.ID)
    box = AESGCM(key)
    if box.decrypt(b"\0" * 12, box.encrypt(b"\0" * 12, b"secret", None), None) != b"secret":
        raise ValueError("AES-GCM round trip failed")
    return "argon2id + AES-GCM"


def _keyrings() -> str:
    import keyring
    import keyring.backend

    names = sorted({type(b).__module__ for b in keyring.backend.get_all_keyring()})
    wanted = {"win32": "keyring.backends.Windows", "darwin": "keyring.backends.macOS"}.get(
        sys.platform)
    if wanted and wanted not in names:
        raise LookupError(f"{wanted} missing; found {names}")
    return f"{type(keyring.get_keyring()).__name__}; backends {', '.join(names) or 'none'}"


def _http() -> str:
    import httpx

    with httpx.Client(timeout=1):  # builds the TLS context from certifi's CA file
        pass
    return f"httpx {httpx.__version__}"


def _qt() -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication, QImageReader  # noqa: TID251 - the bundle's Qt

    app = QGuiApplication.instance() or QGuiApplication(["preflight"])
    formats = {bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()}
    missing = {"png", "ico", "svg"} - formats
    if missing:
        raise LookupError(f"no Qt image format plugin for {sorted(missing)}")
    return f"platform {app.platformName()}, images {', '.join(sorted(formats))}"


CHECKS: tuple[tuple[str, Callable[[], str]], ...] = (
    ("our modules import", _our_modules), ("alembic scripts", _migrations),
    ("phonenumbers", _phones), ("email_validator", _emails), ("spreadsheets", _spreadsheets),
    ("vault crypto", _crypto), ("keyring", _keyrings), ("httpx", _http), ("qt plugins", _qt),
)


def bundle_check() -> int:
    failures = []
    for name, probe in CHECKS:
        try:
            detail = probe()
        except Exception as exc:  # report every failure, not just the first
            failures.append(name)
            print(f"FAIL {name}: {type(exc).__name__}: {exc}", flush=True)
        else:
            print(f"ok   {name}: {detail}", flush=True)
    print(f"bundle check: {'FAILED ' + ', '.join(failures) if failures else 'all passed'}")
    return 1 if failures else 0


def main() -> int:
    if sys.argv[1:] == ["--bundle-check"]:
        return bundle_check()
    from preflight.main import main as preflight

    return preflight()


if __name__ == "__main__":
    sys.exit(main())
