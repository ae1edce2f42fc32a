from __future__ import annotations

import pytest

from newsbot.index.web.fetch import WebPolicy


@pytest.fixture
def policy() -> WebPolicy:
    # The tests' server is on 127.0.0.1: private addresses allowed, no delay between requests.
    return WebPolicy(timeout_s=2.0, host_delay_s=0.0, allow_private=True)
