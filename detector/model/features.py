"""Token features for the classifier, computed per document with numpy over token arrays:
lexical shape, slot (dateline, headline, lede, paragraph and article end, glued boundaries),
context (neighbours, recurrence, is the story about crypto), fit to the neighbours under
clean-news word statistics, the coin lexicon, and the rule hits as features."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

from detector.document import Document, strings_array
from detector.english import zipf_frequency
from detector.findings import Finding
from detector.rules import ALL_RULES
from detector.textstats import (
    COIN,
    DISTINCTIVE,
    LONGEST_WORD,
    ORDINARY,
    TICKER,
    WordStats,
    combine_hashes,
    hash_tokens,
)

FEATURE_SCHEMA = 7
EVIDENCE_RULES: tuple[str, ...] = tuple(r.id for r in ALL_RULES if r.kind != "residue")
ROLES = ("place", "region", "date", "agency", "unknown")
_SENTENCE_END = np.array([".", "!", "?"])
_GLUE_PUNCT = (",", ";", ":")

DENSE_NAMES: tuple[str, ...] = (
    "is_word", "is_punct", "has_digit", "all_digit", "log_len", "is_title", "is_upper",
    "is_lower", "mixed_case", "alpha_digit", "changed_by_normalising", "log_count_news",
    "unseen_in_news", "lowercase_ratio_news", "zipf_english", "unseen_in_english",
    "field_title", "in_dateline", *(f"dateline_{r}" for r in ROLES), "in_lede", "rel_position",
    "from_paragraph_start", "to_paragraph_end", "in_last_paragraph", "glued_left", "glued_right",
    "split_tail_common", "split_head_common", "after_comma_no_space", "sentence_initial", "after_dateline_dash",
    "log_count_in_doc", "log_core_count_in_doc", "in_other_field", "log_crypto_context", "log_doc_tokens", "has_dateline",
    "prev_is_title", "prev_is_upper", "prev_is_punct", "prev_unseen",
    "next_is_title", "next_is_upper", "next_is_punct", "next_unseen",
    "fit_prev", "fit_next", "fit_skip", "fit_gain_prev", "fit_gain_next",
    "prev_takes_name", "next_takes_name", "sentence_words", "sentence_terminated",
    "is_symbol", "symbol_near", "social_link_ahead",
    "capitalised_run", "run_has_unseen", "run_unseen_in_english",
    "coin_name", "coin_ordinary", "coin_distinctive", "coin_ticker", "coin_rank",
    *(f"rule_{r}" for r in EVIDENCE_RULES),
    "rules_window_max", "rules_window_sum",
)  # fmt: skip


# How a feature may move the probability, all else equal (+1 only up, -1 only down; the rest
# free): more evidence from a rule, an evasion or a bad fit never makes a token look more
# ordinary, and a word that recurs in the story or that news uses often never looks more odd.
MONOTONE: dict[str, int] = {
    "changed_by_normalising": 1, "unseen_in_news": 1, "log_count_news": -1,
    "unseen_in_english": 1, "run_unseen_in_english": 1,
    "glued_left": 1, "glued_right": 1, "after_comma_no_space": 1,
    "log_count_in_doc": -1, "log_core_count_in_doc": -1, "in_other_field": -1,
    "fit_gain_prev": 1, "fit_gain_next": 1, "prev_takes_name": -1, "next_takes_name": -1,
    "coin_name": 1, "is_symbol": 1,
    **{f"rule_{r}": 1 for r in EVIDENCE_RULES}, "rules_window_max": 1, "rules_window_sum": 1,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class DocFeatures:
    """One document field's token features: `dense` rows align with `doc.tokens`."""

    doc: Document
    dense: np.ndarray
    strings: list[str]  # the lowercased tokens, for the character n-gram stage
    candidate: np.ndarray  # tokens the model judges: words, links, $tickers, #tags, @handles


