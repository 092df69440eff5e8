"""URLs of many rows of one kind, without a ``reverse()`` per row (~20 µs each, issue 8): the
URL is reversed once with a placeholder key, which each row's key then takes the place of."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS

# A key no row has (an int pk is written as its digits in a URL).
PK_PLACEHOLDER = 987654321987654321


def with_key(url_for: Callable[[object], str], placeholder: object = PK_PLACEHOLDER):
    """``key -> url_for(key)``, with ``url_for`` called once. Falls back to a call per key if
    the placeholder does not appear exactly once in the URL (never with a sane host)."""
    url, mark = url_for(placeholder), str(placeholder)
    if url.count(mark) != 1:
        return url_for
    head, _mark, tail = url.partition(mark)
    return lambda key: f"{head}{key}{tail}"


def reverse_for_pks(name: str, *args, absolute: Callable[[str], str] = str) -> Callable[[int], str]:
    """``pk -> absolute(reverse(name, args=[*args, pk]))``."""
    return with_key(lambda pk: absolute(reverse(name, args=[*args, pk])))


CODE_PLACEHOLDER = "CODE987654321"  # letters and digits: no URL quoting changes it


def reverse_for_codes(name: str) -> Callable[[str], str]:
    """``code -> reverse(name, args=[code])`` (party and meeting codes), the code quoted as
    reverse() quotes a path argument."""
    url = with_key(lambda code: reverse(name, args=[code]), CODE_PLACEHOLDER)
    return lambda code: url(quote(code, safe=RFC3986_SUBDELIMS + "/~:@"))
