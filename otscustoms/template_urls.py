"""``{% url %}`` with its answers remembered: a template builtin (settings.TEMPLATES) that
takes the place of Django's tag, writing the same URL.

A reverse() is ~20 µs, and every page writes ~12 URLs that never change (the navigation) and a
dozen more per meeting (its exports and edit links): a twentieth of a meeting page (issue 8).
A URL is a function of the view name, the arguments, the current application, the URL
configuration, the script prefix and the language (for i18n_patterns), which together are the
key. Arguments that are not strings or numbers (a lazy translation, a model) are reversed
every time, as before.
"""

from __future__ import annotations

import threading

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation

register = template.Library()

MAX_URLS = 4096  # then the whole cache is dropped and refilled: a few hundred KB at most
_urls: dict[tuple, str] = {}
_lock = threading.Lock()

PLAIN = (str, int)


def _current_app(context) -> str | None:
    # As URLNode.render finds it.
    request = getattr(context, "request", None)
    try:
        return request.current_app
    except AttributeError:
        try:
            return request.resolver_match.namespace
        except AttributeError:
            return None


class CachedURLNode(URLNode):
    def render(self, context):
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = tuple((name, value.resolve(context)) for name, value in self.kwargs.items())
        view_name = self.view_name.resolve(context)
        values = (view_name, *args, *(value for _name, value in kwargs))
        if not all(isinstance(value, PLAIN) for value in values):
            return super().render(context)
        key = (
            view_name,
            args,
            kwargs,
            _current_app(context),
            get_urlconf() or settings.ROOT_URLCONF,
            get_script_prefix(),
            translation.get_language(),
            self.asvar is None and context.autoescape,
        )
        try:
            answer = _urls[key]
        except KeyError:
            answer = super().render(context)  # raises as Django's tag does; not kept then
            if self.asvar:
                answer = context[self.asvar]
            with _lock:
                if len(_urls) >= MAX_URLS:
                    _urls.clear()
                _urls[key] = answer
            return answer if not self.asvar else ""
        if self.asvar:
            context[self.asvar] = answer
            return ""
        return answer


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    return CachedURLNode(node.view_name, node.args, node.kwargs, node.asvar)


url.__doc__ = django_url.__doc__


@receiver(setting_changed)
def _forget_urls(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _urls.clear()
