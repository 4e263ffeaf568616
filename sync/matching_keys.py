"""Normalised keys that customer-to-account matching compares (SPEC §6, §7b).

- Domains compare case-insensitively and exactly: ``eu.acme.com`` is not
  ``acme.com`` (no subdomain folding). Internationalised domains compare in
  their ASCII (IDNA) form so ``café.fr`` and ``xn--caf-dma.fr`` are one domain.
- Names compare ignoring case and spacing (all whitespace removed), after
  Unicode NFKC; punctuation and accents still count.
- Personal email domains (webmail providers) say nothing about the company.
"""

from __future__ import annotations

import re
import unicodedata

# Exact personal (webmail) domains.
PERSONAL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "passport.com",
        "yahoo.com",
        "ymail.com",
        "rocketmail.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "aim.com",
        "proton.me",
        "protonmail.com",
        "protonmail.ch",
        "pm.me",
        "mail.com",
        "email.com",
        "zoho.com",
        "zohomail.com",
        "fastmail.com",
        "fastmail.fm",
        "hey.com",
        "tutanota.com",
        "tuta.io",
        "hushmail.com",
        "qq.com",
        "163.com",
        "126.com",
        "sina.com",
        "naver.com",
        "daum.net",
        "mail.ru",
        "inbox.ru",
        "bk.ru",
        "list.ru",
        "rambler.ru",
        "web.de",
        "t-online.de",
        "freenet.de",
        "orange.fr",
        "wanadoo.fr",
        "free.fr",
        "sfr.fr",
        "laposte.net",
        "libero.it",
        "virgilio.it",
        "btinternet.com",
        "sky.com",
        "comcast.net",
        "verizon.net",
        "att.net",
        "sbcglobal.net",
        "cox.net",
        "charter.net",
        "earthlink.net",
        "rediffmail.com",
        "seznam.cz",
        "wp.pl",
        "o2.pl",
        "interia.pl",
    }
)

# Providers with one domain per country: ``gmx.de``, ``yandex.ru``, ``yahoo.co.uk``.
PERSONAL_BRANDS = frozenset({"gmx", "yandex", "yahoo", "hotmail", "outlook", "live", "windowslive"})
_COUNTRY_SECOND_LEVELS = frozenset({"co", "com", "net", "org", "ne", "or"})

_WHITESPACE = re.compile(r"\s+")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def name_key(name: str | None) -> str:
    """The comparison key of a company or customer name ('' when there is none)."""
    if not name:
        return ""
    return _WHITESPACE.sub("", unicodedata.normalize("NFKC", name)).casefold()


def _ascii_domain(domain: str) -> str:
    if domain.isascii():
        return domain
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return domain


def email_domain(email: str | None) -> str | None:
    """The lower-case domain of an email address, or None when it has none."""
    if not email or "@" not in email:
        return None
    domain = email.strip().rsplit("@", 1)[1].strip().strip("<>").rstrip(".").lower()
    return _ascii_domain(domain) or None


def is_valid_domain(domain: str) -> bool:
    """A syntactically valid host name with at least two labels (``acme.com``)."""
    labels = domain.split(".")
    if len(labels) < 2 or len(domain) > 253:
        return False
    return all(_LABEL.match(label) for label in labels) and not labels[-1].isdigit()


def is_personal_domain(domain: str | None) -> bool:
    """True for webmail domains (gmail.com, gmx.de, yahoo.co.uk, …)."""
    if not domain:
        return False
    domain = domain.lower()
    if domain in PERSONAL_DOMAINS:
        return True
    brand, _, rest = domain.partition(".")
    if brand not in PERSONAL_BRANDS or not rest:
        return False
    parts = rest.split(".")
    # ``gmx.de`` / ``yahoo.co.uk``; never ``outlook.acme.com``.
    return len(parts) == 1 or (len(parts) == 2 and parts[0] in _COUNTRY_SECOND_LEVELS)