def _flags(arr: np.ndarray, first: np.ndarray) -> dict[str, np.ndarray]:
    alpha = np.strings.isalpha(arr)
    alnum = np.strings.isalnum(arr)
    digit = np.strings.isdigit(arr)
    upper = np.strings.isupper(arr)
    lower = np.strings.islower(arr)
    title = np.strings.istitle(arr) & ~upper
    has_digit = alnum & ~alpha & ~digit
    is_word = alnum | np.strings.isalnum(first)
    lengths = np.strings.str_len(arr).astype(float)
    mixed = is_word & ~upper & ~lower & ~title & ~digit
    return {
        "is_word": is_word, "is_punct": ~is_word, "has_digit": has_digit | digit,
        "all_digit": digit, "log_len": np.log1p(lengths), "is_title": title,
        "is_upper": upper & (lengths > 1), "is_lower": lower, "mixed_case": mixed,
        "alpha_digit": has_digit,
    }  # fmt: skip


def _shift(values: np.ndarray, by: int, fill: float = 0.0) -> np.ndarray:
    """values[i - by] (by > 0 looks back), padded with `fill`."""
    out = np.full(values.shape, fill, dtype=float)
    if by > 0:
        out[by:] = values[:-by]
    elif by < 0:
        out[:by] = values[-by:]
    else:
        out[:] = values
    return out


def token_rule_scores(doc: Document, hits: Sequence[Finding]) -> np.ndarray:
    """(tokens x evidence rules): the best score of each rule's hits over each token."""
    tokens = doc.tokens
    out = np.zeros((len(tokens), len(EVIDENCE_RULES)))
    if not len(tokens):
        return out
    o_starts, o_ends = doc.norm.spans_to_original(tokens.starts, tokens.ends)
    column = {rule: i for i, rule in enumerate(EVIDENCE_RULES)}
    for hit in hits:
        if hit.field != doc.field:
            continue
        inside = (o_starts < hit.end) & (o_ends > hit.start)
        for rule in hit.rules:
            if rule in column:
                col = out[:, column[rule]]
                np.maximum(col, np.where(inside, hit.score, 0.0), out=col)
    return out


