"""The client profile, the unit of import, storage and export, and how profiles are matched."""

from __future__ import annotations

from collections.abc import Container, Iterator, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter

from app.profiles.sheet import Sheet
from app.profiles.template import FIELDS

ProfileKey = tuple[str, ...]
_ATTRIBUTES = attrgetter(*FIELDS)
_VIP = FIELDS.index("vip")


@dataclass(frozen=True, slots=True)
class Profile:
    """One client profile; attribute names are the template's field ids. Text is kept exactly
    as imported (validation proposes fixes; it never changes a value silently)."""

    first_name: str
    last_name: str
    email: str = ""
    title: str = ""
    vip: bool = False
    mobile_country_code: str = ""
    mobile_phone: str = ""
    mobile_provider: str = ""
    mobile_sms_gateway: str = ""
    office_country_code: str = ""
    office_phone: str = ""
    office_extension: str = ""
    home_country_code: str = ""
    home_phone: str = ""
    computer_name: str = ""
    notes: str = ""

    @classmethod
    def from_values(cls, values: Mapping[str, str]) -> Profile:
        """From template text per field id (VIP "Yes" is True; blank or "No" is False)."""
        fields = {f: values.get(f, "") for f in FIELDS}
        vip = fields.pop("vip").strip().casefold() == "yes"
        return cls(vip=vip, **fields)

    def values(self) -> dict[str, str]:
        """Template text per field id, in template order (VIP as "Yes"/"No")."""
        return dict(zip(FIELDS, self.texts(), strict=True))

    def texts(self) -> list[str]:
        """Template text in template column order (VIP as "Yes"/"No")."""
        texts = list(_ATTRIBUTES(self))
        texts[_VIP] = "Yes" if self.vip else "No"
        return texts

    @property
    def key(self) -> ProfileKey:
        return profile_key(self.first_name, self.last_name, self.email,
                           (self.mobile_phone, self.office_phone, self.home_phone))


def _digits(text: str) -> str:
    return "".join(ch for ch in text if "0" <= ch <= "9")


def profile_key(first_name: str, last_name: str, email: str,
                phones: Sequence[str]) -> ProfileKey:
    """What makes two profiles the same person (docs/architecture.md §4, issue 5): the email,
    compared without case; without an email, the name (without case or extra spaces) and the first
    phone number given (mobile, else office, else home; digits only)."""
    address = email.strip()
    if address:
        return ("email", address.casefold())
    phone = next((_digits(p) for p in phones if p.strip()), "")
    return ("name", " ".join(first_name.split()).casefold(),
            " ".join(last_name.split()).casefold(), phone)


def profiles_from_sheet(sheet: Sheet,
                        rows: Container[int] | None = None) -> Iterator[tuple[int, Profile]]:
    """(row number, Profile) for the sheet's rows, or only those whose number is in `rows`
    (e.g. the rows a validation report found valid)."""
    for number, values in sheet.records():
        if rows is None or number in rows:
            yield number, Profile.from_values(values)
