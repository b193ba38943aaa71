"""A client profile as an Asio contact (`ContactCreateRequest`): names, emails, phone numbers
with the ISO country code and the national number, the company and site references, our id in
`externalIds`. Pure: the push and the tests (hypothesis) call it alike."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import phonenumbers

from app.asio.models import external_ids

# (designation, our country-code field, our number field, our extension field)
PHONES = (("Mobile", "mobile_country_code", "mobile_phone", ""),
          ("Office", "office_country_code", "office_phone", "office_extension"),
          ("Home", "home_country_code", "home_phone", ""))


def national_number(region: str, text: str) -> str:
    """The digits of the national number: parsed for the region when phonenumbers can, else
    the digits as typed (an international prefix of the same country is dropped)."""
    try:
        parsed = phonenumbers.parse(text, region.upper() or None)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is not None and parsed.national_number:
        return str(phonenumbers.national_significant_number(parsed))
    return "".join(ch for ch in text if ch.isdigit())


def contact_request(values: Mapping[str, Any], our_id: str, instance: str,
                    company_id: str, site_id: str) -> dict[str, Any]:
    """The `ContactCreateRequest` of one profile (`values` by template field id)."""
    first = str(values.get("first_name") or "").strip()
    last = str(values.get("last_name") or "").strip()
    body: dict[str, Any] = {
        # both names are required by the document; a one-name profile keeps it as first name
        "firstName": first or last, "lastName": last or first,
        "activeFlag": True,
        "company": {"id": company_id, "site": {"id": site_id}},
        "externalIds": external_ids(our_id, instance),
    }
    title = str(values.get("title") or "").strip()
    if title:
        body["title"] = title
    email = str(values.get("email") or "").strip()
    if email:
        body["emails"] = [{"emailAddress": email, "primaryFlag": True}]
    phones: list[dict[str, Any]] = []
    for designation, cc_field, number_field, ext_field in PHONES:
        number = str(values.get(number_field) or "").strip()
        region = str(values.get(cc_field) or "").strip().upper()
        if not number or not region:
            continue  # the document requires both; validation flagged a number without one
        digits = national_number(region, number)
        if not digits:
            continue
        phone: dict[str, Any] = {"countryCode": region, "nationalNumber": digits,
                                 "designation": designation, "primaryFlag": not phones}
        extension = str(values.get(ext_field) or "").strip() if ext_field else ""
        if extension:
            phone["extension"] = extension
        phones.append(phone)
    if phones:
        body["phoneNumbers"] = phones
    return body
