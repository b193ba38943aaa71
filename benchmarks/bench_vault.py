"""Vault figures (issue 6): unlock beside raw Argon2id with the same parameters, field
encryption/decryption beside raw AES-GCM, listing and revealing 1,000 items, and the master
password change of a vault of 10,000 items beside one unlock.

    .venv/bin/python benchmarks/bench_vault.py [--fields 10000 --items 10000 --runs 5]

Uses the real defaults (Argon2id 64 MiB, t=3, p=4). The workspace is generated in a temporary
folder and thrown away. Times are medians; nothing is asserted (docs/architecture.md §11).
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.pop("PREFLIGHT_VAULT_INSECURE_TEST_KDF", None)  # the real parameters, always

from argon2.low_level import Type, hash_secret_raw  # noqa: E402
from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: E402

from app.services.vault import Vault  # noqa: E402
from app.services.workspace import Workspace  # noqa: E402
from app.vault import crypto  # noqa: E402
from app.vault.keychain import Keychain  # noqa: E402

PASSWORD = "benchmark master password 2026"
PASSWORDS = [PASSWORD, PASSWORD + " 2"]  # current, next: each change swaps them


def median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def paired(ours: Callable[[], object], peer: Callable[[], object],
           runs: int) -> tuple[float, float]:
    """Medians of `ours` and `peer` run alternately, so load on the machine hits both alike."""
    a, b = [], []
    for _ in range(runs):
        for fn, times in ((ours, a), (peer, b)):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return statistics.median(a), statistics.median(b)


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:9.1f} ms"


def row(label: str, ours: float, peer: float | None, peer_label: str, goal: str = "") -> None:
    ratio = f"{ours / peer:5.2f}×" if peer else "     "
    peer_text = fmt(peer) if peer is not None else " " * 12
    print(f"{label:<44} {fmt(ours)} {peer_text}  {ratio}  {peer_label:<34} {goal}")


def make_csv(path: Path, count: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "username", "password", "url", "notes", "password_category_name"])
        kinds = ("Server", "Desktop", "iDRAC", "Application", "Other")
        for i in range(count):
            writer.writerow([f"Entry {i:05d}", f"user{i}", f"pw-{i:05d}-{os.urandom(6).hex()}",
                             f"10.0.{i // 250}.{i % 250}", f"note {i}", kinds[i % 5]])


def service(ws: Workspace) -> Vault:
    return Vault(ws.db, keychain=Keychain(backend=object()), wrong_password_delay=0)


def bench_unlock(vault: Vault, runs: int) -> float:
    """Unlock beside raw Argon2id with the same parameters and salt."""
    stored = vault.session.kdf_params()

    def unlock() -> None:
        vault.session.lock()
        vault.session.unlock(PASSWORD)

    def raw_argon2() -> None:
        hash_secret_raw(PASSWORD.encode(), stored.salt, time_cost=stored.time_cost,
                        memory_cost=stored.memory_kib, parallelism=stored.parallelism,
                        hash_len=32, type=Type.ID)

    raw_argon2()
    unlock_time, raw_time = paired(unlock, raw_argon2, runs)
    row("unlock (master password)", unlock_time, raw_time,
        "argon2 hash_secret_raw, same params", "≤ 1.2×")
    return unlock_time


def bench_fields(count: int) -> None:
    key = crypto.VaultKey.generate()
    aead = AESGCM(bytes(key.raw()))
    values = [f"secret value {i:06d} {os.urandom(8).hex()}" for i in range(count)]
    ads = [crypto.associated_data(crypto.FIELD, "ws", f"item-{i}", "password")
           for i in range(count)]
    sealed: list[str] = []
    raw_sealed: list[tuple[bytes, bytes]] = []

    def ours_encrypt() -> None:
        sealed[:] = [crypto.seal(key.aead, v, ad) for v, ad in zip(values, ads, strict=True)]

    def raw_encrypt() -> None:
        raw_sealed[:] = []
        for v, ad in zip(values, ads, strict=True):
            nonce = os.urandom(12)
            raw_sealed.append((nonce, aead.encrypt(nonce, v.encode(), ad)))

    def ours_decrypt() -> None:
        for text, ad in zip(sealed, ads, strict=True):
            crypto.open_text(key.aead, text, ad)

    def raw_decrypt() -> None:
        for (nonce, body), ad in zip(raw_sealed, ads, strict=True):
            aead.decrypt(nonce, body, ad)

    row(f"encrypt {count:,} fields (record+base64)", median_time(ours_encrypt, 3),
        median_time(raw_encrypt, 3), "AESGCM.encrypt, same AD")
    row(f"decrypt {count:,} fields", median_time(ours_decrypt, 3),
        median_time(raw_decrypt, 3), "AESGCM.decrypt, same AD")


def bench_site(ws: Workspace, vault: Vault, site: str, count: int, *, runs: int,
               tmp: Path) -> None:
    """A site of 1,000 items: list (no secrets), and reveal each on demand."""
    source = tmp / "small.csv"
    make_csv(source, count)
    vault.exchange.import_csv(source, site)

    def raw_list() -> None:
        conn = sqlite3.connect(ws.path)
        conn.execute("SELECT id, kind, title, username, url, properties_json FROM "
                     "vault_items WHERE site_id = ? AND deleted_at IS NULL", (site,)).fetchall()
        conn.close()

    listed = vault.items.list(site)
    row(f"list {count:,} items of a site", median_time(lambda: vault.items.list(site), runs),
        median_time(raw_list, runs), "sqlite3 SELECT of the same rows", "≤ 50 ms")
    row(f"reveal the password of {count:,} items",
        median_time(lambda: [vault.items.reveal(v.id) for v in listed], 3), None,
        "(decrypt on demand, one query each)")


def bench_change(vault: Vault, items: int, runs: int, unlock_time: float) -> None:
    """Only the key is re-wrapped. In the unlocked session (the app's Change Master Password)
    one Argon2id run derives the new wrapping key; given the old password too, it is checked
    with a second run, side by side in two threads."""
    def change_unlocked() -> None:
        vault.session.change_password(None, PASSWORDS[1])
        PASSWORDS.reverse()

    def change_with_old() -> None:
        vault.session.change_password(PASSWORDS[0], PASSWORDS[1])
        PASSWORDS.reverse()

    row(f"change master password, unlocked ({items:,} items)",
        median_time(change_unlocked, runs), unlock_time, "one unlock", "≤ 1.2×")
    row(f"change master password, old re-checked ({items:,})",
        median_time(change_with_old, runs), unlock_time, "one unlock", "(two Argon2id)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fields", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--listed", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"Preflight vault figures — {platform.platform()}, Python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs; {crypto.KdfParams().cost()}")
    print(f"{'figure':<44} {'ours':>12} {'peer':>12}  ratio  {'peer is':<34} goal")
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        ws = Workspace.open(tmp / "bench.preflight", create=True)
        ws.companies.create("Bench")
        big = ws.sites.create("Bench", "Big").id
        small = ws.sites.create("Bench", "Small").id
        vault = service(ws)
        vault.session.init(PASSWORD)
        unlock_time = bench_unlock(vault, args.runs)
        bench_fields(args.fields)
        bench_site(ws, vault, small, args.listed, runs=args.runs, tmp=tmp)
        bench_change(vault, args.listed, args.runs, unlock_time)
        source = tmp / "big.csv"
        make_csv(source, args.items)
        start = time.perf_counter()
        vault.exchange.import_csv(source, big)
        row(f"import a CSV of {args.items:,} passwords", time.perf_counter() - start, None,
            "(once)")
        bench_change(vault, args.items + args.listed, args.runs, unlock_time)
        vault.close()
        ws.close()


if __name__ == "__main__":
    main()
