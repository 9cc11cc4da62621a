"""Attributed statements and denials: what was said or denied, by whom, with which cue."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from claims.models import ClaimType, Sentence
from claims.suggest.findings import Family, Finding, clause_end, clause_start, sentence_body_end, trim_span
from claims.suggest.lexicon import (
    ACCUSATION_VERBS,
    DENIAL_VERBS,
    GROUP_NOUNS,
    INSTITUTION_NOUNS,
    NEWS_ORGANISATIONS,
    PARTICIPLES,
    PRONOUNS,
    SPEECH_VERBS,
)
from claims.suggest.rule import Document, Rule
from claims.suggest.speakers import (
    SpeakerMemory,
    SpeakerPhrase,
    Token,
    read_speaker,
    speaker_before,
    tokenize,
)

# "conceded a penalty" is sport, "conceded that ..." is speech.
_THAT_VERBS = frozenset(
    {
        "found",
        "finds",
        "find",
        "showed",
        "shows",
        "show",
        "concluded",
        "concludes",
        "concede",
        "concedes",
        "conceded",
    }
)
_TELL_VERBS = frozenset({"tell", "tells", "told", "warn", "warns", "warned", "assure", "assured", "informed"})
# "voiced concern that", "expressed fears that": a verb and its noun together are the cue.
_CONCERN_VERBS = frozenset({"voiced", "voice", "voices", "expressed", "express", "expresses", "raised"})
_CONCERN_NOUNS = frozenset({"concern", "concerns", "fear", "fears", "doubt", "doubts", "worry", "worries"})
_AUXILIARIES = frozenset(
    """has have had is are was were be been will would could may might also repeatedly previously later
    again once already reportedly publicly recently earlier then firmly strongly flatly categorically
    vehemently consistently swiftly quickly immediately initially privately officially""".split()
)
_POSTPOSED_TAIL = frozenset(
    """on in at a an the last this that week month year monday tuesday wednesday thursday friday
    saturday sunday statement interview briefing conference news told reporters earlier today
    yesterday tonight recently""".split()
)
# Negated facts ("were not directed", "had never met", "no ships"), not refusals ("will not back down").
_NEGATION = re.compile(
    r"(?i)\b(?:is|are|was|were|be|been|did|does|do|has|have|had|could|would)\s+(?:not|never)\b"
    r"|\b(?:is|are|was|were|did|does|do|has|have|had|could|would)n['’]t\b|\b(?:never|no\s+longer|nothing|no)\b"
)
_NOUN_AFTER_THAT = frozenset(
    """claim claims report reports allegation allegations accusation accusations charge charges
    suggestion suggestions idea notion story stories assertion view rumour rumours rumor rumors""".split()
)
# Verbs that carry on the last speaker's words: "he added" may reach back past other names.
_CONTINUING = frozenset({"added", "adds", "add", "continued", "continues"})
_ENDING_PUNCTUATION = frozenset({",", ".", ";", ":", "(", ")", "!", "?", '"', "“", "”"})


@dataclass(slots=True)
class _Said:
    """Who spoke in a sentence so far, so a later cue ("... and dismissed") can inherit the speaker."""

    speaker_start: int
    claimant: str | None


def find_attributions(sentences: Sequence[Sentence], memory: SpeakerMemory | None = None) -> list[Finding]:
    """Attributions and denials across sentences in order; speakers carry over from one to the next."""
    memory = memory if memory is not None else SpeakerMemory()
    findings: list[Finding] = []
    previous = _Before("", frozenset())
    for sentence in sentences:
        memory.note_people(sentence.text, sentence.index)
        local = _sentence_attributions(sentence.text, sentence.index, memory, previous)
        findings.extend(f.shifted(sentence.start) for f in local)
        previous = _Before(sentence.text, frozenset(f.claimant for f in local if f.claimant))
    return findings


@dataclass(frozen=True, slots=True)
class _Before:
    """The sentence before, and who speaks in it: what "that claim" may point back to."""

    text: str
    speakers: frozenset[str]


def _sentence_attributions(
    text: str, index: int, memory: SpeakerMemory, previous: _Before = _Before("", frozenset())
) -> list[Finding]:
    tokens = tokenize(text)
    said: list[_Said] = []
    findings: list[Finding] = []
    for position, token in enumerate(tokens):
        lower = token.lower
        if position > 0 and token.text[:1].isupper() and lower != "according":
            continue  # a capitalised word inside a sentence is a name's ("the United States"), not a verb
        if lower == "according" and position + 1 < len(tokens) and tokens[position + 1].lower == "to":
            findings += _according_to(text, tokens, position, index, memory, said)
        elif lower in SPEECH_VERBS or lower in PARTICIPLES or _is_concern_cue(tokens, position):
            findings += _speech(text, tokens, position, index, memory, said)
        elif lower in DENIAL_VERBS:
            findings += _denial(text, tokens, position, index, memory, said, previous)
    return findings


def _is_concern_cue(tokens: list[Token], position: int) -> bool:
    return (
        tokens[position].lower in _CONCERN_VERBS
        and position + 1 < len(tokens)
        and tokens[position + 1].lower in _CONCERN_NOUNS
    )


def _according_to(
    text: str, tokens: list[Token], position: int, index: int, memory: SpeakerMemory, said: list[_Said]
) -> list[Finding]:
    words = phrase_after(tokens, position + 2)
    if not words:
        return []
    phrase = read_speaker(words, text)
    claimant = memory.claimant(phrase, index)
    cue = text[tokens[position].start : tokens[position + 1].end]
    # "According to Reuters, X" and "X, according to Reuters": the claim is the whole sentence.
    start, end = trim_span(text, 0, sentence_body_end(text))
    if end <= start:
        return []
    if claimant:
        memory.note_speaker(phrase, claimant, index)
    cited = claimant or phrase.text
    finding = Finding(
        start, end, Family.ATTRIBUTION, ClaimType.QUOTE, f"according to {cited}", cue, source=cited
    )
    said.append(_Said(words[0].start, claimant))
    return [finding]


def phrase_after(tokens: list[Token], position: int, limit: int = 8) -> list[Token]:
    words: list[Token] = []
    for token in tokens[position : position + limit]:
        if token.text in _ENDING_PUNCTUATION or token.lower in {"that", "which", "who", "because", "while"}:
            break
        words.append(token)
    return words


def _cue_start(tokens: list[Token], position: int) -> int:
    """The first token of the cue: the verb with the auxiliaries and adverbs before it."""
    first = position
    while first > 0 and tokens[first - 1].lower in _AUXILIARIES:
        first -= 1
    return first


def _speaker_for(
    text: str,
    tokens: list[Token],
    cue_first: int,
    cue_last: int,
    index: int,
    memory: SpeakerMemory,
    said: list[_Said],
) -> tuple[int, SpeakerPhrase | None, str | None] | None:
    """Find who says: the phrase before the cue, or the speaker of an earlier cue it is joined to."""
    span = speaker_before(tokens, cue_first - 1)
    if span is not None:
        first, last = span
        words = tokens[first : last + 1]
        if first > 0 and tokens[first - 1].lower in {"with", "to", "for", "of", "from", "against", "about"}:
            return None  # "a meeting with officials said": not the subject
        phrase = read_speaker(words, text)
        continuing = tokens[cue_first].lower in _CONTINUING or "also" in {
            t.lower for t in tokens[cue_first : cue_last + 1]
        }
        return words[0].start, phrase, memory.claimant(phrase, index, continuing)
    apposition = _apposition_start(tokens, cue_first)
    if apposition is not None:  # "John Smith, a senior analyst, told ..."
        return _speaker_for(text, tokens, apposition, apposition, index, memory, said)
    before = tokens[cue_first - 1].lower if cue_first > 0 else ""
    if before in {"and", ",", "but"} and said:
        return tokens[cue_first].start, None, said[-1].claimant  # "... and dismissed the claim"
    return None


# What opens an aside between a speaker and the verb: ", a senior analyst,", ", writing in a blog post,".
_APPOSITION_OPENERS = frozenset(
    "a an the who whose which writing speaking responding asked interviewed testifying appearing".split()
)


def _apposition_start(tokens: list[Token], cue_first: int) -> int | None:
    """The token after a name that an apposition (", a senior analyst,") separates from its verb."""
    if cue_first < 3 or tokens[cue_first - 1].text != ",":
        return None
    for comma in range(cue_first - 2, max(cue_first - 10, 0), -1):
        if tokens[comma].text == ",":
            opener = tokens[comma + 1].lower
            named = comma > 0 and (
                tokens[comma - 1].is_capitalised or tokens[comma - 1].lower in GROUP_NOUNS | INSTITUTION_NOUNS
            )
            if opener in _APPOSITION_OPENERS and named:
                return comma
            return None
    return None


def _speech(
    text: str, tokens: list[Token], position: int, index: int, memory: SpeakerMemory, said: list[_Said]
) -> list[Finding]:
    lower = tokens[position].lower
    if lower in _THAT_VERBS and (position + 1 >= len(tokens) or tokens[position + 1].lower != "that"):
        return []
    cue_first = _cue_start(tokens, position)
    cue_last = position + 1 if _is_concern_cue(tokens, position) else position
    if lower in PARTICIPLES:
        return _participle(text, tokens, position, index, memory, said)
    speaker = _speaker_for(text, tokens, cue_first, cue_last, index, memory, said)
    after = cue_last + 1
    if speaker is None:
        return _inverted(text, tokens, position, index, memory, said)
    speaker_start, phrase, claimant = speaker
    if lower in _TELL_VERBS:
        after = _skip_object(tokens, after)
    content_first = after
    while content_first < len(tokens) and tokens[content_first].lower in {"that", ",", ":"}:
        content_first += 1
    body_end = sentence_body_end(text)
    cue = text[tokens[cue_first].start : tokens[min(after, len(tokens)) - 1].end]
    after_quotation = text[:speaker_start].rstrip().endswith(('"', "”"))
    if after_quotation or _is_postposed(tokens, content_first, body_end):
        # '"...," he said.' or '..., Putin said on Wednesday.': what was said comes first
        start, end = trim_span(text, 0, speaker_start)
        content = text[start:end]
        if not content:
            return []
        end = body_end
    else:
        if content_first >= len(tokens) or tokens[content_first].start >= body_end:
            return []
        start, end = speaker_start, body_end
        content = text[tokens[content_first].start : body_end]
    start, end = trim_span(text, start, end)
    if end <= start:
        return []
    if phrase is not None and claimant:
        memory.note_speaker(phrase, claimant, index)
    said.append(_Said(speaker_start, claimant))
    if lower in ACCUSATION_VERBS:
        return [_accusation(start, end, tokens, cue_first, cue, claimant)]
    if phrase is not None and lower in _REPORT_VERBS and _is_news_organisation(phrase):
        # "Reuters reports: ...": the agency is the article's source for the claim, not its claimant
        reason = f"a report by {claimant}"
        return [Finding(start, end, Family.ATTRIBUTION, ClaimType.QUOTE, reason, cue, source=claimant)]
    return _statement(start, end, cue, claimant, content)


_REPORT_VERBS = frozenset({"report", "reports", "reported", "reporting"})
_PASSIVE = frozenset({"is", "are", "was", "were", "be", "been", "being"})


def _is_news_organisation(phrase: SpeakerPhrase) -> bool:
    return phrase.kind == "organisation" and bool(set(phrase.text.lower().split()) & NEWS_ORGANISATIONS)


def _accusation(
    start: int, end: int, tokens: list[Token], cue_first: int, cue: str, claimant: str | None
) -> Finding:
    """ "The EU accused Russia of ...": an accusation by its subject. "X was accused of ..." names
    whom it accuses, not who accuses, so it has no claimant."""
    passive = any(t.lower in _PASSIVE for t in tokens[cue_first : cue_first + 4])
    by = None if passive else claimant
    reason = f"an accusation by {by}" if by else "an accusation"
    return Finding(start, end, Family.ATTRIBUTION, ClaimType.ACCUSATION, reason, cue, by)


def _statement(start: int, end: int, cue: str, claimant: str | None, content: str) -> list[Finding]:
    """An attributed statement, and a denial too when what was said is negated early on."""
    reason = f"a statement attributed to {claimant}" if claimant else "an attributed statement"
    found = [Finding(start, end, Family.ATTRIBUTION, ClaimType.QUOTE, reason, cue, claimant)]
    if _NEGATION.search(" ".join(content.split()[:10])):  # "said the drills were not directed at ..."
        by = f" by {claimant}" if claimant else ""
        denial = f"a denial{by}: says it is not so"
        found.append(Finding(start, end, Family.DENIAL, ClaimType.DENIAL, denial, cue, claimant))
    return found


def _skip_object(tokens: list[Token], position: int) -> int:
    """After "told": skip whom they told ("reporters", "the BBC", "Reuters") up to the content."""
    for offset in range(6):
        if position + offset < len(tokens) and tokens[position + offset].lower == "that":
            return position + offset
    cursor = position
    if cursor < len(tokens) and tokens[cursor].lower in {"the", "a", "an"}:
        cursor += 1
    if cursor < len(tokens) and tokens[cursor].is_capitalised:
        while cursor < len(tokens) and tokens[cursor].is_capitalised:
            cursor += 1
        return cursor
    return min(cursor + 1, len(tokens))


def _is_postposed(tokens: list[Token], content_first: int, body_end: int) -> bool:
    """ "..., Putin said on Wednesday.": nothing but a time or place follows the cue."""
    rest = [t for t in tokens[content_first:] if t.start < body_end]
    return len(rest) <= 5 and all(t.lower in _POSTPOSED_TAIL or t.is_capitalised for t in rest)


def _inverted(
    text: str, tokens: list[Token], position: int, index: int, memory: SpeakerMemory, said: list[_Said]
) -> list[Finding]:
    """The speaker after the verb: '"...," said Anna Kowalski.', '"...," said the minister, "..."',
    'The economy grew, said Finance Minister Jane Doe, adding ...'. The statement is the sentence."""
    if position == 0 or tokens[position - 1].text not in {",", '"', "”"}:
        return []
    words = phrase_after(tokens, position + 1)
    body_end = sentence_body_end(text)
    if not words:
        return []
    following = position + 1 + len(words)
    ends_sentence = words[-1].end >= body_end - 1
    if not ends_sentence and (following >= len(tokens) or tokens[following].text != ","):
        return []
    span = speaker_before(words, len(words) - 1)
    if span is None or span[0] != 0:
        return []  # the words after the verb are not all a speaker: "said to be worth $5m"
    phrase = read_speaker(words, text)
    claimant = memory.claimant(phrase, index)
    start, end = trim_span(text, 0, body_end)
    if end <= start:
        return []
    if claimant:
        memory.note_speaker(phrase, claimant, index)
    said.append(_Said(words[0].start, claimant))
    return _statement(start, end, tokens[position].text, claimant, text[start : words[0].start])


def _participle(
    text: str, tokens: list[Token], position: int, index: int, memory: SpeakerMemory, said: list[_Said]
) -> list[Finding]:
    """ "Putin responded by saying the drills were not ...": the speaker is the clause's subject."""
    subject = _sentence_subject(text, tokens, position, index, memory)
    if subject is None:
        return []
    speaker_start, phrase, claimant = subject
    content_first = position + 1
    while content_first < len(tokens) and tokens[content_first].lower in {"that", ",", ":"}:
        content_first += 1
    body_end = sentence_body_end(text)
    if content_first >= len(tokens) or tokens[content_first].start >= body_end:
        return []
    start, end = trim_span(text, speaker_start, body_end)
    cue_first = position - 1 if position > 0 and tokens[position - 1].lower == "by" else position
    cue = text[tokens[cue_first].start : tokens[position].end]
    content = text[tokens[content_first].start : body_end]
    if claimant:
        memory.note_speaker(phrase, claimant, index)
    said.append(_Said(speaker_start, claimant))
    return _statement(start, end, cue, claimant, content)


