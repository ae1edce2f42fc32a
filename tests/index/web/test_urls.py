"""Canonical URLs and article ids: a table of tiny inputs."""

from __future__ import annotations

import pytest

from newsbot.index.web.urls import article_id, canonical_url


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
