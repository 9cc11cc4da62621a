"""What matching reads in a text: tweets cleaned to their claim, word tokens for BM25 (stemmed, numbers
kept whole), and the numbers and names a match must respect."""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

# "— Ilhan Omar (@IlhanMN) January 6, 2020": how an embedded tweet ends; the speaker's name is kept.
_TWEET_TAIL = re.compile(
    r"\s*[—–-]+\s*(?P<name>[^—–\n]{0,80}?)\s*\(@\w{1,30}\)\s*[A-Z][a-z]+\.? \d{1,2},? \d{4}\s*$"
)
_URL = re.compile(r"\b(?:https?://|www\.)\S+|pic\.twitter\.com/\S+", re.IGNORECASE)
_HANDLE = re.compile(r"(?<!\w)@(\w{1,30})")
_HASHTAG = re.compile(r"(?<!\w)#(\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
_SPACES = re.compile(r"\s+")
# Quotation marks (not apostrophes): a claim quoted "like this" or 'like this' reads the same.
_QUOTES = re.compile(r"[\"“”„«»]|(?<!\w)['‘’`]|['‘’`](?!\w)")
# A number ("1,500", "3.5", "70%") or a run of letters; apostrophes inside words are dropped first.
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|%|[^\W\d_]+")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d{3})*(?:\.\d+)?")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my myself no nor not now of off on once only or other our ours ourselves out over own same she
    should so some such than that the their theirs them themselves then there these they this those
    through to too under until up very via was we were what when where which while who whom why will
    with would you your yours yourself yourselves rt amp""".split()
)


def split_words(tag: str) -> str:
    """A hashtag or handle as words: "StopTheSteal" -> "Stop The Steal", "covid19" -> "covid 19"."""
    return _CAMEL.sub(" ", tag.replace("_", " "))


def canonical(text: str) -> str:
    """A text as both sides of a match read it: quotation marks dropped, apostrophes straight, spaces
    single."""
    return _SPACES.sub(" ", _QUOTES.sub("", text).replace("’", "'")).strip()


def normalise_query(text: str) -> str:
    """A tweet (or any text) as the claim it makes: the "— Name (@handle) Date" tail cut to the name (who
    said it often names the claim), links and pic.twitter.com images out, hashtags and @handles split into
    words."""
    text = _TWEET_TAIL.sub(lambda found: f". {found.group('name')}", text)
    text = _URL.sub(" ", text)
    text = _HASHTAG.sub(lambda found: split_words(found.group(1)), text)
    text = _HANDLE.sub(lambda found: split_words(found.group(1)), text)
    return canonical(text)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def _number(raw: str) -> str:
    """ "1,500" and "1500" are one number; "3.50" is "3.5"."""
    digits = raw.replace(",", "")
    if "." in digits:
        digits = digits.rstrip("0").rstrip(".") or "0"
    return digits


def tokenize(text: str) -> list[str]:
    """BM25's terms: lower-cased, stop words out, words stemmed (Snowball English), numbers whole and "%"
    as "percent" (so "70%" meets "70 per cent")."""
    raws: list[str] = []
    for raw in _TOKEN.findall(text.lower().replace("'", "").replace("’", "")):
        if raw == "cent" and raws[-1:] == ["per"]:
            raws[-1] = "percent"
        elif raw == "%":
            raws.append("percent")
        else:
            raws.append(raw)
    terms = [
        _number(raw) if raw[0].isdigit() else raw
        for raw in raws
        if raw[0].isdigit() or (raw not in STOPWORDS and len(raw) > 1)
    ]
    return [
        term if term[0].isdigit() else stem
        for term, stem in zip(terms, _stemmer().stemWords(terms), strict=True)
    ]


def numbers(text: str) -> frozenset[str]:
    """The numbers a text states, written one way ("1,500" -> "1500")."""
    return frozenset(_number(raw) for raw in _NUMBER.findall(text))


def _title_case(words: list[str]) -> bool:
    long = [word for word in words if len(word) > 3]
    return len(long) >= 3 and sum(word[0].isupper() for word in long) >= 0.7 * len(long)


def names(text: str) -> frozenset[str]:
    """The names a text mentions, lower-cased and stemmed: capitalised words that are not stop words. A
    line in title case ("Did Trump Call Teachers 'Losers'?") names nothing by its capitals."""
    found: list[str] = []
    for line in text.splitlines():
        words = [raw.strip("'’-").removesuffix("’s").removesuffix("'s") for raw in _WORD.findall(line)]
        if not _title_case(words):
            found += [
                w.lower() for w in words if len(w) > 1 and w[0].isupper() and w.lower() not in STOPWORDS
            ]
    return frozenset(_stemmer().stemWords(found))
