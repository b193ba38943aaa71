"""Email domains, host names, IP addresses and URLs as the Help Desk forms take them."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

# Free mail providers (seed 004: "a public domain such as Gmail" cannot identify a site).
PUBLIC_EMAIL_DOMAINS: frozenset[str] = frozenset({
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com",
    "passport.com", "yahoo.com", "ymail.com", "rocketmail.com", "icloud.com", "me.com",
    "mac.com", "aol.com", "aim.com", "protonmail.com", "protonmail.ch", "proton.me", "pm.me",
    "gmx.com", "gmx.net", "gmx.de", "mail.com", "zoho.com", "zohomail.com", "yandex.com",
    "yandex.ru", "mail.ru", "web.de", "t-online.de", "fastmail.com", "tutanota.com",
    "hey.com", "qq.com", "163.com", "126.com", "comcast.net", "att.net", "sbcglobal.net",
    "verizon.net", "bellsouth.net", "cox.net", "charter.net", "earthlink.net", "btinternet.com",
    "sky.com", "virginmedia.com", "orange.fr", "free.fr", "laposte.net", "libero.it",
})
# Providers with a domain in many countries (hotmail.co.uk, yahoo.fr, outlook.de, …).
_PUBLIC_FAMILIES = frozenset({"gmail", "hotmail", "outlook", "live", "yahoo", "gmx", "yandex",
                              "aol", "icloud"})
_SECOND_LEVEL = frozenset({"co", "com", "net", "org"})
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)", re.IGNORECASE)


def is_public_domain(domain: str) -> bool:
    """True for free mail domains: the listed ones, and hotmail/yahoo/… under any country."""
    name = domain.strip().lower().rstrip(".")
    if name in PUBLIC_EMAIL_DOMAINS:
        return True
    labels = name.split(".")
    if labels[0] not in _PUBLIC_FAMILIES:
        return False
    if len(labels) == 2:
        return len(labels[1]) == 2 or labels[1] in _SECOND_LEVEL
    return len(labels) == 3 and labels[1] in _SECOND_LEVEL and len(labels[2]) == 2


def domain_problem(domain: str) -> str | None:
    """None when `domain` can be the domain of an email address, else why not."""
    import email_validator  # here, not at start: only a form being checked needs it

    try:
        email_validator.validate_email(f"postmaster@{domain}", check_deliverability=False)
    except email_validator.EmailNotValidError as exc:
        return str(exc).replace("after the @-sign", "in the domain")
    return None


def email_problem(address: str) -> str | None:
    import email_validator

    try:
        email_validator.validate_email(address, check_deliverability=False)
    except email_validator.EmailNotValidError as exc:
        return str(exc)
    return None


def is_host_name(text: str) -> bool:
    """A DNS or NetBIOS name: dot-separated labels of letters, digits and inner hyphens."""
    name = text.rstrip(".")
    labels = name.split(".")
    # An all-digit last label is a mistyped IP address (10.0.0.300), never a top-level domain.
    return (0 < len(name) <= 253 and all(_LABEL.fullmatch(p) for p in labels)
            and not (len(labels) > 1 and labels[-1].isdigit()))


def is_ip_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def is_web_url(text: str) -> bool:
    """An http(s) URL with a host (what a browser opens from an "admin portal" link)."""
    try:
        parts = urlsplit(text)
        port_ok = parts.port is None or 0 < parts.port < 65536
    except ValueError:
        return False
    host = parts.hostname or ""
    return (parts.scheme in ("http", "https") and port_ok
            and (is_host_name(host) or is_ip_address(host)))


def is_address(text: str) -> bool:
    """What a VPN/RDP or backup address may be: an IP, a host name (optionally :port) or a URL."""
    if is_ip_address(text) or is_host_name(text) or is_web_url(text):
        return True
    host, sep, port = text.rpartition(":")
    return bool(sep) and port.isdigit() and 0 < int(port) < 65536 and (
        is_host_name(host) or is_ip_address(host.strip("[]")))
