"""User text in, safe HTML out.

Most text is shown escaped by Jinja's autoescape. Longer descriptions may use a small Markdown-like
set of paragraphs and line breaks; ``paragraphs`` turns plain text into escaped ``<p>`` blocks and
``sanitise_html`` cleans any HTML a user supplies down to a short allow-list (nh3 / ammonia).
"""

import nh3
from markupsafe import Markup, escape

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a"}


def sanitise_html(html: str) -> Markup:
    cleaned = nh3.clean(
        html, tags=ALLOWED_TAGS, attributes={"a": {"href"}}, link_rel="noopener noreferrer"
    )
    return Markup(cleaned)  # noqa: S704 - nh3 has removed everything outside the allow-list


def paragraphs(text: str | None, css_class: str = "govuk-body") -> Markup:
    """Blank-line separated text as escaped paragraphs; single newlines become line breaks."""
    if not text:
        return Markup("")
    blocks = [b.strip() for b in str(text).replace("\r\n", "\n").split("\n\n") if b.strip()]
    html = "".join(
        f'<p class="{css_class}">'
        + "<br>".join(str(escape(line)) for line in block.split("\n"))
        + "</p>"
        for block in blocks
    )
    return Markup(html)  # noqa: S704 - every piece of user text above was escaped
