"""HTML helpers shared by the cached pages."""

import re

_INDENTED_LINES = re.compile(r">\s*\n\s*<")


def compact(html: str) -> str:
    """The templates' indentation between tags dropped (a tenth or more of a large page):
    each run of blanks holding a newline between two tags becomes one newline, which a
    browser shows exactly as it showed the run."""
    return _INDENTED_LINES.sub(">\n<", html)
