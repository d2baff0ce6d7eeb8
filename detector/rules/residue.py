"""Page furniture scraped along with the article: view counters fused to timestamps, share and
read-more links, update stamps, and the truncated teasers of other stories."""

from __future__ import annotations

import re
from collections.abc import Iterator

from detector.document import Document
from detector.rules.base import PatternRule, Rule

# A whole line, LF or CRLF; the finding never includes the line break.
_LINE = r"(?m)^[ \t]*({})[ \t]*\r?$"


def _line_pattern(body: str) -> re.Pattern[str]:
    return re.compile(_LINE.format(body), re.IGNORECASE)


class ViewCounter(PatternRule):
    id = "residue-view-counter"
    kind = "residue"
    weight = 0.9
    reason = "timestamp or counter fused with a view count"
    patterns = (
        # `2025-05-06 10:331162 view`, `1.2K views`, `12 comments`
        _line_pattern(
            r"(?:\d{4}-\d{2}-\d{2}[ T]?)?(?:\d{1,2}:\d{2}[ ]?)?[\d.,]{1,12}[KkMm]?[ ]?"
            r"(?:views?|reads?|comments?|shares?|likes?)"
        ),
    )


class ShareLinks(PatternRule):
    id = "residue-share"
    kind = "residue"
    weight = 0.85
    reason = "share or follow button text"
    patterns = (
        _line_pattern(
            r"share (?:this|the) (?:article|story|page|post)|share on (?:facebook|twitter|x|linkedin)"
            r"|(?:share|tweet|email|print|copy link|whatsapp|facebook|twitter|linkedin|reddit)"
            r"(?:[ ]?[|/·•,][ ]?(?:share|tweet|email|print|copy link|whatsapp|facebook|twitter"
            r"|linkedin|reddit)){1,8}|follow us on [\w ]{2,30}"
        ),
    )


class ReadMore(PatternRule):
    id = "residue-read-more"
    kind = "residue"
    weight = 0.85
    reason = "read-more, related-story or advertisement label"
    patterns = (
        _line_pattern(
            r"(?:read more|continue reading|related(?: stories| articles| coverage)?|see also"
            r"|more from [\w ]{2,30}|advertisement|sponsored(?: content)?|recommended(?: for you)?"
            r"|most read|trending now|you may also like)(?:[ ]?[:>»›|…-][^\r\n]{0,120})?"
        ),
    )


class UpdatedStamp(PatternRule):
    id = "residue-updated"
    kind = "residue"
    weight = 0.85
    reason = "updated or published time stamp"
    patterns = (
        _line_pattern(
            r"(?:last )?(?:updated|published|posted)(?: on| at)?:?[ ]?[\w ,:.+/-]{0,20}"
            r"\d{1,2}(?::\d{2})?[ ]?(?:am|pm|a\.m\.|p\.m\.)?(?:[ ]?(?:gmt|utc|bst|edt|est|cet"
            r"|[a-z]{2,4}))?[\w ,:.+/-]{0,20}"
        ),
    )


class TruncatedTeaser(Rule):
    id = "residue-teaser"
    kind = "residue"
    weight = 0.75
    reason = "truncated teaser of another story after the article"
    _ends_open = re.compile(r"[\w,;–—-]\s*$")
    _bullet = re.compile(r"\s*[-*•·–—]\s")
    _hard = (ViewCounter(), ShareLinks(), ReadMore(), UpdatedStamp())
    LONG = 50  # characters: a teaser is another story's opening cut at a width (seed: ~100)

    def spans(self, doc: Document) -> Iterator[tuple[int, int, float | None]]:
        """Walk back from the last line while lines are furniture or stop mid-sentence; the
        block counts when it holds hard furniture, or else at least two long unbulleted cut-off
        lines: without furniture, bulleted or short lines at an article's end are its own list
        (`- Best actor - ...`, `Bolton v Arsenal or Sheffield United`: awards, fixtures)."""
        hard = {(f.start, f.end) for rule in self._hard for f in rule.detect(doc)}
        hard_lines = {doc.line_column(start)[0] for start, _ in hard}
        teasers: list[tuple[int, int]] = []
        seen_hard = False
        for start, end in reversed(doc.paragraphs):
            line = doc.text[start:end]
            if doc.line_column(doc.to_original(start, end)[0])[0] in hard_lines:
                seen_hard = True
                continue
            if len(line.split()) >= 5 and self._ends_open.search(line):
                teasers.append((start, end))
                continue
            break
        if not seen_hard:
            teasers = [
                (s, e)
                for s, e in teasers
                if len(doc.text[s:e].strip()) >= self.LONG and not self._bullet.match(doc.text[s:e])
            ]
        if seen_hard or len(teasers) >= 2:
            for start, end in teasers:
                yield start, end, None
