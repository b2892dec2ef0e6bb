from django import template
from django.conf import settings

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
