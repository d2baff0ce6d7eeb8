"""Markdown and HTML to readable text: every extracted character maps back to the source
characters that produced it, markup and character references never shift positions, code and
scripts are not read, and text hidden by CSS or `hidden` comes out as hidden-text findings."""

from __future__ import annotations

import html

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from detector.markup import HIDDEN_TEXT_ID, extract, markup_of

MARKDOWN = """---
title: "Cyber incident at the court"
layout: Front matter a page does not show is not read
---
# Court reports *cyber* incident

THE HAGUE,LibertyCoin Netherlands (AP) — The **court** said
  Tuesday that [it](http://example.com "a. title") detected AT&amp;T \\* `code`.

```
VexaCoin in a fenced block
```

    VexaCoin in an indented block

> quoted *text* ![Alt VexaCoin](i.png) after

- item one
"""

HTML = """<!doctype html>
<html><head><title>Court reports</title><style>p { color: red }</style>
<script>var s = "<p>VexaCoin</p>";</script></head>
<body><h1>Court   reports cyber&nbsp;incident</h1>
<p>THE HAGUE,LibertyCoin Netherlands (AP) &mdash; The <b>court</b>
   said AT&amp;T&#x41; &lt;b&gt;<code>startLine</code>.
<p>Second para<br>next line
<pre>VexaCoin in pre</pre>
</body></html>
"""


def _assert_maps_back(source: str, markup: str) -> None:
    """Each extracted character is its own source character, or decodes from its source span
    (a character reference or escape), or is a separator (space, line break)."""
    extracted = extract(source, markup)  # type: ignore[arg-type]
    for mapped in extracted.fields.values():
        for i, char in enumerate(mapped.text):
            start, end = mapped.starts[i], mapped.ends[i]
            piece = source[start:end]
            if char in " \n":
                continue
            assert piece == char or html.unescape(piece) == char or piece == "\\" + char, (
                i,
                char,
                piece,
            )


@pytest.mark.parametrize(("source", "markup"), [(MARKDOWN, "markdown"), (HTML, "html")])
def test_every_extracted_character_maps_back_to_its_source(source: str, markup: str) -> None:
    _assert_maps_back(source, markup)


def test_markdown_reads_prose_and_skips_code_blocks_front_matter_and_alt_text() -> None:
    fields = extract(MARKDOWN, "markdown").fields
    # The front matter's title is shown on the page: a line of the title, mapped to its source.
    assert fields["title"].text == "Cyber incident at the court\nCourt reports cyber incident"
    s, e = fields["title"].to_source(0, len("Cyber incident at the court"))
    assert MARKDOWN[s - 1 : e + 1] == '"Cyber incident at the court"'
    assert "Front matter" not in fields["title"].text
    body = fields["text"].text
    assert body.startswith("THE HAGUE,LibertyCoin Netherlands (AP) — The court said Tuesday")
    assert "AT&T * ." in body and "code" not in body  # references decoded, inline code skipped
    assert "VexaCoin" not in body and "Front matter" not in body
    assert "quoted text" in body and "item one" in body


def test_markdown_span_maps_to_its_source_span() -> None:
    body = extract(MARKDOWN, "markdown").fields["text"]
    start = body.text.index("LibertyCoin")
    s, e = body.to_source(start, start + len("LibertyCoin"))
    assert MARKDOWN[s:e] == "LibertyCoin"
    amp = body.text.index("AT&T")
    s, e = body.to_source(amp, amp + 4)
    assert MARKDOWN[s:e] == "AT&amp;T"


def test_html_reads_visible_text_with_references_decoded_and_markup_ignored() -> None:
    fields = extract(HTML, "html").fields
    assert fields["title"].text == "Court reports\nCourt reports cyber incident"
    body = fields["text"].text
    assert body.splitlines() == [
        "THE HAGUE,LibertyCoin Netherlands (AP) — The court said AT&TA <b>.",
        "Second para",
        "next line",
    ]
    start = body.index("LibertyCoin")
    s, e = fields["text"].to_source(start, start + 11)
    assert HTML[s:e] == "LibertyCoin"


def test_a_title_repeated_by_the_h1_is_read_once_at_the_h1() -> None:
    source = "<title>VexaCoin rallies</title>\n<h1>VexaCoin rallies</h1><p>Body.</p>"
    title = extract(source, "html").fields["title"]
    assert title.text == "VexaCoin rallies"
    s, e = title.to_source(0, len(title.text))
    assert source[s:e] == "VexaCoin rallies" and s == source.index("<h1>") + 4