def doc_features(doc: Document, hits: Sequence[Finding], *, leave_out: bool = False) -> DocFeatures:
    """Dense features of every token of `doc`, given the rule hits on it.

    `leave_out` is for training documents drawn from the corpora the word statistics were
    counted on: their own counts are subtracted, so a word is "seen in news" only if other
    documents have it, as it will be for an unseen article at scan time.
    """
    tokens = doc.tokens
    n = len(tokens)
    words = list(tokens.words)
    lower = list(doc.lower_words)
    arr, hashes, first = doc.word_array, doc.lower_hashes, doc.first_chars
    marked = _equals_any(first, "$#@")  # `$BTC`, `#tag`, `@handle`
    slashed = np.strings.find(arr, "/") >= 0  # links, and the tokens that may be one
    f = _flags(arr, first)
    cols: dict[str, np.ndarray] = dict(f)
    stats = WordStats.load()

    # Lexical: how this string fares in clean news.
    changed = np.zeros(n, dtype=bool)
    if doc.norm.changed and n:
        o_starts, o_ends = doc.norm.spans_to_original(tokens.starts, tokens.ends)
        changed = (o_ends - o_starts) != (tokens.ends - tokens.starts)
    cols["changed_by_normalising"] = changed
    own = _Counts(hashes).of(hashes) if leave_out else 0.0
    counts = np.maximum(stats.unigram_counts(hashes).astype(float) - own, 0) if n else np.zeros(0)
    cols["log_count_news"] = np.log1p(counts)
    plain_word = f["is_word"] & ~f["has_digit"]  # numbers are no words a corpus lacks
    cols["unseen_in_news"] = plain_word & (counts == 0)
    cols["lowercase_ratio_news"] = (
        _lower_ratio(stats, lower, hashes, words, leave_out) if n else np.zeros(0)
    )
    # ... and in English at large: news never printed `Kronawitter`, English has; nobody has
    # `Dreanzor`.
    zipf = zipf_frequency(lower, hashes, only=plain_word) if n else np.zeros(0)
    cols["zipf_english"] = zipf
    cols["unseen_in_english"] = plain_word & (zipf == 0)

    # Slots.
    cols["field_title"] = np.full(n, doc.field == "title")
    in_dateline = np.zeros(n, dtype=bool)
    roles = {r: np.zeros(n, dtype=bool) for r in ROLES}
    after_dash = np.zeros(n, dtype=bool)
    dateline = doc.dateline
    if dateline is not None and n:
        in_dateline = (tokens.starts >= dateline.start) & (tokens.ends <= dateline.end)
        for part in dateline.parts:
            inside = (tokens.starts >= part.start) & (tokens.ends <= part.end)
            roles[part.role] |= inside
        # The first word or tag after it (`- "Quoted"`: the word, not the quote mark).
        after = np.flatnonzero((tokens.starts >= dateline.end) & (f["is_word"] | marked))
        after_dash[after[:1]] = True
    cols["in_dateline"] = in_dateline
    for r in ROLES:
        cols[f"dateline_{r}"] = roles[r]
    lede_start, lede_end = doc.lede
    cols["in_lede"] = (tokens.starts >= lede_start) & (tokens.ends <= lede_end)
    cols["rel_position"] = np.arange(n) / max(n - 1, 1)
    para_starts = np.array([p[0] for p in doc.paragraphs] or [0])
    para = np.searchsorted(para_starts, tokens.starts, side="right") - 1
    index = np.arange(n)
    first_of_para = np.concatenate(([True], para[1:] != para[:-1])) if n else np.zeros(0, bool)
    last_of_para = np.concatenate((para[1:] != para[:-1], [True])) if n else np.zeros(0, bool)
    para_first_index = np.maximum.accumulate(np.where(first_of_para, index, 0)) if n else index
    para_last_index = (
        np.minimum.accumulate(np.where(last_of_para, index, n)[::-1])[::-1] if n else index
    )
    cols["from_paragraph_start"] = np.minimum(index - para_first_index, 10) / 10
    cols["to_paragraph_end"] = np.minimum(para_last_index - index, 10) / 10
    cols["in_last_paragraph"] = para == para.max() if n else np.zeros(0, bool)
    adjacent_prev = np.zeros(n, dtype=bool)
    adjacent_prev[1:] = tokens.starts[1:] == tokens.ends[:-1]
    adjacent_next = np.zeros(n, dtype=bool)
    adjacent_next[:-1] = adjacent_prev[1:]
    is_word = f["is_word"]
    previous = np.concatenate([np.array([""]), arr[:-1]]) if n else arr
    after_glue_punct = adjacent_prev & _equals_any(previous, _GLUE_PUNCT)
    cols["glued_left"] = is_word & (
        adjacent_prev & _shift(is_word, 1).astype(bool) | after_glue_punct
    )
    cols["glued_right"] = is_word & adjacent_next & _shift(is_word, -1).astype(bool)
    cols.update(_split_features(stats, arr, cols["unseen_in_news"]))
    cols["after_comma_no_space"] = after_glue_punct
    prev_end = np.strings.endswith(previous[:, None], _SENTENCE_END).any(axis=1)
    cols["sentence_initial"] = first_of_para | prev_end
    cols["after_dateline_dash"] = after_dash

    # Context.
    other = doc.other_hashes
    article = np.concatenate([hashes, other])
    in_article = _Counts(article)
    cols["log_count_in_doc"] = np.log1p(in_article.of(hashes))
    # `#bitcoin`, `$BTC`, `@coindesk`: does the word behind the mark recur (a story's subject)?
    cores = hashes.copy()
    at = np.flatnonzero(marked)
    cores[at] = hash_tokens([lower[i][1:] for i in at.tolist()])
    cols["log_core_count_in_doc"] = np.log1p(in_article.of(cores))
    cols["in_other_field"] = _Counts(other).of(hashes) > 0
    cols["log_crypto_context"] = np.full(n, np.log1p(doc.crypto_context))
    cols["log_doc_tokens"] = np.full(n, np.log1p(n))
    cols["has_dateline"] = np.full(n, dateline is not None)
    unseen = cols["unseen_in_news"].astype(float)
    for side, by in (("prev", 1), ("next", -1)):
        cols[f"{side}_is_title"] = _shift(f["is_title"].astype(float), by)
        cols[f"{side}_is_upper"] = _shift(f["is_upper"].astype(float), by)
        cols[f"{side}_is_punct"] = _shift(f["is_punct"].astype(float), by, fill=1.0)
        cols[f"{side}_unseen"] = _shift(unseen, by)

    # Fit to the neighbours: is the text likelier with the token or without it? And would a
    # name be natural here ("said X", "Mr X") or not ("the company X into")?
    cols.update(_fit_features(stats, hashes, is_word, leave_out))
    cols.update(_name_slot_features(stats, lower, hashes, words, is_word, leave_out))

    # The sentence the token stands in: a one-word "sentence" at a paragraph's end, or one
    # with no full stop, is not wire copy.
    is_end = f["is_punct"] & _tokens_holding(doc, _FULL_STOP)
    boundary = first_of_para | _shift(is_end.astype(float), 1).astype(bool)
    sentence = np.cumsum(boundary) - 1 if n else np.zeros(0, int)
    if n:
        cols["sentence_words"] = np.log1p(np.bincount(sentence, weights=is_word)[sentence])
        cols["sentence_terminated"] = np.bincount(sentence, weights=is_end)[sentence] > 0
    else:
        cols["sentence_words"] = cols["sentence_terminated"] = np.zeros(0)
    symbol = _tokens_holding(doc, _SYMBOL)
    cols["is_symbol"] = symbol
    near = symbol.astype(float)
    cols["symbol_near"] = np.max([_shift(near, k) for k in range(-6, 7)], axis=0) if n else near
    # A quoted tweet, flattened into the paragraph, ends with its picture or short link: the
    # words before it, tags and handles among them, are the tweet's own.
    social = np.flatnonzero(_links_starting(arr, slashed, _SOCIAL_LINK))
    ahead = np.zeros(n, dtype=bool)
    if len(social):
        nxt = np.minimum(np.searchsorted(social, index), len(social) - 1)
        link_at = social[nxt]
        ahead = (link_at >= index) & (link_at - index <= _TWEET_TOKENS) & (para[link_at] == para)
    cols["social_link_ahead"] = ahead

    # Runs of capitalised words ("Lyra Labs", "Dragon Bet Casino"): one with a word clean news
    # never had is a name the model should look at.
    capital = is_word & (f["is_title"] | f["is_upper"] | f["mixed_case"]) & ~f["all_digit"]
    run = np.cumsum(~capital) if n else np.zeros(0, int)
    cols["capitalised_run"] = capital
    for name, unseen_in in (("run_has_unseen", "news"), ("run_unseen_in_english", "english")):
        holds = capital & cols[f"unseen_in_{unseen_in}"]
        cols[name] = capital & (np.bincount(run, weights=holds)[run] > 0 if n else capital)

    # Coin lexicon over the word tokens.
    lex = {
        k: np.zeros(n)
        for k in ("coin_name", "coin_ordinary", "coin_distinctive", "coin_ticker", "coin_rank")
    }
    word_pos, matches = doc.coin_matches
    if len(word_pos):
        for start in np.flatnonzero(matches.length):
            span = word_pos[start : start + int(matches.length[start])]
            flags = int(matches.flags[start])
            lex["coin_name"][span] = max(1.0, lex["coin_name"][span].max()) if flags & COIN else 0.0
            lex["coin_ordinary"][span] = bool(flags & ORDINARY)
            lex["coin_distinctive"][span] = bool(flags & DISTINCTIVE)
            lex["coin_ticker"][span] = bool(flags & TICKER)
            lex["coin_rank"][span] = matches.rank[start]
    cols.update(lex)

    # Rule hits, on the token and around it.
    rule_scores = token_rule_scores(doc, hits)
    for i, rule in enumerate(EVIDENCE_RULES):
        cols[f"rule_{rule}"] = rule_scores[:, i]
    best = rule_scores.max(axis=1) if n else np.zeros(0)
    window = np.stack([_shift(best, k) for k in (-2, -1, 0, 1, 2)]) if n else np.zeros((5, 0))
    cols["rules_window_max"] = window.max(axis=0)
    cols["rules_window_sum"] = rule_scores.sum(axis=1)

    dense = (
        np.column_stack([np.asarray(cols[name], dtype=np.float32) for name in DENSE_NAMES])
        if n
        else np.zeros((0, len(DENSE_NAMES)), np.float32)
    )
    candidate = _first_pass(arr, first, marked | slashed, cols)
    return DocFeatures(doc, dense, lower, candidate)


