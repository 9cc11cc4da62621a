"""Who is speaking: speaker phrases, the names in them, and resolving "he" or "the president"."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from claims.suggest.lexicon import (
    DETERMINERS,
    GROUP_NOUNS,
    INSTITUTION_NOUNS,
    ORGANISATION_WORDS,
    PERSON_TITLE_NOUNS,
    PRONOUNS,
    TITLES,
)

# "name": a single name the article has not shown to be a person or an organisation ("Putin").
Kind = Literal["person", "organisation", "name", "group", "pronoun", "unnamed"]

_TOKEN = re.compile(r"\w+(?:[’'.-]\w+)*|[^\w\s]")


@dataclass(frozen=True, slots=True)
class Token:
    """A word or punctuation mark of a sentence with its offsets in that sentence."""

    start: int
    end: int
    text: str

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_capitalised(self) -> bool:
        return self.text[:1].isupper()


def tokenize(text: str) -> list[Token]:
    return [Token(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


_CONNECTORS = frozenset({"of", "for", "the", "and", "in", "at", "from", "de", "van", "von", "al", "bin"})
_LOWER_MODIFIERS_MAX = 3


def speaker_before(tokens: list[Token], index: int) -> tuple[int, int] | None:
    """The token range [first, last] of the speaker phrase ending at tokens[index], if it is one.

    Walks back over capitalised names, titles, "'s", connectors ("officials in Ukraine") and up to
    three lowercase modifiers of a group or institution noun ("the national statistics office").
    """
    if index < 0:
        return None
    last = index
    token = tokens[last]
    if token.lower in PRONOUNS:
        return (last, last)
    first = last
    seen_head = False
    lowercase_run = 0
    position = last
    while position >= 0:
        word = tokens[position]
        lower = word.lower
        if word.text == "." and position > 0 and _is_abbreviation(tokens[position - 1].text):
            position -= 1
            continue
        if word.is_capitalised and lower in DETERMINERS | _SENTENCE_OPENERS | _CONNECTORS:
            if seen_head and lower in DETERMINERS:
                first = position  # "The EU", "Some officials"
            break
        if word.is_capitalised and word.text[0].isalpha():
            first = position
            seen_head = True
            lowercase_run = 0
        elif lower in GROUP_NOUNS or lower in INSTITUTION_NOUNS or lower in PERSON_TITLE_NOUNS:
            first = position
            seen_head = True
            lowercase_run = 0
        elif lower in _CONNECTORS and position > 0 and seen_head:
            if lower == "the":
                first = position  # "the professor"; a name before it takes the phrase further back
        elif lower in DETERMINERS and seen_head:
            first = position
            break
        elif (
            seen_head
            and word.text.isalpha()
            and word.text.islower()
            and lower not in _NOT_MODIFIERS
            and tokens[first].lower in GROUP_NOUNS | INSTITUTION_NOUNS | PERSON_TITLE_NOUNS
            and lowercase_run < _LOWER_MODIFIERS_MAX
        ):
            first = position
            lowercase_run += 1
        else:
            break
        position -= 1
    if not seen_head:
        return None
    while first < last and tokens[first].lower in _CONNECTORS - {"the"}:
        first += 1
    return (first, last)


_SENTENCE_OPENERS = frozenset(
    """at in on during after before when while as but and so then yet however meanwhile also if
    since though although because with without for from by speaking asked""".split()
)
_NOT_MODIFIERS = frozenset(
    """that which who whom whose what when where while and or but if as than then so to by with
    without from into is are was were be been has have had do does did will would can could may
    might must shall should not no also said says say told""".split()
)


def _is_abbreviation(text: str) -> bool:
    return len(text) <= 4 and text[:1].isupper() and (text.lower() in TITLES or len(text) == 1 or "." in text)


@dataclass(frozen=True, slots=True)
class SpeakerPhrase:
    """A speaker phrase as written, what kind of speaker it names, and the name to record."""

    text: str
    kind: Kind
    name: str | None
    titles: frozenset[str] = frozenset()


def read_speaker(words: list[Token], sentence: str) -> SpeakerPhrase:
    """Classify a speaker phrase: a person (title and name), an organisation, a group, a pronoun."""
    text = sentence[words[0].start : words[-1].end]
    lowers = [w.lower for w in words]
    if len(words) == 1 and lowers[0] in PRONOUNS:
        return SpeakerPhrase(text, "pronoun", None)
    body = words[1:] if lowers[0] in DETERMINERS and len(words) > 1 else words
    head = body[0].lower
    if head in GROUP_NOUNS:
        if _proper_chain(body[1:]):  # "officials in Ukraine"
            return SpeakerPhrase(text, "group", _without_determiner(words, sentence))
        return SpeakerPhrase(text, "unnamed", None, frozenset(w.lower for w in body))
    chain = _proper_chain(body)
    if not chain:
        if len(body) > 1 and body[-1].lower in INSTITUTION_NOUNS:  # "the national statistics office"
            return SpeakerPhrase(text, "organisation", _without_determiner(words, sentence))
        return SpeakerPhrase(text, "unnamed", None, frozenset(w.lower for w in body))
    after_chain = [w for w in words if w.start >= chain[-1].end]
    titled = _titled_name_after(after_chain)
    if (
        titled is not None
    ):  # "Kremlin spokesman Dmitry Peskov", "White House press secretary Karine Jean-Pierre"
        title, named = titled
        name = re.sub(r"['’]s$", "", sentence[named[0].start : named[-1].end])
        return SpeakerPhrase(text, "person", name, frozenset({title}))
    if after_chain and after_chain[0].lower == "and" and all(w.is_capitalised for w in after_chain[1:]):
        return SpeakerPhrase(text, "group", _without_determiner(words, sentence))  # "Biden and Xi"
    if after_chain and after_chain[0].lower in GROUP_NOUNS | INSTITUTION_NOUNS:
        # "Mark Ellis's office", "Kremlin spokesman": the name qualifies an unnamed speaker.
        return SpeakerPhrase(text, "group", _without_determiner(words, sentence))
    titles, names = _split_title(chain)
    name_text = sentence[names[0].start : names[-1].end] if names else ""
    name_text = re.sub(r"['’]s$", "", name_text)
    title_words = frozenset(t.lower.rstrip(".") for t in titles)
    if any(w.lower in ORGANISATION_WORDS or w.text.isupper() and len(w.text) > 1 for w in names):
        return SpeakerPhrase(text, "organisation", _strip_the(sentence[chain[0].start : chain[-1].end]))
    if not names:
        return SpeakerPhrase(text, "unnamed", None, title_words)
    if titles or len(names) >= 2:
        return SpeakerPhrase(text, "person", name_text, title_words)
    return SpeakerPhrase(text, "name", name_text)


def _titled_name_after(words: list[Token]) -> tuple[str, list[Token]] | None:
    """A lowercase title ("press secretary") and the name right after it, within the first words."""
    for position, word in enumerate(words[:4]):
        if word.is_capitalised:
            return None
        if word.lower in PERSON_TITLE_NOUNS or word.lower.rstrip(".") in TITLES:
            named = _proper_chain(words[position + 1 :])
            if named and named[0] is words[position + 1]:
                return word.lower, named
    return None


def _proper_chain(words: list[Token]) -> list[Token]:
    """The first run of capitalised words (with "of", "for", abbreviation dots) in a phrase."""
    chain: list[Token] = []
    for position, word in enumerate(words):
        if word.is_capitalised and word.text[0].isalpha() and word.lower not in DETERMINERS:
            chain.append(word)
        elif chain and word.text == ".":
            continue
        elif (
            chain
            and word.lower in {"of", "for"}
            and position + 1 < len(words)
            and words[position + 1].is_capitalised
        ):
            chain.append(word)
        elif chain:
            break
    return chain


def _split_title(chain: list[Token]) -> tuple[list[Token], list[Token]]:
    last_title = -1
    for position, word in enumerate(chain):
        if word.lower.rstrip(".") in TITLES:
            last_title = position
    return chain[: last_title + 1], chain[last_title + 1 :]


def _without_determiner(words: list[Token], sentence: str) -> str:
    first = 1 if words[0].lower in DETERMINERS and len(words) > 1 else 0
    return sentence[words[first].start : words[-1].end]


def _strip_the(text: str) -> str:
    return re.sub(r"^(?:the|The)\s+", "", text)


@dataclass(slots=True)
class _Mention:
    name: str
    kind: Kind
    sentence_index: int
    titles: frozenset[str]


# How many sentences back "he added" may look for its speaker.
PRONOUN_WINDOW = 4


@dataclass(slots=True)
class SpeakerMemory:
    """The named speakers and titled people an article has mentioned so far, in order."""

    speakers: list[_Mention] = field(default_factory=list)
    people: list[_Mention] = field(default_factory=list)
    full_names: dict[str, str] = field(default_factory=dict)

    def note_people(self, sentence: str, sentence_index: int) -> None:
        """Remember every titled or two-word name in a sentence, so surnames and titles resolve."""
        tokens = tokenize(sentence)
        position = 0
        while position < len(tokens):
            if not tokens[position].is_capitalised:
                position += 1
                continue
            chain = _proper_chain(tokens[position:])
            if not chain:
                position += 1
                continue
            titles, names = _split_title(chain)
            if (
                names
                and (titles or len(names) >= 2)
                and not any(w.lower in ORGANISATION_WORDS or w.text.isupper() for w in names)
            ):
                name = re.sub(r"['’]s$", "", sentence[names[0].start : names[-1].end])
                self._remember_person(name, frozenset(t.lower.rstrip(".") for t in titles), sentence_index)
            position = tokens.index(chain[-1], position) + 1

    def _remember_person(self, name: str, titles: frozenset[str], sentence_index: int) -> None:
        surname = name.split()[-1]
        if " " in name:
            known = self.full_names.get(surname)
            self.full_names[surname] = name if known in (None, name) else ""
        self.people.append(_Mention(self.canonical(name), "person", sentence_index, titles))

    def canonical(self, name: str) -> str:
        """A surname alone becomes the full name the article gave earlier, when only one fits."""
        if " " not in name and self.full_names.get(name):
            return self.full_names[name]
        return name

    def note_speaker(self, phrase: SpeakerPhrase, claimant: str, sentence_index: int) -> None:
        kind: Kind = phrase.kind
        if kind == "pronoun":
            kind = "person" if phrase.text.lower() in {"he", "she"} else "organisation"
        elif any(m.name == claimant for m in self.people):
            kind = "person"
        self.speakers.append(_Mention(claimant, kind, sentence_index, phrase.titles))

    def claimant(self, phrase: SpeakerPhrase, sentence_index: int, continuing: bool = False) -> str | None:
        """The name to record for a speaker phrase, or None where no name is safe to give."""
        if phrase.kind == "pronoun":
            return self.resolve_pronoun(phrase.text.lower(), sentence_index, continuing)
        if phrase.kind == "unnamed":
            resolved = self.resolve_title(phrase.titles, sentence_index)
            return resolved if resolved is not None else _institution(phrase.text)
        if phrase.name is None:
            return None
        if phrase.kind in {"person", "organisation", "name"}:
            return self.canonical(phrase.name)
        return phrase.name

    def resolve_pronoun(self, pronoun: str, sentence_index: int, continuing: bool = False) -> str | None:
        """The nearest earlier named speaker a pronoun can mean; None if none, too far, or two fit.

        "He said" looks back one sentence; "he added" carries on the last speaker's words, so it
        may look back PRONOUN_WINDOW sentences, past other names.
        """
        wanted: set[Kind]
        if pronoun in {"he", "she"}:
            wanted = {"person", "name"}
        elif pronoun == "it":
            wanted = {"organisation"}
        else:
            return None  # "they", "we", "I": a group or a quoted speaker, never safe
        window = PRONOUN_WINDOW if continuing else 1
        candidates = [
            m
            for m in self.speakers
            if sentence_index - window <= m.sentence_index <= sentence_index and m.kind in wanted
        ]
        if not candidates:
            return None
        nearest = candidates[-1].sentence_index
        names = {m.name for m in candidates if m.sentence_index == nearest}
        return names.pop() if len(names) == 1 else None

    def resolve_title(self, titles: frozenset[str], sentence_index: int) -> str | None:
        """ "The president" means the one earlier person with that title; refuse if there are several."""
        wanted = titles & PERSON_TITLE_NOUNS
        if not wanted:
            return None
        names = {m.name for m in self.people if m.sentence_index <= sentence_index and wanted <= m.titles}
        return names.pop() if len(names) == 1 else None


# Unnamed speakers who are still someone to quote: an institution ("the ministry") or its officials.
_INSTITUTIONAL_HEADS = INSTITUTION_NOUNS | frozenset({"officials", "authorities"})


def _institution(phrase: str) -> str | None:
    """ "the ministry", "officials": an institution's voice is a claimant, though no name is given."""
    words = phrase.split()
    if not words or words[-1].lower() not in _INSTITUTIONAL_HEADS:
        return None
    return " ".join([words[0].lower(), *words[1:]])