@pytest.mark.parametrize(
    "element",
    [
        '<div style="display:none">{}</div>',
        '<div style="DISPLAY : none !important">{}</div>',
        '<span style="visibility: hidden">{}</span>',
        '<p style="font-size:0">{}</p>',
        '<p style="color:red; font-size: 0px">{}</p>',
        "<div hidden>{}</div>",
        '<div style="display:none"><p>{}</p></div>',
    ],
)
def test_hidden_text_is_a_finding_located_on_the_hidden_words(element: str) -> None:
    source = "<p>Visible words.</p>\n" + element.format("buy VexaCoin now") + "\n<p>More.</p>"
    extracted = extract(source, "html")
    (finding,) = extracted.hidden_findings()
    assert finding.rules == (HIDDEN_TEXT_ID,) and finding.kind == "obfuscation"
    assert finding.text == "buy VexaCoin now"
    s, e = extracted.fields["text"].to_source(finding.start, finding.end)
    assert source[s:e] == "buy VexaCoin now"


@pytest.mark.parametrize(
    "element",
    [
        '<div style="display:block">{}</div>',
        '<p style="font-size:10px">{}</p>',
        '<span aria-hidden="true">{}</span>',
        '<span style="visibility:visible">{}</span>',
    ],
)
def test_visible_text_is_not_hidden(element: str) -> None:
    assert extract(element.format("plain words"), "html").hidden == ()


def test_hidden_html_inside_markdown_is_found() -> None:
    source = 'Intro.\n\nSome <span style="display:none">VexaCoin</span> inline.\n'
    extracted = extract(source, "markdown")
    (finding,) = extracted.hidden_findings()
    s, e = extracted.fields["text"].to_source(finding.start, finding.end)
    assert source[s:e] == "VexaCoin"


@pytest.mark.parametrize(
    ("path", "markup"),
    [("a.md", "markdown"), ("A.MARKDOWN", "markdown"), ("x/index.html", "html"),
     ("p.htm.gz", "html"), ("notes.txt", None), ("dump.jsonl", None)],
)  # fmt: skip
def test_markup_comes_from_the_extension(path: str, markup: str | None) -> None:
    assert markup_of(path) == markup


MARKUP_ALPHABET = st.sampled_from(
    ["a", "B", " ", "\n", "\n\n", "*", "_", "`", "#", "> ", "- ", "[", "]", "(", ")", "!", "\\",
     "&amp;", "&#65;", "&", ";", "<b>", "</b>", "<p>", "<div hidden>", "</div>", "<!--", "-->",
     "```\n", "    ", "<", ">", "é", "\u200b", "Coin", "<h1>", "</h1>", "<title>", "</title>"]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(MARKUP_ALPHABET, max_size=40).map("".join), st.sampled_from(["markdown", "html"]))
@example("```\n<div hidden>a<![</div>!</div>", "html")  # html.parser gave up on `<![`
def test_any_input_extracts_and_maps_back(source: str, markup: str) -> None:
    _assert_maps_back(source, markup)
    extracted = extract(source, markup)  # type: ignore[arg-type]
    for finding in extracted.hidden_findings():
        s, e = extracted.fields[finding.field].to_source(finding.start, finding.end)
        assert 0 <= s <= e <= len(source)


def test_a_marked_section_with_no_name_is_a_bogus_comment_as_browsers_read_it() -> None:
    extracted = extract("<p>a <![ b</p><p>LibertyCoin</p>", "html")
    assert extracted.fields["text"].text == "a\nLibertyCoin"


def test_toml_front_matter_is_read_as_yaml_is() -> None:
    source = '+++\ntitle = "Vexa launch"\ntags = ["coins"]\ndescription = \'Buy $VX\'\n+++\n# Hi\n\nBody.\n'
    fields = extract(source, "markdown").fields
    assert (fields["title"].text, fields["text"].text) == ("Vexa launch\nBuy $VX\nHi", "Body.")
    at = fields["title"].text.index("$VX")
    s, e = fields["title"].to_source(at, at + 3)
    assert source[s:e] == "$VX"


@pytest.mark.parametrize(
    ("front", "shown"),
    [
        ('description: "Buy \\"Moon\\" \\u2014 now" # seo', 'Buy "Moon" \u2014 now'),
        ("description: 'Don''t miss' # seo", "Don't miss"),
        ("title: C# tips # seo", "C# tips"),
        ("description: see x.io/#join # seo", "see x.io/#join"),
        ("description: >-\n  folded, first\n  and second\nlayout: post", "folded, first and second"),
        ("description: plain\n  continued\ntags: [a]", "plain continued"),
        ("seo:\n  Description: nested", "nested"),
        ("description: null\nsummary: ~\nlead: true\ntitle:\nexcerpt: # a comment", None),
    ],
)  # fmt: skip
def test_front_matter_values_in_the_forms_yaml_writes_them(front: str, shown: str | None) -> None:
    for newline in ("\n", "\r\n"):
        source = f"---\n{front}\n---\n\nBody.\n".replace("\n", newline)
        fields = extract(source, "markdown").fields
        assert fields["text"].text == "Body."
        assert fields.get("title") is None if shown is None else fields["title"].text == shown
        if shown:  # every character where the source has it (an escape: the whole escape)
            title = fields["title"]
            for i, char in enumerate(shown):
                s, e = title.to_source(i, i + 1)
                assert char == " " or char in source[s:e] or source[s] == "\\", (i, char)