# Amounts and measures, never insertions: `1500m`, `$2bn`, `$5K`, `$100million`, `70p`, `6ft`,
# `4x100m` (lowercase units or one capital, so a leet ticker like `$7RBC` is not one).
_AMOUNT = re.compile(
    r"\d[\d.,]*(?:[a-z]{0,3}|[KMBT]{1,2}|million|billion|trillion)|\d+x\d+[a-z]{0,3}"
)


def _first_pass(
    words: np.ndarray, first: np.ndarray, linked: np.ndarray, cols: dict[str, np.ndarray]
) -> np.ndarray:
    """The tokens the model judges: those a rule or a slot already marks as odd (a rule hit on
    or next to the token, a dateline word or the word after its dash, a glued boundary, a
    normalised-away evasion, digits inside a word), every link, $ticker, #tag and @handle,
    names (capitalised runs holding a
    word clean news never had, `Vexorium Labs`; coin names; a name standing alone in a short
    unfinished "sentence"), and every word of a short unfinished "sentence" closing a paragraph
    of the story. Numbers and amounts never are: their style differs between 1987
    wire copy and modern news, and a model would learn the era, not the spam. Nor are emoji (a
    feature of their neighbours only: tweets are full of them) or plain lowercase words in
    finished sentences, which keeps precision on text unlike the training corpora."""
    # An amount starts with a digit once a `$` is stripped: the regex runs only there. A #tag
    # or @handle never is one (`#1000x` is a pitch, `$5K` a sum).
    amount = np.strings.isdigit(first) | (first == "$")
    at = np.flatnonzero(amount)
    amount[at] = [_AMOUNT.fullmatch(w.lstrip("$")) is not None for w in words[at].tolist()]
    lettered = _holds_a_letter(words) & ~amount
    marker = linked & lettered  # a link, $ticker, #tag or @handle (`linked`), not a sum
    odd = (
        (np.asarray(cols["rules_window_max"]) > 0)
        | np.asarray(cols["in_dateline"], dtype=bool)
        | np.asarray(cols["glued_left"], dtype=bool)
        | np.asarray(cols["glued_right"], dtype=bool)
        | np.asarray(cols["changed_by_normalising"], dtype=bool)
        | np.asarray(cols["alpha_digit"], dtype=bool)  # leetspeak: `5hibF4lcon`, `7heN3t`
        | np.asarray(cols["after_comma_no_space"], dtype=bool)
        | np.asarray(cols["after_dateline_dash"], dtype=bool)
    )
    capital = np.asarray(cols["capitalised_run"], dtype=bool)
    # A name alone in an unfinished "sentence" of a few words (`... rose. Frog Capital`).
    length = np.asarray(cols["sentence_words"])  # log(1 + words in the sentence)
    unfinished = ~np.asarray(cols["sentence_terminated"], dtype=bool)
    stray = (length <= np.log1p(4)) & unfinished
    named = np.asarray(cols["run_has_unseen"], dtype=bool) | (
        capital & ((np.asarray(cols["coin_name"]) > 0) | stray)
    )
    # Every word of a short unfinished "sentence" closing a paragraph of the story (`... said
    # Mr Duncan. payday loans approved in minutes`): wire copy ends its sentences.
    fragment = (length <= np.log1p(12)) & unfinished & ~np.asarray(cols["field_title"], dtype=bool)
    return marker | (lettered & (odd | named | fragment))


