"""Pure domain rules: no I/O, no database, no Qt. Everything here is plain, typed Python."""