def _sentence_subject(
    text: str, tokens: list[Token], position: int, index: int, memory: SpeakerMemory
) -> tuple[int, SpeakerPhrase, str | None] | None:
    """The first named speaker phrase before `position` that is followed by a verb, not a preposition."""
    for last in range(position - 1, -1, -1):
        if not (tokens[last].is_capitalised or tokens[last].lower in PRONOUNS):
            continue
        if last + 1 < len(tokens) and (
            tokens[last + 1].is_capitalised or tokens[last + 1].text in {".", "'"}
        ):
            continue
        span = speaker_before(tokens, last)
        if span is None:
            continue
        first = span[0]
        if first > 0 and tokens[first - 1].lower not in {",", "and"}:
            continue
        phrase = read_speaker(tokens[first : last + 1], text)
        if phrase.kind in {"person", "organisation", "name", "pronoun"}:
            return tokens[first].start, phrase, memory.claimant(phrase, index)
    return None


def _denial(
    text: str,
    tokens: list[Token],
    position: int,
    index: int,
    memory: SpeakerMemory,
    said: list[_Said],
    previous: _Before,
) -> list[Finding]:
    """A denial with its speaker. "denied that claim" denies the claim of the sentence before: the
    reason quotes it, and the denial is marked as referring back to it; unless the denier is the one
    speaking in that sentence (nobody denies their own words: the claim is further back, unnamed)."""
    cue_first = _cue_start(tokens, position)
    after = position + 1
    if after < len(tokens) and tokens[after].lower == "by":
        return _passive_denial(text, tokens, position, cue_first, index, memory)
    speaker = _speaker_for(text, tokens, cue_first, position, index, memory, said)
    if speaker is None:
        return []
    speaker_start, phrase, claimant = speaker
    end = _denial_end(text, tokens, after)
    start, end = trim_span(text, min(speaker_start, tokens[cue_first].start), end)
    if end <= start:
        return []
    if phrase is not None and claimant:
        memory.note_speaker(phrase, claimant, index)
    cue = text[tokens[cue_first].start : tokens[position].end]
    by = f" by {claimant}" if claimant else ""
    points_back = _points_back(tokens, after)
    refers_back = points_back and bool(previous.text.strip()) and claimant not in previous.speakers
    if refers_back:
        reason = f"a denial{by} of the claim before it: {_shortened(previous.text)}"
    elif points_back:
        reason = f"a denial{by} of an earlier claim"
    else:
        denied = _what_is_denied(text, tokens, after, end)
        reason = f"a denial{by}" + (f" that {denied}" if denied else "")
    finding = Finding(
        start, end, Family.DENIAL, ClaimType.DENIAL, reason, cue, claimant, refers_back=refers_back
    )
    said.append(_Said(speaker_start, claimant))
    return [finding]


