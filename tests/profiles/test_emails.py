"""The email fast path only ever accepts what email-validator accepts."""

from __future__ import annotations

import email_validator
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.profiles.emails import email_fix, email_problem, plainly_valid

_atom = st.text(alphabet="abcXYZ019!#$%&'*+/=?^_`{|}~-.", min_size=1, max_size=70)
_label = st.text(alphabet="abz09-", min_size=1, max_size=70)
_tld = st.text(alphabet="abcdefghijklmnopqrstuvwxyzT", min_size=1, max_size=12) | st.sampled_from(
    ["test", "local", "localhost", "onion", "arpa", "invalid", "com", "TEST"])


def _accepted(address: str) -> bool:
    try:
        email_validator.validate_email(address, check_deliverability=False)
    except email_validator.EmailNotValidError:
        return False
    return True


@settings(max_examples=600, deadline=None)
@given(st.builds(lambda local, labels, tld: f"{local}@{'.'.join(labels)}.{tld}", _atom,
                 st.lists(_label, min_size=1, max_size=3), _tld) | st.emails() | st.text())
@example("ada@contoso.com")
@example("a" * 64 + "@contoso.com")
@example("a" * 65 + "@contoso.com")
@example("ada@" + "b" * 64 + ".com")
@example("ada@xn--bcher-kva.com")
@example("ada@a--b.com")
def test_fast_path_never_accepts_what_email_validator_refuses(address: str) -> None:
    if plainly_valid(address):
        assert _accepted(address), address
    assert (email_problem(address) is None) == _accepted(address)


@pytest.mark.parametrize(("text", "fix"), [
    ("Ada Lovelace <ada@contoso.com>", "ada@contoso.com"),
    ("mailto:ada@contoso.com", "ada@contoso.com"),
    ("ada@@contoso.com", None), ("ada@contoso.com", None)])
def test_email_fix(text: str, fix: str | None) -> None:
    assert email_fix(text) == fix
