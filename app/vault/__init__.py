"""The encrypted credential vault's core (issue 6, docs/architecture.md §6): pure Python, no Qt, no
storage.

- `crypto`: the record format (FORMAT.md), AES-256-GCM field encryption with associated data
  binding workspace + record + field, the Argon2id key wrap with stored, upgradable parameters.
- `keychain`: "remember on this device" through trusted OS keyrings only.
- `idle`: the clock-injectable idle timer behind "lock after 5 minutes".
- `passwords`: generator and strength estimate.
- `items`: the item kinds and the secret-free views front ends show.
- `csvimport`: IT Glue / Hudu-style password CSV exports, validated with the client profiles'
  report shape.
- `exchange`: the password-protected export file of a site's vault.
- `errors`: VaultLocked, WrongPassword, DecryptionFailed, NoSecureKeyring, ...

Nothing is imported here, so `app.vault.items` stays cheap for the CLI's parser; the crypto
libraries load with `app.vault.crypto`. The use cases (and the database) are in
`app.services.vault` (`workspace.vault`: session, items, app secrets, exchange).
"""