def _passive_denial(
    text: str, tokens: list[Token], position: int, cue_first: int, index: int, memory: SpeakerMemory
) -> list[Finding]:
    """ "requests which have been denied by President Joe Biden": the speaker follows "by"."""
    words = phrase_after(tokens, position + 2)
    if not words or not any(w.is_capitalised for w in words):
        return []
    phrase = read_speaker(words, text)
    claimant = memory.claimant(phrase, index)
    start, end = trim_span(text, clause_start(text, tokens[cue_first].start), words[-1].end)
    if end <= start:
        return []
    if claimant:
        memory.note_speaker(phrase, claimant, index)
    cue = text[tokens[cue_first].start : tokens[position + 1].end]
    by = f" by {claimant}" if claimant else ""
    return [Finding(start, end, Family.DENIAL, ClaimType.DENIAL, f"a denial{by}", cue, claimant)]


_DENIAL_STOP = re.compile(r"(?i)\s(?:while|but|although|though|whereas|even\s+as|as\s+well\s+as)\s")


def _denial_end(text: str, tokens: list[Token], after: int) -> int:
    if after >= len(tokens):
        return sentence_body_end(text)
    start = tokens[after].start
    end = clause_end(text, start)
    stop = _DENIAL_STOP.search(text, start, end)
    return stop.start() if stop else end


