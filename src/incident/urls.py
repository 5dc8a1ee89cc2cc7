"""The one URL rule of the package: which addresses may be cited, linked and shown.

A source's URL is evidence: the reader follows it to check the claim, and the site shows
its host next to the outlet's name. An address that is malformed, or that can show one host
and lead to another, is refused here, with a reason in plain words and never a traceback.
The loader (:mod:`incident.evidence.checks`) and the site use these three functions:

- :func:`check` — the reason an address is refused, or ``None``;
- :func:`is_safe` — ``check(url) is None``;
- :func:`host` — the real host, lowercase, for display next to the outlet.

Refused: anything that is not a string; empty addresses; white space, control, format
(zero-width, bidi) and separator characters anywhere; schemes other than ``http`` and
``https``; an empty host; user info before the host (``https://www.waz.de@evil.example/``
leads to ``evil.example``); hosts that are not plain ASCII (internationalised domain names
are refused with their punycode form in the reason, since a look-alike such as Cyrillic
"hеise.de" cannot be told from the real one on screen); host characters other than
letters, digits, ``-``, ``_`` and ``.``; bad ports and bracketed IP literals; addresses
longer than :data:`MAX_LENGTH`. Non-ASCII characters in the path, query or fragment are
allowed (German page slugs), as long as they are visible.

Example:
    >>> check("https://www.waz.de/staedte/a.html") is None
    True
    >>> check("https://www.waz.de@evil.example/x")
    "user info before the host ('www.waz.de@'): the address leads to 'evil.example'"
    >>> host("HTTPS://WWW.WAZ.DE:443/x")
    'www.waz.de'
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from urllib.parse import urlsplit

#: Schemes a cited page may have.
SCHEMES = ("http", "https")
#: Longest address accepted (browsers and archives cope with far more; evidence URLs do not need it).
MAX_LENGTH = 2048

_LABEL = re.compile(r"[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?")


def _show(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _bad_character(url: str) -> str | None:
    for i, ch in enumerate(url):
        cat = unicodedata.category(ch)
        if ch.isspace() or cat[0] in "CZ":  # Cc controls, Cf format (zero-width, bidi), Co, Cn, Zs/Zl/Zp
            name = unicodedata.name(ch, "unnamed")
            return f"contains the invisible or white-space character U+{ord(ch):04X} ({name}) at position {i}"
    return None


def _punycode(hostname: str) -> str | None:
    try:
        return hostname.encode("idna").decode("ascii")
    except UnicodeError:
        return None


def _split(url: str):
    """``urlsplit`` plus the port, or the reason they fail."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        return None, f"malformed address: {exc}"
    return parts, None


def check(url: object) -> str | None:
    """Why ``url`` may not be cited or linked, or ``None`` when it may.

    Args:
        url: The address as written in the table.

    Returns:
        A reason in plain words, or None for a safe http(s) address.
    """
    if not isinstance(url, str):
        return f"not a text value ({type(url).__name__})"
    if not url:
        return "empty address"
    if len(url) > MAX_LENGTH:
        return f"longer than {MAX_LENGTH} characters"
    bad = _bad_character(url)
    if bad:
        return bad
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in SCHEMES:
        return f"scheme {scheme + ':' if scheme else '(none)'} is not http or https"
    parts, reason = _split(url)
    if reason:
        return reason
    if not url[len(scheme) + 1 :].startswith("//"):
        return "no '//' after the scheme: not an absolute http(s) address"
    netloc = parts.netloc
    if not netloc:
        return "empty host"
    if "@" in netloc:
        userinfo, real = netloc.rsplit("@", 1)
        return f"user info before the host ({_show(userinfo + '@')}): the address leads to {_show(real.lower())}"
    hostname = parts.hostname or ""
    if not hostname:
        return "empty host"
    if not hostname.isascii():
        puny = _punycode(hostname)
        shown = f"punycode {puny!r}" if puny else "no valid punycode form"
        return (
            f"host {_show(hostname)} is not plain ASCII (internationalised domain name, {shown}); "
            "refused: a look-alike host cannot be told from the real one"
        )
    if netloc.startswith("["):
        try:
            ipaddress.IPv6Address(hostname.split("%", 1)[0])
        except ValueError:
            return f"host {_show(hostname)} is not a valid IPv6 address"
        return None
    labels = hostname[:-1].split(".") if hostname.endswith(".") else hostname.split(".")
    if not all(_LABEL.fullmatch(label) for label in labels):
        return f"host {_show(hostname)} is not a valid host name (letters, digits, '-', '_' and '.')"
    if len(hostname) > 253:
        return "host name longer than 253 characters"
    return None


def is_safe(url: object) -> bool:
    """Whether ``url`` passes :func:`check`."""
    return check(url) is None


def host(url: object) -> str:
    """The host an address really leads to, lowercase, for display next to the outlet name.

    For an address that :func:`check` refuses this is still the host a browser would
    contact where one can be told (the part after any user info; the punycode form of an
    internationalised name), else ``""``. Never raises.

    Args:
        url: The address.

    Returns:
        E.g. ``"www.waz.de"``; ``""`` when there is no host.
    """
    if not isinstance(url, str):
        return ""
    parts, reason = _split(url.strip())
    if parts is None:
        try:
            parts = urlsplit(url.strip())
        except ValueError:
            return ""
    try:
        hostname = parts.hostname or ""
    except ValueError:
        return ""
    if hostname and not hostname.isascii():
        return _punycode(hostname) or ""
    return hostname
