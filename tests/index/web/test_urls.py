"""Canonical URLs and article ids: a table of tiny inputs."""

from __future__ import annotations

import pytest

from newsbot.index.web.errors import WebError
from newsbot.index.web.urls import article_id, canonical_url, check_url


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTP://Example.COM:80/a/b", "http://example.com/a/b"),
        ("https://example.com/a?utm_source=rss&id=3", "https://example.com/a?id=3"),
        ("https://example.com/a?fbclid=xyz", "https://example.com/a"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("  https://example.com/a  ", "https://example.com/a"),
    ],
)
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_article_id_is_stable_across_spellings() -> None:
    assert article_id("https://example.com/a?utm_medium=x#top") == article_id("https://EXAMPLE.com/a")
    assert len(article_id("https://example.com/a")) == 16 and article_id("https://example.com/a") != article_id("https://example.com/b")


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://0.0.0.0/", False),
        ("http://127.1/", False),
        ("http://2130706433/", False),  # 127.0.0.1 in decimal
        ("http://0177.0.0.1/", False),  # in octal
        ("http://0x7f.0.0.1/", False),  # in hex
        ("http://0x7f000001/", False),
        ("http://localhost/", False),
        ("http://10.0.0.1/", False),
        ("http://100.64.0.1/", False),  # carrier-grade NAT
        ("http://169.254.169.254/latest/meta-data/", False),  # the cloud metadata service
        ("http://224.0.0.1/", False),
        ("http://[::1]/", False),
        ("http://[::]/", False),
        ("http://[fe80::1]/", False),
        ("http://[fc00::1]/", False),
        ("http://[::ffff:127.0.0.1]/", False),  # IPv4-mapped
        ("http://[::127.0.0.1]/", False),  # IPv4-compatible
        ("http://[64:ff9b::7f00:1]/", False),  # NAT64 well-known prefix, 127.0.0.1 inside
        ("http://[64:ff9b::a9fe:a9fe]/", False),  # NAT64, 169.254.169.254 inside
        ("http://[64:ff9b:1::808:808]/", False),  # NAT64 local-use prefix: refused whole
        ("http://[2002:7f00:1::]/", False),  # 6to4 of 127.0.0.1
        ("http://[2002:a00:1::]/", False),  # 6to4 of 10.0.0.1
        ("http://[2001:0:808:808:0:0:80ff:fffe]/", False),  # Teredo, client 127.0.0.1
        ("http://8.8.8.8/", True),
        ("https://1.1.1.1:8443/x", True),
        ("http://[2001:4860:4860::8888]/", True),
        ("http://[64:ff9b::808:808]/", True),  # NAT64 of 8.8.8.8
        ("http://[2002:808:808::]/", True),  # 6to4 of 8.8.8.8
    ],
)
def test_check_url_refuses_private_addresses_in_every_spelling(url: str, allowed: bool) -> None:
    if allowed:
        check_url(url)
    else:
        with pytest.raises(WebError, match="a private or local address"):
            check_url(url)
    check_url(url, allow_private=True)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/", "javascript:alert(1)", "http:///path"])
def test_check_url_refuses_other_schemes_and_no_host(url: str) -> None:
    with pytest.raises(WebError, match="only http and https|no host"):
        check_url(url, allow_private=True)


@pytest.mark.parametrize("url", ["http://news..example.com/x", "http://.example.com/", f"https://{'a' * 64}.example.com/", "http://a..b:8080/"])
@pytest.mark.parametrize("allow_private", [True, False])
def test_check_url_refuses_a_malformed_host_with_or_without_private_addresses(url: str, allow_private: bool) -> None:
    # DNS cannot be asked an empty label or one over 63 characters; the resolver says so with a UnicodeError.
    with pytest.raises(WebError, match="bad address"):
        check_url(url, allow_private=allow_private)


@pytest.mark.parametrize("url", ["http://bücher.example/", "http://example.com./", "http://a_b.example.com/", "http://[::1]:8080/"])
def test_check_url_takes_unusual_but_valid_hosts(url: str) -> None:
    check_url(url, allow_private=True)
