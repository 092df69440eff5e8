"""URLs of many rows of one kind, without a ``reverse()`` per row (~20 µs each, issue 8): the
URL is reversed once with a placeholder key, which each row's key then takes the place of.
The placeholder's URL is itself remembered for the life of the process (``reverse_cached``,
which the project's ``{% url %}`` tag uses too), so a request that writes URLs of a few kinds
reverses none."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from urllib.parse import quote

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.http import RFC3986_SUBDELIMS

# A key no row has (an int pk is written as its digits in a URL).
PK_PLACEHOLDER = 987654321987654321
# Letters and digits: no URL quoting changes it; matches routes taking any <str:code>.
CODE_PLACEHOLDER = "CODE987654321"


def with_key(url_for: Callable[[object], str], placeholder: object = PK_PLACEHOLDER):
    """``key -> url_for(key)``, with ``url_for`` called once. Falls back to a call per key if
    the placeholder does not appear exactly once in the URL (never with a sane host)."""
    url, mark = url_for(placeholder), str(placeholder)
    if url.count(mark) != 1:
        return url_for
    head, _mark, tail = url.partition(mark)
    return lambda key: f"{head}{key}{tail}"


def reverse_cached(
    name: str, args=(), kwargs: dict | None = None, current_app: str | None = None
) -> str:
    """``reverse(name, args, kwargs, current_app=…)``, remembered: a URL is a function of
    these, the URL configuration, the script prefix and the language (i18n_patterns), which
    together are the key. Arguments must be hashable (strings and numbers); the last 4,096
    distinct calls are kept. NoReverseMatch is raised as reverse() raises it, each time."""
    return _reverse(
        name,
        tuple(args),
        tuple(sorted(kwargs.items())) if kwargs else (),
        current_app,
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
        translation.get_language(),
    )


@lru_cache(maxsize=4096)
def _reverse(name, args, kwargs, current_app, urlconf, prefix, language) -> str:
    # reverse() reads the script prefix and the language itself; they are part of the key.
    return reverse(name, args=args, kwargs=dict(kwargs), urlconf=urlconf, current_app=current_app)


@receiver(setting_changed)
def _forget_reversed(*, setting, **kwargs):
    # As Django clears its own URL caches when a test swaps the URL configuration.
    if setting == "ROOT_URLCONF":
        _reverse.cache_clear()


def reverse_for(
    name: str, *args, placeholder: object = PK_PLACEHOLDER, absolute: Callable[[str], str] = str
) -> Callable[[object], str]:
    """``key -> absolute(reverse(name, args=[*args, key]))``, the key written as it is."""

    def url_for(key):
        if key == placeholder:
            return absolute(reverse_cached(name, (*args, key)))
        return absolute(reverse(name, args=[*args, key]))

    return with_key(url_for, placeholder)


def reverse_for_pks(name: str, *args, absolute: Callable[[str], str] = str) -> Callable[[int], str]:
    """``pk -> absolute(reverse(name, args=[*args, pk]))``."""
    return reverse_for(name, *args, absolute=absolute)


def reverse_for_codes(
    name: str, *, placeholder: str = CODE_PLACEHOLDER, absolute: Callable[[str], str] = str
) -> Callable[[str], str]:
    """``code -> absolute(reverse(name, args=[code]))`` (party and meeting codes), the code
    quoted as reverse() quotes a path argument. ``placeholder``: a code the route accepts
    that no URL quoting changes."""
    url = reverse_for(name, placeholder=placeholder, absolute=absolute)
    return lambda code: url(quote(str(code), safe=RFC3986_SUBDELIMS + "/~:@"))