# The picture or short link that closes a quoted tweet: a token starting with that host (not
# `mint.co/`, nor a link an insertion was glued into: `https<spam>://t.co/...`).
_SOCIAL_LINK = re.compile(r"(?:https?://)?(?:www\.)?(?:t\.co|pic\.twitter\.com|pic\.x\.com)/", re.I)
# Emoji and pictographs (🚀, 🎰, ✅, ⭐): promotion, not news copy. Not ©, ° or ™.
_SYMBOL = re.compile("[\U0001f000-\U0010ffff\u2600-\u27bf\u2b00-\u2bff]")
_FULL_STOP = re.compile("[.!?]")
_MIN_SPLIT = 3  # letters of each part of a split word
_MIN_HEAD = 4  # ... of a new head
# ... of a lowercase tail: names end in short everyday words (`Edding|ton`, `Suther|land`)
_MIN_LOWER_TAIL = 5
COMMON_GLUED = 20  # how often news prints a word for it to count as everyday


def _tokens_holding(doc: Document, pattern: re.Pattern[str]) -> np.ndarray:
    """Which tokens hold a character `pattern` matches: one search of the text, not a loop over
    every token's characters."""
    tokens = doc.tokens
    out = np.zeros(len(tokens), dtype=bool)
    at = np.fromiter((m.start() for m in pattern.finditer(doc.text)), dtype=np.int64)
    if len(at) and len(tokens):
        i = np.searchsorted(tokens.ends, at, side="right")
        inside = i < len(tokens)
        i = i[inside]
        out[i[tokens.starts[i] <= at[inside]]] = True
    return out


