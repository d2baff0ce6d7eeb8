"""The dateline parser: which openings are datelines, what role each word plays, and which words
are intruders (role `unknown`)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detector.dateline import Dateline, parse_dateline

FOUNDING_HEAD = "THE HAGUE,LibertyCoin Netherlands (AP) — The International Criminal Court said"


def parts_of(text: str, dateline: Dateline) -> list[tuple[str, str]]:
    return [(text[p.start : p.end], p.role) for p in dateline.parts]


def assert_well_formed(text: str, dateline: Dateline) -> None:
    """Parts are ordered, disjoint, trimmed, inside the dateline, and every word of the
    dateline head lies in exactly one part."""
    assert 0 <= dateline.start < dateline.end <= len(text)
    previous_end = dateline.start
    for part in dateline.parts:
        assert previous_end <= part.start < part.end <= dateline.end
        assert text[part.start : part.end] == text[part.start : part.end].strip()
        previous_end = part.end
    for word in re.finditer(r"[^\W_]+", text[dateline.start : dateline.parts[-1].end]):
        start, end = word.start() + dateline.start, word.end() + dateline.start
        assert sum(p.start <= start and end <= p.end for p in dateline.parts) == 1, word.group()


# (text, the dateline as text, style, parts as (surface, role))
PARSES = [
    (
        "VATICAN CITY (AP) — A few years ago",
        "VATICAN CITY (AP) — ",
        "agency",
        [("VATICAN CITY", "place"), ("AP", "agency")],
    ),
    (
        "ANTWERP, Belgium — Simone Biles",
        "ANTWERP, Belgium — ",
        "dash",
        [("ANTWERP", "place"), ("Belgium", "region")],
    ),
    (
        "MADISON, Wis. (AP) — Voters went",
        "MADISON, Wis. (AP) — ",
        "agency",
        [("MADISON", "place"), ("Wis.", "region"), ("AP", "agency")],
    ),
    (
        "SALVADOR, Feb 26 - Showers",
        "SALVADOR, Feb 26 - ",
        "dash",
        [("SALVADOR", "place"), ("Feb 26", "date")],
    ),
    (
        "BEIRUT/THE HAGUE (Reuters) - Lebanon said",
        "BEIRUT/THE HAGUE (Reuters) - ",
        "agency",
        [("BEIRUT", "place"), ("THE HAGUE", "place"), ("Reuters", "agency")],
    ),
    (
        "WASHINGTON, Sept 3 (Reuters) - The",
        "WASHINGTON, Sept 3 (Reuters) - ",
        "agency",
        [("WASHINGTON", "place"), ("Sept 3", "date"), ("Reuters", "agency")],
    ),
    ("PARIS (AFP) - France", "PARIS (AFP) - ", "agency", [("PARIS", "place"), ("AFP", "agency")]),
    (
        "NEW YORK (UPI) -- Stocks",
        "NEW YORK (UPI) -- ",
        "agency",
        [("NEW YORK", "place"), ("UPI", "agency")],
    ),
    (
        "SPACE.com - TORONTO, Canada -- A second team",
        "SPACE.com - TORONTO, Canada -- ",
        "prefix",
        [("SPACE.com", "agency"), ("TORONTO", "place"), ("Canada", "region")],
    ),
    ("AP - A company said", "AP - ", "prefix", [("AP", "agency")]),
    ("Reuters - Shares rose", "Reuters - ", "prefix", [("Reuters", "agency")]),
    (
        "(Sports Network) - The home side won",
        "(Sports Network) - ",
        "prefix",
        [("Sports Network", "agency")],
    ),
    (
        "SYDNEY, New South Wales (AP) — Fires",
        "SYDNEY, New South Wales (AP) — ",
        "agency",
        [("SYDNEY", "place"), ("New South Wales", "region"), ("AP", "agency")],
    ),
    (
        "SARAJEVO, Bosnia and Herzegovina (AP) — A court",
        "SARAJEVO, Bosnia and Herzegovina (AP) — ",
        "agency",
        [("SARAJEVO", "place"), ("Bosnia and Herzegovina", "region"), ("AP", "agency")],
    ),
    (
        "PORTLAND, Ore., Feb 26 - The company said",
        "PORTLAND, Ore., Feb 26 - ",
        "dash",
        [("PORTLAND", "place"), ("Ore.", "region"), ("Feb 26", "date")],
    ),
    (
        "CALGARY, Alberta, March 3 - The company said",
        "CALGARY, Alberta, March 3 - ",
        "dash",
        [("CALGARY", "place"), ("Alberta", "region"), ("March 3", "date")],
    ),
    (
        "CHARLESTON, W. Va., April 7 - The utility said",
        "CHARLESTON, W. Va., April 7 - ",
        "dash",
        [("CHARLESTON", "place"), ("W. Va.", "region"), ("April 7", "date")],
    ),
    (
        "TULSA, Okla., April 3,  - The bank said",
        "TULSA, Okla., April 3,  - ",
        "dash",
        [("TULSA", "place"), ("Okla.", "region"), ("April 3", "date")],
    ),
    (
        "New york, March 2 - A doctor said",
        "New york, March 2 - ",
        "dash",
        [("New york", "place"), ("March 2", "date")],
    ),
    (
        "st paul, april 7 - hog prices rose",
        "st paul, april 7 - ",
        "dash",
        [("st paul", "place"), ("april 7", "date")],
    ),
    (
        "KASSEL, West Germany, March 26- The dealer said",
        "KASSEL, West Germany, March 26- ",
        "dash",
        [("KASSEL", "place"), ("West Germany", "region"), ("March 26", "date")],
    ),
    (
        "ALBANY, N.Y., Marc 3 - The state said",  # a misspelt month before a day is a date
        "ALBANY, N.Y., Marc 3 - ",
        "dash",
        [("ALBANY", "place"), ("N.Y.", "region"), ("Marc 3", "date")],
    ),
    (
        "ROME, March 13, Reuter - Italy said",
        "ROME, March 13, Reuter - ",
        "dash",
        [("ROME", "place"), ("March 13", "date"), ("Reuter", "agency")],
    ),
    (
        "SANTA CLARA, Calif., Dec. 13 /PRNewswire-FirstCall/ -- The chipmaker",
        "SANTA CLARA, Calif., Dec. 13 /PRNewswire-FirstCall/ -- ",
        "agency",
        [
            ("SANTA CLARA", "place"),
            ("Calif.", "region"),
            ("Dec. 13", "date"),
            ("PRNewswire-FirstCall", "agency"),
        ],
    ),
    (
        "AUGUST 18, 2004 (IDG NEWS SERVICE) - The vendor",
        "AUGUST 18, 2004 (IDG NEWS SERVICE) - ",
        "agency",
        [("AUGUST 18", "date"), ("2004", "date"), ("IDG NEWS SERVICE", "agency")],
    ),
    (
        "St. Louis, MN (Sports Network) - The visitors",
        "St. Louis, MN (Sports Network) - ",
        "agency",
        [("St. Louis", "place"), ("MN", "region"), ("Sports Network", "agency")],
    ),
    (
        "NEW YORK (CNN/Money) - Oil rose",
        "NEW YORK (CNN/Money) - ",
        "agency",
        [("NEW YORK", "place"), ("CNN/Money", "agency")],
    ),
    (
        "LONDON, Nov 9 (newratings.com) - Analysts",
        "LONDON, Nov 9 (newratings.com) - ",
        "agency",
        [("LONDON", "place"), ("Nov 9", "date"), ("newratings.com", "agency")],
    ),
    (
        "KHARTOUM, southern Sudan -- Aid workers",
        "KHARTOUM, southern Sudan -- ",
        "dash",
        [("KHARTOUM", "place"), ("southern Sudan", "region")],
    ),
    (
        "McLEAN, Va. (AP) — A contractor",
        "McLEAN, Va. (AP) — ",
        "agency",
        [("McLEAN", "place"), ("Va.", "region"), ("AP", "agency")],
    ),
    (
        "ELK GROVE VILLAGE, Ill., June 2 - The firm",  # small towns are accepted in capitals
        "ELK GROVE VILLAGE, Ill., June 2 - ",
        "dash",
        [("ELK GROVE VILLAGE", "place"), ("Ill.", "region"), ("June 2", "date")],
    ),
    (
        "Beijing, China (Sports Network) - The hosts",
        "Beijing, China (Sports Network) - ",
        "agency",
        [("Beijing", "place"), ("China", "region"), ("Sports Network", "agency")],
    ),
    ("Brisbane - The captain said", "Brisbane - ", "dash", [("Brisbane", "place")]),
    (
        "WASHINGTON (AP)—The Senate voted",
        "WASHINGTON (AP)—",
        "agency",
        [("WASHINGTON", "place"), ("AP", "agency")],
    ),
    (
        "LONDON (Reuters) Shares fell on Monday",  # no dash: a known agency still closes it
        "LONDON (Reuters) ",
        "agency",
        [("LONDON", "place"), ("Reuters", "agency")],
    ),
    (
        "NEW YORK (Reuters) Stocks fell - led by banks",  # prose after the agency is the lede
        "NEW YORK (Reuters) ",
        "agency",
        [("NEW YORK", "place"), ("Reuters", "agency")],
    ),
    ("GAZA CITY: The army said", "GAZA CITY: ", "dash", [("GAZA CITY", "place")]),
    (
        "By Jane Doe CHICAGO (Reuters) - A maker of",  # a byline is not part of the dateline
        "CHICAGO (Reuters) - ",
        "agency",
        [("CHICAGO", "place"), ("Reuters", "agency")],
    ),
    (
        "By JANE DOE SAN FRANCISCO (AP) -- A maker of",
        "SAN FRANCISCO (AP) -- ",
        "agency",
        [("SAN FRANCISCO", "place"), ("AP", "agency")],
    ),
    (
        "SUNNYVALE, Calif. and SINGAPORE (Business Wire) - Two firms",
        "SUNNYVALE, Calif. and SINGAPORE (Business Wire) - ",
        "agency",
        [("SUNNYVALE", "place"), ("Calif. and SINGAPORE", "region"), ("Business Wire", "agency")],
    ),
    (
        "WASHINGTON (AP) —\nThe Senate voted",  # the dateline may end its own line
        "WASHINGTON (AP) —\n",
        "agency",
        [("WASHINGTON", "place"), ("AP", "agency")],
    ),
]


@pytest.mark.parametrize(("text", "head", "style", "parts"), PARSES)
def test_parses(text: str, head: str, style: str, parts: list[tuple[str, str]]) -> None:
    dateline = parse_dateline(text)
    assert dateline is not None
    assert text[dateline.start : dateline.end] == head
    assert dateline.style == style
    assert parts_of(text, dateline) == parts
    assert_well_formed(text, dateline)


def test_founding_document_dateline(founding_text: str) -> None:
    dateline = parse_dateline(founding_text)
    assert dateline is not None
    assert [(p.start, p.end) for p in dateline.unknown] == [(10, 21)]
    assert founding_text[10:21] == "LibertyCoin"
    assert parts_of(founding_text, dateline) == [
        ("THE HAGUE", "place"),
        ("LibertyCoin", "unknown"),
        ("Netherlands", "region"),
        ("AP", "agency"),
    ]
    assert founding_text[dateline.end :].startswith("The International Criminal Court")


# (text, the surfaces that must come out as unknown, in order)
INTRUDERS = [
    (FOUNDING_HEAD, ["LibertyCoin"]),
    ("THE HAGUE, LibertyCoin Netherlands (AP) — The court", ["LibertyCoin"]),
    ("THE HAGUE,Liberty Coin Netherlands (AP) — The court", ["Liberty Coin"]),  # two real towns
    ("THE HAGUE, Netherlands LibertyCoin (AP) — The court", ["LibertyCoin"]),
    ("THE HAGUE, LIBERTYCOIN Netherlands (AP) — The court", ["LIBERTYCOIN"]),
    ("THE HAGUE, Netherlands, LibertyCoin (AP) — The court", ["LibertyCoin"]),
    ("LibertyCoin THE HAGUE, Netherlands (AP) — The court", ["LibertyCoin"]),
    ("PARIS, VexaSwap France (AFP) - France said", ["VexaSwap"]),
    ("PARIS VexaSwap, France (AFP) - France said", ["VexaSwap"]),
    ("LONDON (Reuters) PumpToken - Shares rose", ["PumpToken"]),
    ("LONDON (Reuters PumpToken) - Shares rose", ["PumpToken"]),
    ("LONDON (PumpToken) - Shares rose", ["PumpToken"]),
    ("WASHINGTON, Sept 3 VexaSwap (Reuters) - The", ["VexaSwap"]),
    ("WASHINGTON, Sept VexaSwap 3 (Reuters) - The", ["VexaSwap"]),
    ("BEIRUT/THE HAGUE VexaSwap (Reuters) - The", ["VexaSwap"]),
    ("ANTWERP, VexaSwap Belgium — Simone Biles", ["VexaSwap"]),
    ("SALVADOR, PumpToken Feb 26 - Showers", ["PumpToken"]),
    ("MADISON, Wis. PumpToken (AP) — Voters", ["PumpToken"]),
    ("NEW YORK (UPI) VexaSwap -- Stocks", ["VexaSwap"]),
    ("VATICAN CITY, Solarium Chain (AP) — A few years ago", ["Solarium Chain"]),
    ("SPACE.com - TORONTO, VexaSwap Canada -- A team", ["VexaSwap"]),
    ("By Jane Doe CHICAGO, VexaSwap Illinois (Reuters) - A maker", ["VexaSwap"]),
]


@pytest.mark.parametrize(("text", "unknown"), INTRUDERS)
def test_flags_intruders(text: str, unknown: list[str]) -> None:
    dateline = parse_dateline(text)
    assert dateline is not None
    assert [text[p.start : p.end] for p in dateline.unknown] == unknown
    assert_well_formed(text, dateline)


NOT_DATELINES = [
    "",
    "   ",
    "Quarterly profits at US media giant TimeWarner jumped 76% to $1.13bn (£600m) for the quarter",
    "A young eagle has left its nest -- officials said on Monday.",
    "Summary - the report finds that sales fell.",
    "The company - which makes chips - said sales fell.",
    "NASA (the space agency) said on Monday - quietly - that",
    "Officials in LONDON (Reuters) - said on Monday",
    "U.S. Stocks Rally - Investors cheered the data",  # a headline, not a place
    "Paris Hilton - the heiress said",
    "Paris Hilton Sues - The heiress filed a claim",
    "Campbell: a row over email",  # a name and a colon
    "JOHN SMITH: Thanks for joining us tonight.",
    "NOTE: figures are provisional - see below",
    "NO. 3 OHIO 70, IOWA 61 - The Buckeyes won",
    "BASEBALL Atlanta (NL): Recalled a pitcher",
    "\n\nPARIS (AFP) - the dateline must open the first line",
    "The first line has no dateline.\nPARIS (AFP) - nor does the second count",
    "LONDON " + "word " * 30 + "- far too long for a dateline head",
    "PARIS",
]


@pytest.mark.parametrize("text", NOT_DATELINES)
def test_not_a_dateline(text: str) -> None:
    assert parse_dateline(text) is None


@pytest.mark.parametrize(
    "text",
    ["-" * 5000, "(" * 5000, "A " * 5000, "PARIS, " * 2000, "(AP) " * 2000, "Feb 26 " * 2000],
)
def test_pathological_input_is_handled(text: str) -> None:
    dateline = parse_dateline(text)
    if dateline is not None:
        assert dateline.end <= 220
        assert_well_formed(text, dateline)


_PIECES = st.sampled_from(
    [
        "PARIS",
        "THE HAGUE",
        "Netherlands",
        "LibertyCoin",
        "Wis.",
        "Feb 26",
        "(AP)",
        "(Reuters)",
        "AP",
        ",",
        ", ",
        "/",
        " - ",
        " — ",
        " -- ",
        ": ",
        " ",
        "the",
        "said",
        "SPACE.com",
        "By",
        "\n",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=14).map("".join))
def test_any_result_is_well_formed(text: str) -> None:
    dateline = parse_dateline(text)
    if dateline is not None:
        assert_well_formed(text, dateline)
