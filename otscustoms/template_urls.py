"""``{% url %}`` with its answers remembered: a template builtin (settings.TEMPLATES) that
takes the place of Django's tag, writing the same URL.

A reverse() is ~20 µs, and every page writes ~12 URLs that never change (the navigation) and a
dozen more per meeting (its exports and edit links): a twentieth of a meeting page (issue 8).
The tag reverses through ``otscustoms.urls_many.reverse_cached``; arguments that are not
strings or numbers (a lazy translation, a model) are reversed every time, as before.
"""

from __future__ import annotations

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from otscustoms.urls_many import reverse_cached

register = template.Library()

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
    """URLNode.render with reverse_cached() in place of reverse()."""

    def render(self, context):
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {name: value.resolve(context) for name, value in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        if not all(isinstance(value, PLAIN) for value in (view_name, *args, *kwargs.values())):
            return super().render(context)
        try:
            url = reverse_cached(view_name, args, kwargs, _current_app(context))
        except NoReverseMatch:
            if self.asvar is None:
                raise
            url = ""
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    return CachedURLNode(node.view_name, node.args, node.kwargs, node.asvar)


url.__doc__ = django_url.__doc__