_POINTING = frozenset({"that", "this", "the", "these", "those", "such"})


def _points_back(tokens: list[Token], after: int) -> bool:
    """ "denied that claim", "rejected the allegations", "dismissed these reports": the words name an
    earlier claim rather than say what is denied."""
    return (
        after + 1 < len(tokens)
        and tokens[after].lower in _POINTING
        and tokens[after + 1].lower in _NOUN_AFTER_THAT
        and (after + 2 >= len(tokens) or tokens[after + 2].lower not in {"that", "of", "about", "by"})
    )


def _shortened(sentence: str, words: int = 12) -> str:
    kept = sentence[: sentence_body_end(sentence)].split()
    return " ".join(kept[:words]) + (" ..." if len(kept) > words else "")


def _what_is_denied(text: str, tokens: list[Token], after: int, end: int) -> str | None:
    """The that-clause a denial names ("denied that the exercise is ..."), shortened for a reason."""
    if after >= len(tokens):
        return None
    cursor = after
    if tokens[cursor].lower in {"claims", "reports", "allegations", "accusations", "suggestions"}:
        cursor += 1
    if cursor >= len(tokens) or tokens[cursor].lower != "that":
        return None
    if cursor + 1 < len(tokens) and tokens[cursor + 1].lower in _NOUN_AFTER_THAT:
        return None  # "denied that claim": the article points back rather than saying what
    if cursor + 1 >= len(tokens) or tokens[cursor + 1].start >= end:
        return None
    words = text[tokens[cursor + 1].start : end].split()
    return " ".join(words[:12]) + (" ..." if len(words) > 12 else "")


def _in_document(document: Document) -> list[Finding]:
    return find_attributions(document.sentences, document.memory)


RULE = Rule(
    name=Family.ATTRIBUTION, claim_type=ClaimType.QUOTE, in_document=_in_document,
    families=frozenset({Family.ATTRIBUTION, Family.DENIAL}),
)  # fmt: skip
