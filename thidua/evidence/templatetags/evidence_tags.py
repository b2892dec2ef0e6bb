import hashlib

from django import template
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from thidua.evidence.filetypes import ALLOWED_EXTENSIONS, human_size

register = template.Library()


@register.simple_tag
def evidence_accept() -> str:
    """The `accept` attribute of the file input: a hint only; the server judges the content."""
    return ",".join(f".{ext}" for ext in ALLOWED_EXTENSIONS)


@register.simple_tag
def evidence_max_size(kind: str = "document") -> str:
    limit = (
        settings.THIDUA_EVIDENCE_MAX_VIDEO_BYTES
        if kind == "video"
        else settings.THIDUA_EVIDENCE_MAX_BYTES
    )
    return human_size(limit)


@register.simple_tag
def strict_url(name: str, *args) -> str:
    """Reverse once for a URL used twice (action and hx-post). Unlike `{% url … as var %}`,
    a missing URLconf include fails loudly instead of giving an empty URL."""
    return reverse(name, args=args)


# -- the evidence list of a criterion panel, cached by its content (issue 6) -------------

EVIDENCE_LIST = "evidence/_evidence_list.html"
# Stands in for the CSRF token in a cached fragment; the request's own token replaces it.
_CSRF_STANDIN = "evidence-list-csrf-token-standin-9f1c2e"
_template_digests: dict[int, str] = {}


def _template_digest(template) -> str:
    # Keyed by the template's source so that a changed template never serves old HTML.
    digest = _template_digests.get(id(template))
    if digest is None:
        digest = hashlib.sha256(template.source.encode()).hexdigest()
        _template_digests[id(template)] = digest
    return digest


def _item_state(item) -> tuple:
    uploader = item.uploaded_by
    values = tuple(
        (name, str(value)) for name, value in sorted(item.__dict__.items()) if name != "_state"
    )
    who = (uploader.get_full_name(), uploader.username) if uploader else None
    return values, who


@register.simple_tag(takes_context=True)
def evidence_list(context) -> str:
    """evidence/_evidence_list.html for a criterion panel: the same HTML, rendered once per
    distinct content. The key holds everything the fragment shows (the items' every field,
    the uploader's name, who may edit, language, time zone, limits, the template itself), so
    a change of any of them is a new key: nothing to invalidate."""
    template = context.template.engine.get_template(EVIDENCE_LIST)
    token = context.get("csrf_token")
    if not token or any(
        context.get(name) for name in ("evidence_error", "evidence_notice", "evidence_form")
    ):
        return template.render(context)
    access, criterion = context["access"], context["criterion"]
    assessment = access.assessment
    state = (
        _template_digest(template),
        get_language(),
        timezone.get_current_timezone_name(),
        settings.THIDUA_EVIDENCE_MAX_BYTES,
        settings.THIDUA_EVIDENCE_MAX_VIDEO_BYTES,
        bool(access.can_edit),
        assessment.period.code,
        assessment.unit.code,
        criterion.code,
        bool(criterion.evidence_required),
        [_item_state(item) for item in context.get("evidence_items") or ()],
    )
    key = "evidence-list:" + hashlib.sha256(repr(state).encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        with context.push(csrf_token=_CSRF_STANDIN):
            html = str(template.render(context))
        cache.set(key, html, timeout=24 * 3600)
    return mark_safe(html.replace(_CSRF_STANDIN, conditional_escape(str(token))))
