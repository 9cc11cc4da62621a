"""The vocabulary's own checks: web addresses and claim spans."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from claims.models import Source


@pytest.mark.parametrize(
    "url", ["https://r.com/x", "HTTP://x", "http://a.b:80/p?q=1#f", "https://example.org"]
)
def test_web_addresses_with_a_host_are_accepted_as_given(url: str) -> None:
    assert Source(name="Reuters", url=url).url == url


@pytest.mark.parametrize(
    "url", ["https://", "http:// x", "ftp://x", "reuters dot com", "https//x", "http://x y", "www.x.com"]
)
def test_anything_else_is_refused_as_a_web_address(url: str) -> None:
    with pytest.raises(ValidationError, match="web address"):
        Source(name="Reuters", url=url)