def _links_starting(words: np.ndarray, slashed: np.ndarray, pattern: re.Pattern[str]) -> np.ndarray:
    """Which tokens `pattern` matches at their start; only the `slashed` ones (holding a `/`)
    are tried."""
    out = np.zeros(len(words), dtype=bool)
    at = np.flatnonzero(slashed)
    out[at] = [pattern.match(word) is not None for word in words[at].tolist()]
    return out


class _Counts:
    """How often token hashes occur in a pool of them (a field, the whole article)."""

    def __init__(self, pool: np.ndarray) -> None:
        self.unique, self.counts = np.unique(pool, return_counts=True)

    def of(self, words: np.ndarray) -> np.ndarray:
        if not len(self.unique):
            return np.zeros(len(words))
        at = np.minimum(np.searchsorted(self.unique, words), len(self.unique) - 1)
        return np.where(self.unique[at] == words, self.counts[at], 0).astype(float)


def _split_features(stats: WordStats, arr: np.ndarray, unseen: np.ndarray) -> dict[str, np.ndarray]:
    """A word clean news never had that is a new name glued to an everyday word, the space
    lost: `Mexarahousing`, `FumaraWashington` (a new head, then a word news prints at least
    `COMMON_GLUED` times, lowercase after a capitalised head or capitalised after a lowercase
    letter), or `marketsTXSwap` (an everyday lowercase word, then a new capitalised one;
    `steadyVexaSwap` is already two tokens). Each is the log count of that everyday word (the
    longest one), or 0. Only the document's distinct unseen words are split, and only where the
    everyday part is at most `LONGEST_WORD` letters (no longer word is in the statistics), so a
    word costs a bounded number of lookups however long it is."""
    n = len(arr)
    out = {"split_tail_common": np.zeros(n), "split_head_common": np.zeros(n)}
    at = np.flatnonzero(unseen & (np.strings.str_len(arr) >= _MIN_HEAD + _MIN_SPLIT))
    if not len(at):
        return out
    distinct, where = np.unique(arr[at], return_inverse=True)
    tails: list[tuple[int, str, str]] = []  # (distinct word, head, tail), longest tail first
    heads: list[tuple[int, str, str]] = []  # longest head first
    for i, word in enumerate(distinct.tolist()):
        if not word.isalpha():
            continue
        size = len(word)
        for k in range(max(_MIN_HEAD, size - LONGEST_WORD), size - _MIN_SPLIT + 1):
            head, tail = word[:k], word[k:]
            camel = head[-1].islower() and tail[0].isupper()
            named = word[0].isupper() and len(tail) >= _MIN_LOWER_TAIL and tail.islower()
            if camel or named:
                tails.append((i, head, tail))
        for k in range(min(size - _MIN_SPLIT, LONGEST_WORD), _MIN_SPLIT - 1, -1):
            head, tail = word[:k], word[k:]
            if tail[0].isupper() and head.islower():
                heads.append((i, head, tail))
    for name, splits, everyday in (
        ("split_tail_common", tails, 1),
        ("split_head_common", heads, 0),
    ):
        if not splits:
            continue
        counts = stats.unigram_counts([p.lower() for s in splits for p in s[1:]]).reshape(-1, 2)
        common, novel = counts[:, everyday].tolist(), counts[:, 1 - everyday].tolist()
        found = np.zeros(len(distinct))
        for (i, _, _), c, m in zip(splits, common, novel, strict=True):
            if not found[i] and c >= COMMON_GLUED and m == 0:
                found[i] = np.log1p(c)
        out[name][at] = found[where]
    return out


