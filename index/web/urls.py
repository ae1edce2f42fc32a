"""Web addresses: the canonical form an article is known by, its id, and which addresses may be fetched."""

from __future__ import annotations

import hashlib
import ipaddress
import socket
from collections.abc import Callable
from typing import Any
from urllib.parse import urldefrag, urlsplit

import courlan

from newsbot.index.web.errors import WebError

__all__ = ["ALLOWED_SCHEMES", "Resolver", "article_id", "canonical_url", "check_host_name", "check_url", "is_public_address", "resolve_public"]

ALLOWED_SCHEMES = ("http", "https")
# A NAT64 translator leads wherever the IPv4 address inside says. The well-known prefix (RFC 6052) carries it in
# the last 32 bits; the local-use one (RFC 8215) is a site's own, its layout the site's choice: refused whole.
_NAT64_WELL_KNOWN = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL_USE = ipaddress.IPv6Network("64:ff9b:1::/48")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# socket.getaddrinfo's shape; tests pass their own to play a DNS server that changes its answer.
Resolver = Callable[..., list[tuple[Any, ...]]]
# 16 hex digits = 64 bits: no collision in any corpus newsbot will hold, short in a source name.
_ID_HEX_DIGITS = 16


def canonical_url(url: str) -> str:
    """Return the form an article is known by: scheme and host lower-cased, default port, tracking parameters and fragment dropped."""
    # courlan (trafilatura's URL library) knows the tracking parameters (utm_*, fbclid, ...).
    return urldefrag(courlan.normalize_url(url.strip(), strict=False))[0]


def article_id(url: str) -> str:
    """Return the stable id of the article at a URL: a hash of its canonical form."""
    return hashlib.sha256(canonical_url(url).encode("utf-8")).hexdigest()[:_ID_HEX_DIGITS]


def check_url(url: str, allow_private: bool = False, resolve: Resolver = socket.getaddrinfo) -> None:
    """Refuse a URL that newsbot must not fetch.

    Raises WebError for a scheme other than http/https, a URL without a host,
    a host name DNS cannot be asked (`check_host_name`, with or without
    allow_private), a host that does not resolve, or (unless allow_private)
    one that resolves to an address `is_public_address` refuses. This is the
    early, clear refusal; `fetch`'s network backend checks again at connect
    time, where a second DNS answer cannot slip past.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise WebError(f"only http and https addresses are fetched, not {parts.scheme or 'a bare path'!r}")
    host = parts.hostname
    if not host:
        raise WebError("the address has no host")
    check_host_name(host)
    if allow_private:
        return
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError as error:
        raise WebError(f"bad port in {url}: {error}") from None
    resolve_public(host, port, resolve)


def check_host_name(host: str) -> None:
    """Refuse a host name that cannot be put to DNS; raises WebError."""
    # The resolver encodes the name with Python's "idna" codec and raises UnicodeError, not OSError, for a
    # name it cannot encode: checked here, before any lookup, so the refusal reads the same with or without
    # NEWSBOT_ALLOW_PRIVATE_URLS (which skips the lookup).
    try:
        host.encode("idna")
    except UnicodeError as error:
        raise WebError(f"bad address: {host!r} is not a valid host name ({error})") from None


def resolve_public(host: str, port: int, resolve: Resolver = socket.getaddrinfo) -> list[IPAddress]:
    """Resolve a host and return its addresses, every one of them public.

    Raises WebError when the host does not resolve, or when any address it
    resolves to is loopback, private, link-local, multicast, reserved or
    unspecified, or carries such an IPv4 address inside an IPv6 one.
    """
    try:
        infos = resolve(host, port, 0, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    except (OSError, ValueError, UnicodeError) as error:
        raise WebError(f"cannot resolve {host}: {error}") from None
    addresses = list(dict.fromkeys(ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos))
    if not addresses:
        raise WebError(f"cannot resolve {host}: no address")
    for address in addresses:
        if not is_public_address(address):
            raise WebError(f"{host} resolves to {address}, a private or local address (set NEWSBOT_ALLOW_PRIVATE_URLS=true to allow)")
    return addresses


def is_public_address(address: IPAddress) -> bool:
    """Return True for an address on the public internet: global, not multicast, and so is any IPv4 address it carries."""
    if isinstance(address, ipaddress.IPv6Address) and address in _NAT64_LOCAL_USE:
        return False
    return all(a.is_global and not a.is_multicast for a in (address, *_embedded_ipv4(address)))


def _embedded_ipv4(address: IPAddress) -> list[ipaddress.IPv4Address]:
    """Return the IPv4 addresses an IPv6 address leads to: mapped, compatible, NAT64, 6to4, Teredo (server and client)."""
    if not isinstance(address, ipaddress.IPv6Address):
        return []
    low32 = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    found = []
    if address.ipv4_mapped is not None:
        found.append(address.ipv4_mapped)
    if int(address) >> 32 == 0:  # IPv4-compatible ::a.b.c.d (and :: and ::1 themselves)
        found.append(low32)
    if address in _NAT64_WELL_KNOWN:
        found.append(low32)
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address.teredo is not None:
        found.extend(address.teredo)
    return found
