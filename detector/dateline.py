"""Parses the wire dateline opening an article (`CITY, Region (AP) —`) into role-tagged parts.

Every word of the dateline gets one role: place, region, date, agency, or unknown. An unknown word
in a dateline is a word that has no business there, the evidence of an insertion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from detector.gazetteer import Gazetteer, get_gazetteer

Role = Literal["place", "region", "date", "agency", "unknown"]

WINDOW = 200  # only the first line, and at most this many characters, can hold a dateline
MAX_HEAD_CHARS = 100
MAX_HEAD_TOKENS = 12
MAX_TAIL_TOKENS = 3  # words between `(Agency)` and the dash that still count as dateline
MAX_BYLINE_WORDS = 5

# The separator: a dash between spaces (after `)`, `/` or a digit the space before is optional),
# or a colon, which only a known place may precede (`GAZA CITY: ...`, not `NOTE: ...`).
_SEP = re.compile(
    r"(?:(?<=[)/\d])[ \t]{0,3}|[ \t]{1,4})(?:—|–|--?)(?:[ \t]{1,4}|$)"
    r"|(?<=\))[ \t]{0,3}[—–]"
    r"|[ \t]{0,2}(?P<colon>:)[ \t]{1,4}"
)
_MARKER = re.compile(r"\(([^()]{1,40})\)|(?:^|(?<=\s))/([^/\s][^/]{0,38})/")
_TOKEN = re.compile(r"[,/]|[^\W_][^\s,/():;]{0,199}")
_BYLINE = re.compile(r"By[ \t]{1,3}")
_SPACE = re.compile(r"\s{0,8}")
_MONTH = re.compile(
    r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day)\.?"
)
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august")
_MONTH_NAMES += ("september", "october", "november", "december")
_NUMBER = re.compile(r"\d{1,4}(?:st|nd|rd|th)?\.?")
_DOMAIN = re.compile(r"[A-Za-z][\w-]{0,30}(?:\.[A-Za-z][\w-]{0,20}){1,3}")
_CAPS = re.compile(r"(?:Mc|Mac|De|Di|Da|La|Le|O['’])?[A-Z][A-Z.'’&\-]{0,30}")
_LOWER_WORD = re.compile(r"[a-z][a-z'’\-]{0,39}")
_JOINERS = re.compile(r"\s{0,3}(?:/|&|\band\b|\bamp\b;?)\s{0,3}")
# Lowercase words that occur inside place names (`Rio de Janeiro`, `Frankfurt am Main`).
_CONNECTORS = frozenset(
    {"of", "and", "de", "del", "la", "le", "el", "da", "do", "dos", "das", "di", "du", "des"}
    | {"am", "an", "upon", "on", "sur", "en", "y", "al", "the"}
)
# Which place a region slot means when it holds two: `Ky.` is surely the state, a country
# next; subdivision and town names are many and some are ordinary words (`Bear`, `Lola`).
_SPECIFICITY = {"abbrev": 0, "country": 1, "region": 2, "city": 3}


@dataclass(frozen=True, slots=True)
class DatelinePart:
    """A place, region, date, agency or unknown word (or run of words) of a dateline."""

    start: int
    end: int
    role: Role


@dataclass(frozen=True, slots=True)
class Dateline:
    """A parsed dateline. `start` is its first character (after a byline, at a source prefix);
    `end` is just past the separator and the whitespace after it, where the lede begins.

    `style` is `agency` (`CITY (AP) —`, `CITY /PRNewswire/ --`), `dash` (`CITY, Mon D -`,
    `CITY, Region —`) or `prefix` (a source named before the dash: `AP - `, `SPACE.com - CITY --`).
    """

    start: int
    end: int
    parts: tuple[DatelinePart, ...]
    style: str

    @property
    def unknown(self) -> tuple[DatelinePart, ...]:
        return tuple(p for p in self.parts if p.role == "unknown")


@dataclass(slots=True)
class _Tok:
    start: int
    end: int
    text: str
    role: Role = "unknown"


class _NotADateline(Exception):
    """The head of the text reads as prose, not as a dateline."""


def parse_dateline(text: str) -> Dateline | None:
    """The dateline at the start of `text`, or None when the text does not open with one."""
    line = text[: min(WINDOW, _line_end(text))]
    gaz = get_gazetteer()
    sep = _separator(line, 0)
    if sep is not None and not sep["colon"] and _is_source(line[: sep.start()], gaz):
        source = _agency_part(line, 0, sep.start(), gaz)
        after = _skip_space(text, sep.end())
        rest = _parse(text, line, after, gaz)
        first = len(line) - len(line.lstrip())
        if rest is not None:
            return Dateline(first, rest.end, (*source, *rest.parts), "prefix")
        return Dateline(first, after, tuple(source), "prefix")
    found = _parse(text, line, 0, gaz)
    byline = _BYLINE.match(line)
    if found is None and byline is not None:
        for start in _after_byline(line, byline.end(), gaz):
            found = _parse(text, line, start, gaz)
            if found is not None:
                break
    return found if found is not None else _after_intruder(text, line, gaz)


def _after_intruder(text: str, line: str, gaz: Gazetteer) -> Dateline | None:
    """`LibertyCoin THE HAGUE (AP) —`: one or two capitalised words before an ALL-CAPS city are
    an insertion when the rest is a clean dateline with an agency."""
    toks = _tokens(line, 0, MAX_HEAD_CHARS)[:3]
    for k in (1, 2):
        lead = toks[:k]
        if not all(t.text[0].isupper() and not _CAPS.fullmatch(t.text) for t in lead):
            break
        if len(toks) <= k or not _CAPS.fullmatch(toks[k].text):
            continue
        if not line[lead[-1].end : toks[k].start].isspace():
            break
        found = _parse(text, line, toks[k].start, gaz)
        if found is not None and found.style == "agency" and not found.unknown:
            intruder = DatelinePart(lead[0].start, lead[-1].end, "unknown")
            return Dateline(intruder.start, found.end, (intruder, *found.parts), found.style)
    return None


def _parse(text: str, line: str, start: int, gaz: Gazetteer) -> Dateline | None:
    sep = _separator(line, start)
    if sep is not None:
        colon = sep.group("colon") is not None
        try:
            return _build(
                text, line, (start, sep.start(), _skip_space(text, sep.end())), gaz, colon
            )
        except _NotADateline:
            pass
    # No dash: `CITY (Reuters) Text` still opens with a dateline when the agency is known.
    marker = _MARKER.search(line, start, start + MAX_HEAD_CHARS)
    if marker is None or marker.group(1) is None or not gaz.is_agency(marker.group(1)):
        return None
    try:
        return _build(text, line, (start, marker.end(), _skip_space(text, marker.end())), gaz)
    except _NotADateline:
        return None


def _build(
    text: str, line: str, span: tuple[int, int, int], gaz: Gazetteer, colon: bool = False
) -> Dateline:
    """The dateline whose head is `line[start:stop]`, ending at `end`; raises _NotADateline."""
    start, stop, end = span
    markers = [m for m in _MARKER.finditer(line, start, stop) if re.search(r"[^\W\d_]", m[0])]
    marker = markers[-1] if markers else None
    tail = _tokens(line, marker.end(), stop) if marker else []
    if marker and (len(tail) > MAX_TAIL_TOKENS or any(_is_prose(t.text) for t in tail)):
        return _build(text, line, (start, marker.end(), _skip_space(text, marker.end())), gaz)
    if (
        marker
        and not _is_source(marker[0], gaz)
        and any(_is_prose(t.text) for t in _tokens(line, marker.start(), marker.end()))
    ):
        raise _NotADateline  # `NASA (the space agency) said`
    tokens = _tokens(line, start, marker.start() if marker else stop)
    words = [t for t in tokens if t.text not in ",/"]
    if not words or len(words) + len(tail) > MAX_HEAD_TOKENS or stop - start > MAX_HEAD_CHARS:
        raise _NotADateline
    strong, known_head = _classify(tokens, gaz)
    parts = _merge(words, line)
    if marker:
        parts += _agency_part(line, marker.start() + 1, marker.end() - 1, gaz)
    parts += _merge(tail, line)
    unknown = any(p.role == "unknown" for p in parts)
    # Evidence that this is a dateline: a region or date after a comma, a known agency, or an
    # unknown agency after a clean head (`LONDON (PumpToken) -`, not `U.S. Tax Agency (IRS) -`).
    evidence = strong or (
        marker is not None
        and (_is_source(marker[0], gaz) or all(t.role != "unknown" for t in words))
    )
    if (colon and (unknown or not known_head)) or (unknown and not evidence):
        raise _NotADateline  # too little structure to call a stray word an insertion
    return Dateline(parts[0].start, end, tuple(parts), "agency" if marker else "dash")


def _classify(tokens: list[_Tok], gaz: Gazetteer) -> tuple[bool, bool]:
    """Give every word its role in place. Returns (strong, known_head): a segment after the head
    names a known region, date or agency; the head opens with a known place or date in CAPS."""
    words = [t for t in tokens if t.text not in ",/"]
    _mark_dates(words)
    segments: list[tuple[Role, list[_Tok]]] = [("place", [])]
    for tok in tokens:  # `/` separates cities in the head, a comma opens a region
        if tok.text == "," or (tok.text == "/" and segments[-1][0] == "place"):
            segments.append(("region" if tok.text == "," else "place", []))
        elif tok.text != "/":
            segments[-1][1].append(tok)
    head = segments[0][1]
    if not head or not _head_opens([t.text for t in head], gaz):
        raise _NotADateline
    if any(t.role != "date" and t.text[0].isdigit() for t in head):
        raise _NotADateline  # a score line or a headline, not a city
    for role, seg in segments:
        _classify_segment(seg, role, gaz)
    if any(t.role == "unknown" and _is_prose(t.text) for t in words):
        raise _NotADateline
    strong = any(t.role != "unknown" for _, seg in segments[1:] for t in seg)
    known_head = head[0].role == "date" or gaz.longest_place([t.text for t in head], 0) > 0
    return strong, known_head and bool(_CAPS.fullmatch(head[0].text))


def _mark_dates(words: list[_Tok]) -> None:
    """Months and weekdays (also misspelt ones before a day: `Marc 3`), then numbers when the
    dateline has a month."""
    for i, tok in enumerate(words):
        follows = words[i + 1].text if i + 1 < len(words) else ""
        if _MONTH.fullmatch(tok.text) or (_NUMBER.fullmatch(follows) and _month_like(tok.text)):
            tok.role = "date"
    if any(t.role == "date" for t in words):
        for tok in words:
            if _NUMBER.fullmatch(tok.text):
                tok.role = "date"


def _month_like(word: str) -> bool:
    w = word.lower().rstrip(".")
    return 3 <= len(w) <= 10 and any(
        m[0] == w[0] and SequenceMatcher(None, w, m).ratio() >= 0.8 for m in _MONTH_NAMES
    )


def _classify_segment(seg: list[_Tok], role: Role, gaz: Gazetteer) -> None:
    """One place unit per segment: the first in the head (an ALL-CAPS run counts there), the most
    specific after a comma. Extra regions in the head (`FARMINGTON Conn.`) are regions; other
    extra places and stray words stay unknown."""
    words = [t.text for t in seg]
    units: list[tuple[int, int, int]] = []  # (specificity, first, stop)
    i = 0
    while i < len(seg):
        if seg[i].role == "date":
            i += 1
            continue
        n = gaz.longest_place(words, i)
        if role == "place" and _CAPS.fullmatch(words[i]):
            n = max(n, _caps_run(seg, i))
        if n:
            tags = gaz.tags(" ".join(words[i : i + n]))
            units.append(
                (min((_SPECIFICITY[t] for t in tags if t in _SPECIFICITY), default=3), i, i + n)
            )
        i += max(n, 1)
    if units:
        # In the head an ALL-CAPS city outranks a title-case word that happens to be a place.
        caps = [u for u in units if _CAPS.fullmatch(words[u[1]])]
        keep = (caps or units)[0] if role == "place" else min(units, key=lambda u: (u[0], -u[1]))
        for spec, first, stop in units:
            if (spec, first) == keep[:2] or (role == "place" and spec <= _SPECIFICITY["country"]):
                for tok in seg[first:stop]:
                    tok.role = role if (spec, first) == keep[:2] else "region"
        for (_, first, stop), (_, nxt, last) in zip(units, units[1:], strict=False):
            if nxt == stop + 1 and words[stop] in ("and", "&"):  # `Calif. and SINGAPORE`
                for tok in seg[first:last]:
                    tok.role = role
    for tok in seg:
        if tok.role != "unknown":
            continue
        if units and "generic" in gaz.tags(tok.text):  # `southern Sudan`, `Hebei province`
            tok.role = role
        elif role == "region" and gaz.is_agency(tok.text):  # `WASHINGTON, March 12, Reuter -`
            tok.role = "agency"


def _caps_run(seg: list[_Tok], i: int) -> int:
    n = 0
    while i + n < len(seg) and seg[i + n].role != "date" and _CAPS.fullmatch(seg[i + n].text):
        n += 1
    return n


def _head_opens(words: list[str], gaz: Gazetteer) -> bool:
    """A dateline opens with an ALL-CAPS word, a known place or a month (`AUGUST 18, 2004`)."""
    first = words[0]
    return bool(_CAPS.fullmatch(first) or _MONTH.fullmatch(first) or gaz.longest_place(words, 0))


def _is_prose(word: str) -> bool:
    """An all-lowercase word that is no connector inside a name (`queenETH` is no prose)."""
    return _LOWER_WORD.fullmatch(word) is not None and word not in _CONNECTORS


def _after_byline(line: str, start: int, gaz: Gazetteer) -> list[int]:
    """Where the dateline may start after `By NAME NAME`: at a capitalised word that follows a
    mixed-case name (`By Deborah Cohen CHICAGO`) or that opens a known place
    (`By MICHAEL LIEDTKE SAN FRANCISCO`)."""
    toks = _tokens(line, start, len(line))[: MAX_BYLINE_WORDS + 1]
    words = [t.text for t in toks]
    return [
        tok.start
        for i, tok in enumerate(toks[1:], 1)
        if _CAPS.fullmatch(tok.text)
        and (not _CAPS.fullmatch(words[i - 1]) or gaz.longest_place(words, i))
    ]


def _is_source(head: str, gaz: Gazetteer) -> bool:
    """The text names a news source (`AP`, `SPACE.com`, `Dow Jones/AP`, `(Sports Network)`)."""
    head = head.strip()
    inner = head[1:-1] if head.startswith("(") and head.endswith(")") else head
    if not inner or len(inner) > 40:
        return False
    if gaz.is_agency(inner) or _DOMAIN.fullmatch(inner):
        return True
    pieces = [p for p in _JOINERS.split(inner) if p]
    return bool(pieces) and all(gaz.is_agency(p) or _DOMAIN.fullmatch(p) for p in pieces)


def _agency_part(line: str, start: int, stop: int, gaz: Gazetteer) -> list[DatelinePart]:
    """The agency inside `(...)`, `/.../` or before a prefix dash: one part when it reads as a
    source (or is ALL CAPS); otherwise agencies and dates keep their role, the rest is unknown."""
    words = [t for t in _tokens(line, start, stop) if t.text not in ",/"]
    if not words:
        return []
    content = line[words[0].start : words[-1].end]
    if _is_source(content, gaz) or (content.isupper() and len(content) <= 30):
        return [DatelinePart(words[0].start, words[-1].end, "agency")]
    _mark_dates(words)
    for tok in words:
        if tok.role == "unknown" and gaz.is_agency(tok.text):
            tok.role = "agency"
    return _merge(words, line)


def _tokens(line: str, start: int, stop: int) -> list[_Tok]:
    return [_Tok(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(line, start, stop)]


def _merge(words: list[_Tok], line: str) -> list[DatelinePart]:
    """Words of one role with only spaces between become one part (`THE HAGUE`, `Feb 26`)."""
    parts: list[DatelinePart] = []
    for tok in words:
        gap = line[parts[-1].end : tok.start] if parts else ""
        if parts and parts[-1].role == tok.role and gap.isspace():
            parts[-1] = DatelinePart(parts[-1].start, tok.end, tok.role)
        else:
            parts.append(DatelinePart(tok.start, tok.end, tok.role))
    return parts


def _separator(line: str, start: int) -> re.Match[str] | None:
    sep = _SEP.search(line, start)
    return sep if sep is not None and sep.start() - start <= MAX_HEAD_CHARS else None


def _line_end(text: str) -> int:
    nl = text.find("\n", 0, WINDOW)
    return WINDOW if nl < 0 else nl


def _skip_space(text: str, pos: int) -> int:
    m = _SPACE.match(text, pos)
    return m.end() if m else pos