def _equals_any(words: np.ndarray, options: Sequence[str]) -> np.ndarray:
    out = np.zeros(len(words), dtype=bool)
    for option in options:
        out |= words == option
    return out


def _holds_a_letter(words: np.ndarray) -> np.ndarray:
    """Whether each word has a letter: all letters and digits, not all digits; or, for the few
    words with punctuation in them (`$BTC`, `don't`), by looking at their characters."""
    alnum = np.strings.isalnum(words)
    out = alnum & ~np.strings.isnumeric(words)
    mixed = np.flatnonzero(~alnum & (np.strings.str_len(words) > 1))
    out[mixed] = [any(c.isalpha() for c in w) for w in words[mixed].tolist()]
    return out


def _lower_ratio(
    stats: WordStats, lower: list[str], hashes: np.ndarray, words: list[str], leave_out: bool
) -> np.ndarray:
    """Share of a word's mid-sentence uses in news that were lowercase; -1 when never seen."""
    low, cap = (c.astype(float) for c in stats.case_counts(hashes))
    if leave_out:
        is_low = np.array([w.islower() for w in words])
        own_low: dict[str, int] = {}
        own_cap: dict[str, int] = {}
        for w, lowercase in zip(lower, is_low.tolist(), strict=True):
            target = own_low if lowercase else own_cap
            target[w] = target.get(w, 0) + 1
        low = np.maximum(low - np.array([own_low.get(w, 0) for w in lower]), 0)
        cap = np.maximum(cap - np.array([own_cap.get(w, 0) for w in lower]), 0)
    total = low + cap
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, low / np.maximum(total, 1), -1.0)


def _name_slot_features(
    stats: WordStats,
    lower: list[str],
    hashes: np.ndarray,
    words: list[str],
    is_word: np.ndarray,
    leave_out: bool,
) -> dict[str, np.ndarray]:
    """How often, in clean news, the previous word is followed by a capitalised word and the
    next word preceded by one (log, smoothed towards the corpus-wide rate)."""
    n = len(lower)
    out = {k: np.zeros(n) for k in ("prev_takes_name", "next_takes_name")}
    pos = np.flatnonzero(is_word)
    if len(pos) == 0:
        return out
    count = stats.unigram_counts(hashes[pos]).astype(float)
    before, after = (c.astype(float) for c in stats.name_neighbour_counts(hashes[pos]))
    if leave_out:
        w = [lower[i] for i in pos]
        cap = np.array([words[i][:1].isupper() for i in pos], dtype=float)
        own_before: dict[str, float] = {}
        own_after: dict[str, float] = {}
        own_count: dict[str, float] = {}
        for k, word in enumerate(w):
            own_count[word] = own_count.get(word, 0) + 1
            if k + 1 < len(w):
                own_before[word] = own_before.get(word, 0) + cap[k + 1]
            if k:
                own_after[word] = own_after.get(word, 0) + cap[k - 1]
        count = np.maximum(count - [own_count[x] for x in w], 0)
        before = np.minimum(np.maximum(before - [own_before.get(x, 0) for x in w], 0), count)
        after = np.minimum(np.maximum(after - [own_after.get(x, 0) for x in w], 0), count)
    prior = _NAME_RATE
    takes_next = np.log((before + 2 * prior) / (count + 2))
    takes_prev = np.log((after + 2 * prior) / (count + 2))
    out["prev_takes_name"][pos] = np.concatenate(([np.log(prior)], takes_next[:-1]))
    out["next_takes_name"][pos] = np.concatenate((takes_prev[1:], [np.log(prior)]))
    return out


