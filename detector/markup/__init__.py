"""Published content to readable text: Markdown (markdown-it-py) and HTML (the standard library's
`html.parser`) become the title and body a reader sees, with a map from every extracted character
back to its source offset, and the runs of text that CSS or the `hidden` attribute hide.

Choices, documented in the README: code (fenced, indented and inline in Markdown; `<pre>`,
`<code>`, `<kbd>`, `<samp>` in HTML), `<script>`, `<style>`, `<template>` and `<textarea>` are not
prose and are skipped (identifiers such as `startLine` read as glued names);
image alt text and comments are not read; headings before any body text form the title field (so
a dateline opening the body is found as one); a YAML or TOML front matter block is skipped.
"""

from __future__ import annotations

from typing import Literal

from detector.markup.text import (
    HIDDEN_TEXT_ALONE,
    HIDDEN_TEXT_ID,
    HIDDEN_TEXT_KIND,
    HIDDEN_TEXT_REASON,
    HIDDEN_TEXT_WEIGHT,
    Builder,
    Extracted,
    HiddenRun,
    MappedText,
    hidden_text_finding,
    weigh_hidden,
)

Markup = Literal["markdown", "html"]
MARKUP_EXTENSIONS: dict[str, Markup] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}


def markup_of(path: str) -> Markup | None:
    """The markup an extension names (`.md`, `.markdown`, `.html`, `.htm`), else None."""
    name = path.lower().removesuffix(".gz")
    return next((m for ext, m in MARKUP_EXTENSIONS.items() if name.endswith(ext)), None)


def extract(source: str, markup: Markup) -> Extracted:
    """The readable text of a Markdown or HTML source, mapped back to it."""
    from detector.markup.html import ElementStack, HtmlPiece
    from detector.markup.markdown import extract_markdown

    builder = Builder()
    if markup == "html":
        HtmlPiece(builder, ElementStack(), source, 0).run()
    else:
        extract_markdown(source, builder)
    return builder.finish()


__all__ = [
    "HIDDEN_TEXT_ALONE",
    "HIDDEN_TEXT_ID",
    "HIDDEN_TEXT_KIND",
    "HIDDEN_TEXT_REASON",
    "HIDDEN_TEXT_WEIGHT",
    "MARKUP_EXTENSIONS",
    "Extracted",
    "HiddenRun",
    "MappedText",
    "Markup",
    "extract",
    "hidden_text_finding",
    "markup_of",
    "weigh_hidden",
]
