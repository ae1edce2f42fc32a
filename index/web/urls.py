"""Web addresses: the canonical form an article is known by, its id, and which addresses may be fetched."""

from __future__ import annotations

import hashlib
import ipaddress
import socket
from urllib.parse import urldefrag, urlsplit

import courlan

from newsbot.index.web.errors import WebError

__all__ = ["article_id", "canonical_url", "check_url"]

ALLOWED_SCHEMES = ("http", "https")
# 16 hex digits = 64 bits: no collision in any corpus newsbot will hold, short in a source name.
_ID_HEX_DIGITS = 16


def canonical_url(url: str) -> str:
    """Return the form an article is known by: scheme and host lower-cased, default port, tracking parameters and fragment dropped."""
    # courlan (trafilatura's URL library) knows the tracking parameters (utm_*, fbclid, ...).
    return urldefrag(courlan.normalize_url(url.strip(), strict=False))[0]


def article_id(url: str) -> str:
    """Return the stable id of the article at a URL: a hash of its canonical form."""
    return hashlib.sha256(canonical_url(url).encode("utf-8")).hexdigest()[:_ID_HEX_DIGITS]


def check_url(url: str, allow_private: bool = False) -> None:
    """Refuse a URL that newsbot must not fetch.

    Raises WebError for a scheme other than http/https, a URL without a host,
    a host that does not resolve, or (unless allow_private) one that resolves
    to a loopback, private, link-local, multicast or otherwise reserved
    address: a feed must not make newsbot probe its own network.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise WebError(f"only http and https addresses are fetched, not {parts.scheme or 'a bare path'!r}")
    host = parts.hostname
    if not host:
        raise WebError("the address has no host")
    if allow_private:
        return
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, ValueError, UnicodeError) as error:
        raise WebError(f"cannot resolve {host}: {error}") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if not address.is_global or address.is_multicast:
            raise WebError(f"{host} resolves to {address}, a private or local address (set NEWSBOT_ALLOW_PRIVATE_URLS=true to allow)")