_TWEET_TOKENS = 40  # how far before its link a flattened tweet may start
_EDGE = hash_tokens([""])  # the word beyond either end of the text
_NAME_RATE = 0.1  # roughly how often a word in news is followed by a capitalised one


def _own_bigrams(left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    keys = combine_hashes(left, right)
    return np.unique(keys, return_counts=True)


def _fit_features(
    stats: WordStats, hashes: np.ndarray, is_word: np.ndarray, leave_out: bool = False
) -> dict[str, np.ndarray]:
    """Bigram log-probabilities over the word tokens (punctuation skipped): with the token
    (`prev tok`, `tok next`) and without it (`prev next`)."""
    n = len(hashes)
    out = {
        k: np.zeros(n)
        for k in ("fit_prev", "fit_next", "fit_skip", "fit_gain_prev", "fit_gain_next")
    }
    pos = np.flatnonzero(is_word)
    if len(pos) == 0:
        return out
    h = hashes[pos]
    h_prev = np.concatenate((_EDGE, h[:-1]))
    h_next = np.concatenate((h[1:], _EDGE))
    uni = stats.unigram_counts(h).astype(float)
    c_prev = stats.bigram_counts_hashed(h_prev, h).astype(float)
    c_next = stats.bigram_counts_hashed(h, h_next).astype(float)
    c_skip = stats.bigram_counts_hashed(h_prev, h_next).astype(float)
    if leave_out:
        keys, own = (
            _own_bigrams(h[:-1], h[1:]) if len(h) > 1 else (np.zeros(0, np.uint64), np.zeros(0))
        )
        own_uni = np.unique(h, return_inverse=True, return_counts=True)
        uni = np.maximum(uni - own_uni[2][own_uni[1]], 0)
        for arr, (a, b) in ((c_prev, (h_prev, h)), (c_next, (h, h_next))):
            q = combine_hashes(a, b)
            idx = np.clip(np.searchsorted(keys, q), 0, max(len(keys) - 1, 0))
            if not len(keys):
                continue
            arr -= np.where(keys[idx] == q, own[idx], 0)
            np.maximum(arr, 0, out=arr)
    uni_prev = np.concatenate(([1.0], uni[:-1]))
    lp_prev = np.log((c_prev + 0.1) / (uni_prev + 1.0))
    lp_next = np.log((c_next + 0.1) / (uni + 1.0))
    lp_skip = np.log((c_skip + 0.1) / (uni_prev + 1.0))
    out["fit_prev"][pos] = lp_prev
    out["fit_next"][pos] = lp_next
    out["fit_skip"][pos] = lp_skip
    out["fit_gain_prev"][pos] = lp_skip - lp_prev
    out["fit_gain_next"][pos] = lp_skip - lp_next
    return out


class CharNgrams:
    """Hashed character n-grams of lowercased tokens. Each distinct string of a batch is hashed
    once and its row reused for every occurrence."""

    def __init__(self, n_features: int = 2**18, ngram_range: tuple[int, int] = (2, 4)) -> None:
        self.n_features = n_features
        self.ngram_range = ngram_range
        self._vectorizer = HashingVectorizer(
            analyzer="char_wb", ngram_range=ngram_range, n_features=n_features,
            alternate_sign=False, norm="l2", lowercase=False, dtype=np.float32,
        )  # fmt: skip

    def transform(self, strings: Sequence[str]) -> sp.csr_matrix:
        if not len(strings):
            return sp.csr_matrix((0, self.n_features), dtype=np.float32)
        unique, inverse = np.unique(strings_array(strings), return_inverse=True)
        # Lone surrogates (possible in JSON input) cannot be hashed as UTF-8: hash U+FFFD instead.
        texts = [
            u if u.isascii() else u.encode("utf-8", "replace").decode("utf-8")
            for u in unique.tolist()
        ]
        return self._vectorizer.transform(texts).tocsr()[inverse]
