"""Actors in one article: organisations, groups and people, each with a key shared by its mentions.

The key lets the fact layer say "the same actor" without coreference resolution. Within an
article it unites what can honestly be united by rule:

- word order and spelling of institutions: "the Peruvian Defense Ministry", "the Ministry of
  Defence of Peru" and (when only one such ministry is named) "the Defense Ministry";
- people by surname once a full name was seen: "President Ana Duarte", "Ms. Duarte", "Duarte";
- acronyms defined in parentheses or spelled by the initials of a named organisation;
- national groups by country: "Russian", "Russians".

Keys look like ``org:PE:defense ministry`` (bag of content words, sorted), ``per:ana duarte``
and ``norp:RU``; treat them as opaque strings.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from storyline.models import EntityMention
from storyline.read.actor_rules import actor_language, english_org_words, is_country_word, rule_spans
from storyline.text import fold_key


def _wordset(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


_LABELS = {
    "ORG": "ORG", "ORGANIZATION": "ORG", "ORGANISATION": "ORG", "NORP": "NORP",
    "PERSON": "PERSON", "PER": "PERSON",
}  # fmt: skip

# Grammar words left out of organisation keys: "Ministry of Defense" = "Defense Ministry".
_ORG_STOP = _wordset(
    "the of for and on in at to 's s de la le du des del и по при della di da do dos das der für und von et y e і та "
    "l d dell dello degli з із"
)
# British and American spellings of words common in institution names.
_SPELLING = {
    "defence": "defense", "organisation": "organization", "organisations": "organizations",
    "centre": "center", "programme": "program", "labour": "labor", "authorised": "authorized",
    "affairs": "",  # "Ministry of Foreign Affairs" = "Foreign Ministry"
}  # fmt: skip
# Words before a name that are a title or role, not part of the name.
_TITLES = _wordset(
    """mr mrs ms miss dr prof professor sir dame lord lady president vice prime minister premier
    chancellor secretary general gen lt col colonel maj major capt captain sgt sergeant cpl corporal
    adm admiral marshal commander sen senator rep representative gov governor mayor king queen prince
    princess pope sheikh emir sultan ambassador envoy spokesman spokeswoman spokesperson chairman
    chairwoman chair chief judge justice deputy foreign defense defence interior finance state
    former late st saint rev reverend father imam rabbi ayatollah officer director head leader
    президент премьер министр глава господин госпожа генерал полковник губернатор мэр посол
    председатель спикер представитель"""
)
_JUNK = _wordset("the a an this that these those it he she they we i и в на")
_ACRONYM_AFTER = re.compile(r"\s*[(\[]\s*([A-ZА-ЯЁ][A-Za-zА-Яа-яЁё0-9&.\-]{1,11})\s*[)\]]")
_ACRONYM = re.compile(r"^[A-ZА-ЯЁ][A-ZА-ЯЁ0-9&]{1,9}s?$")
_DOTTED = re.compile(r"\b((?:[A-Z]\.){2,})")
_LEADING_ARTICLE = re.compile(r"(?:the|The|THE)\s+")
# "Later the Ministry of ...": the tagger took in a sentence adverb before the article.
_INNER_ARTICLE = re.compile(r"\s(?:the|The)\s+(?=[A-ZА-ЯЁ])")
_CONNECTORS = _wordset("of for and on in to at & de du la")
# Context that names the country of an organisation the tagger cut short:
# "the Ministry of Foreign Affairs of Peru", "Peru's Defense Ministry".
_OF_AFTER = re.compile(r"\s+of\s+(?:the\s+)?((?:[A-Z][\w'’.-]+)(?:\s+[A-Z][\w'’.-]+){0,3})")
_GENITIVE_AFTER = re.compile(r"\s+([А-ЯЁ][а-яё-]+(?:\s+[А-ЯЁ][а-яё-]+){0,2})")
_OWNER_BEFORE = re.compile(r"((?:[A-Z][\w.-]+\s+){0,3}[A-Z][\w.-]+)['’]s?\s+$")
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_CYRILLIC = re.compile(r"[а-яё]", re.I)
_LEADING_NUMBER = re.compile(r"\d+[\s,.:]")
_UPPER = re.compile(r"[A-ZА-ЯЁ]")
# Russian case endings, longest first: "Алиева", "Алиеву", "Алиевым" all give "алиев".
# Plural case endings (-ам, -ах, -ами) are left out: they would cut names such as "Ильхам".
_RU_ENDINGS = ("ого", "его", "ому", "ему", "ыми", "ими", "ой", "ей", "ым", "им", "ом", "ем",
               "ую", "юю", "ая", "яя", "ое", "ее", "ые", "ие", "ых", "их",
               "а", "я", "у", "ю", "е", "ы", "и", "о")  # fmt: skip
_ADJ_SUFFIXES = ("ian", "an", "ese", "i", "ish", "ic")


@lru_cache(maxsize=1)
def _countries() -> tuple[dict[tuple[str, ...], str], dict[str, str], int]:
    """Country names and demonyms (as name words) to ISO alpha-2; the demonyms alone; the longest name.

    English names, alternative spellings and demonyms come from the countryinfo package, Russian
    names from Babel's CLDR data. A demonym shared by several entries ("French", "Indian") goes to
    the largest country.
    """
    from babel import Locale
    from countryinfo._cache import load_countries

    names: dict[tuple[str, ...], str] = {}
    demonyms: dict[str, tuple[str, float]] = {}
    for info in load_countries()["countries"].values():
        code = (info.get("ISO") or {}).get("alpha2")
        if not code or not info.get("name"):
            continue
        area = float(info.get("area") or 0)
        for name in [info["name"], *(info.get("altSpellings") or [])]:
            name = name.strip()
            if not name or (name.isupper() and len(name) <= 3 and name not in ("US", "USA", "UK")):
                continue  # ISO codes would match ordinary acronyms; keep the common English ones
            key = tuple(_words(name))
            if key and key not in names:
                names[key] = code
        for demonym in re.split(r"[,/]| and ", info.get("demonym") or ""):
            key = fold_key(demonym)
            if key and (key not in demonyms or demonyms[key][1] < area):
                demonyms[key] = (code, area)
    for code, name in Locale("ru").territories.items():
        if len(code) == 2 and code.isalpha():
            names.setdefault(tuple(_words(name)), code)
    for key, (code, _) in demonyms.items():
        names.setdefault(tuple(key.split()), code)
    demonym_codes = {k: c for k, (c, _) in demonyms.items()}
    longest = max(len(k) for k in names)
    return names, demonym_codes, longest


def _country_of_word(word: str) -> str | None:
    """A country for an adjective or plural demonym not in the table: "Kazakhs", "Uzbek"."""
    names, demonyms, _ = _countries()
    if word in demonyms:
        return demonyms[word]
    if word.endswith("s") and word[:-1] in demonyms:
        return demonyms[word[:-1]]
    # Generic English adjective suffixes matched against country names: Kazakh(stan), Argentin(a).
    for suffix in _ADJ_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            stem = word[: -len(suffix)]
            hits = {code for key, code in names.items() if len(key) == 1 and key[0].startswith(stem)}
            if len(hits) == 1:
                return hits.pop()
    return None


def _is_demonym(word: str) -> bool:
    _, demonyms, _ = _countries()
    return word in demonyms or (word.endswith("s") and word[:-1] in demonyms)


def _ru_stem(word: str) -> str:
    if not _CYRILLIC.search(word) or len(word) <= 4:
        return word
    for ending in _RU_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def _words(text: str) -> list[str]:
    """Folded words of a name, with dotted acronyms closed up ("U.S." -> "us") and Russian stemmed."""
    text = _DOTTED.sub(lambda m: m.group(1).replace(".", ""), text)
    words = [_SPELLING.get(w, w) for w in fold_key(text).split()]
    return [_ru_stem(w) for w in words if w]


def _split_country(words: list[str]) -> tuple[str | None, list[str]]:
    """Take the country out of an organisation name: its name, a demonym or "of <Country>"."""
    names, _, longest = _countries()
    n = len(words)
    for size in range(min(longest, n), 0, -1):
        for begin in range(0, n - size + 1):
            key = tuple(words[begin : begin + size])
            code = names.get(key)
            if code is None and size == 1 and key[0][:1].isalpha() and len(key[0]) > 3:
                code = _country_of_word(key[0])
            if code is None:
                continue
            rest = words[:begin] + words[begin + size :]
            if begin >= 1 and words[begin - 1] == "of":
                rest = words[: begin - 1] + words[begin + size :]
            if begin >= 2 and words[begin - 2 : begin] == ["of", "the"]:
                rest = words[: begin - 2] + words[begin + size :]
            return code, rest
    return None, words


def _country_around(text: str, start: int, end: int) -> str | None:
    """The country named right after ("... of Peru") or before ("Peru's ...") a span."""
    names, _, _ = _countries()
    after = _OF_AFTER.match(text, end)
    if after is not None:
        words = _words(after.group(1))
        for size in range(len(words), 0, -1):
            if tuple(words[:size]) in names:
                return names[tuple(words[:size])]
    if _CYRILLIC.search(text, start, end):
        after = _GENITIVE_AFTER.match(text, end)  # "Министерство обороны" + "Армении"
        if after is not None:
            words = _words(after.group(1))
            for size in range(len(words), 0, -1):
                if tuple(words[:size]) in names:
                    return names[tuple(words[:size])]
        return None
    before = _OWNER_BEFORE.search(text, max(0, start - 60), start)
    if before is not None:
        words = _words(before.group(1))
        for size in range(len(words), 0, -1):
            if tuple(words[-size:]) in names:
                return names[tuple(words[-size:])]
    return None


def _clean_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim spaces, a leading "the", a possessive and stray punctuation from a span."""
    while start < end and not (text[start].isalnum()):
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] in ".)"):
        end -= 1
    m = _LEADING_ARTICLE.match(text, start, end)
    if m:
        start = m.end()
    else:
        m = _INNER_ARTICLE.search(text, start, end)
        if m is not None:
            before = text[start : m.start()].split()
            if before and before[-1].lower() not in _CONNECTORS:
                start = m.end()
    m = _POSSESSIVE.search(text[start:end])
    if m:
        end = start + m.start()
    while end > start and text[end - 1] in ".," and not _DOTTED.search(text[max(start, end - 4) : end]):
        end -= 1
    return start, end


def _strip_title(text: str, start: int, end: int) -> int:
    """Move the start of a person span past leading titles: "President Ana Duarte" -> "Ana Duarte"."""
    for m in re.finditer(r"[^\W\d_]+\.?(?:-[^\W\d_]+\.?)?", text[start:end]):
        word = m.group().rstrip(".").lower()
        if word not in _TITLES or start + m.end() >= end:
            return start + m.start()
    return start


def _is_junk(span: str, label: str, rules: bool = False) -> bool:
    stripped = span.strip()
    if len(stripped) < 2 or not any(ch.isalpha() for ch in stripped):
        return True
    if "http" in stripped or "www." in stripped or "/" in stripped or "@" in stripped:
        return True
    if _LEADING_NUMBER.match(stripped) or (label == "PERSON" and any(ch.isdigit() for ch in stripped)):
        return True  # captions such as "16 30 ...", "Buzz60"
    if not _UPPER.search(stripped) and not (rules and (label == "NORP" or stripped.lower() == stripped.upper() or any(
            ch.isupper() for ch in stripped))):
        return True  # all-lowercase fragments: "the ministry", "rebels" (a demonym read by rule may be lower case)
    if stripped.lower() in _JUNK:
        return True
    digits = sum(ch.isdigit() for ch in stripped)
    return digits > len(stripped) / 3


def _initials(words: list[str]) -> set[str]:
    with_all = "".join(w[0] for w in words if w)
    content = "".join(w[0] for w in words if w and w not in _ORG_STOP)
    return {with_all, content}


class _Mention:
    __slots__ = ("start", "end", "text", "label", "key", "words", "country", "around", "source")

    def __init__(self, start: int, end: int, text: str, label: str, source: str) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.label = label
        self.source = source
        self.key = ""
        self.words: list[str] = []
        self.country: str | None = None
        self.around: str | None = None  # a country named next to the span


def find_actors(
    text: str,
    language: str | None,
    ner_spans: list[tuple[int, int, str]],
    place_names: set[str] | None = None,
) -> list[EntityMention]:
    """Organisation, group and person mentions with article-level actor keys.

    ``ner_spans`` are (start, end, label) from spaCy (ORG, NORP, PERSON) or natasha (ORG, PER);
    other labels are ignored. ``place_names`` holds folded names (storyline.text.fold_key) of
    places found in the article: an ORG or PERSON span that is one of them is a tagging error.
    """
    places = place_names or set()
    lang = actor_language(language)
    if lang is not None and text:
        # Demonyms in the article's language; organisations and people too where no model read it.
        from storyline.read.places.languages import place_language

        place_lang = place_language(language)
        stop_words = place_lang.stop_words if place_lang else frozenset()
        place_keys = {w for name in places for w in name.split()}
        ner_spans = [*ner_spans, *rule_spans(text, language, stop_words, place_keys, with_names=not ner_spans)]
    if not text or not ner_spans:
        return []
    source = "natasha" if language == "ru" else "spacy"
    mentions: list[_Mention] = []
    acronyms: dict[str, _Mention] = {}  # acronym -> the mention of its long form
    taken_until = -1
    for start, end, raw_label in sorted(ner_spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        raw_label, from_rules, named_country = raw_label.partition(":")  # "NORP:RU" from the rules
        label = _LABELS.get(raw_label.upper())
        if label is None or start < taken_until:
            continue
        start, end = _clean_span(text, start, end)
        if end <= start:
            continue
        acronym = None
        inner = _ACRONYM_AFTER.search(text, start, end)
        if inner is not None and inner.end() == end and inner.start() > start:
            acronym = inner.group(1)  # the span took in its own "(ANAMA)"
            end = inner.start()
        if label == "PERSON":
            start = _strip_title(text, start, end)
        surface = text[start:end]
        if _is_junk(surface, label, bool(from_rules)):
            continue
        if label != "NORP" and fold_key(surface) in places:
            continue
        mention = _Mention(start, end, surface, label, "rules" if from_rules else source)
        mention.country = named_country or None
        if label == "ORG":
            mention.around = named_country or _country_around(text, start, end)
        mentions.append(mention)
        taken_until = end
        if acronym is None and label == "ORG":
            after = _ACRONYM_AFTER.match(text, end)
            if after is not None:
                acronym = after.group(1)
        if acronym and _ACRONYM.match(acronym.replace(".", "")) and " " in surface:
            acronyms[acronym.replace(".", "")] = mention
    _assign_keys(mentions, language)
    _unify_people(mentions)
    _unify_orgs(mentions, acronyms)
    mentions.extend(_untagged_acronyms(text, mentions, acronyms))
    mentions.sort(key=lambda m: m.start)
    return [EntityMention(m.start, m.end, m.text, m.label, m.key, m.source) for m in mentions]


def _assign_keys(mentions: list[_Mention], language: str | None = None) -> None:
    """Each mention's own key, before article-level unification."""
    for m in mentions:
        words = _words(m.text)
        if m.label == "PERSON":
            m.words = words
            m.key = "per:" + " ".join(words)
            continue
        if m.label == "ORG" and len(words) == 1 and _is_demonym(words[0]):
            m.label = "NORP"  # "Kazakhs" tagged ORG: a national group
        if m.label == "NORP":
            code = m.country or (_country_of_word(words[-1]) if words else None)
            if code is not None and len(words) <= 2:
                m.country = code
                m.key = "norp:" + code
            else:
                last = words[-1] if words else ""
                if last.endswith("s") and not last.endswith("ss") and len(last) > 4:
                    words = [*words[:-1], last[:-1]]  # Republicans -> republican
                m.key = "norp:" + " ".join(words)
            m.words = words
            continue
        country, rest = _split_country(words)
        if m.source == "rules":  # named in the article's language: the English and Russian table may misread it
            country = m.around
            rest = english_org_words([w for w in words if not is_country_word(w, language)])
        if country is None and rest:
            country = m.around
        content = sorted({w for w in rest if w not in _ORG_STOP})
        m.country = country
        m.words = content
        m.key = "org:" + (country + ":" if country else "") + " ".join(content)
        if not content and country:
            m.key = "org:" + country


def _unify_people(mentions: list[_Mention]) -> None:
    """One key per person: a one-word mention takes the key of the full name with that surname
    (nearest before), and a name the tagger labelled otherwise joins the person it names."""
    full = [m for m in mentions if m.label == "PERSON" and len(m.words) >= 2]
    for m in mentions:
        if m.label == "NORP" and len(m.words) == 1 and m.words[0] + "s" in {f.words[-1] for f in full}:
            m.words = [m.words[0] + "s"]  # "Arians" was singularised as a group name
    # Full names that share first and last word are one person ("Ana Maria Duarte").
    by_ends: dict[tuple[str, str], str] = {}
    for m in full:
        ends = (m.words[0], m.words[-1])
        m.key = by_ends.setdefault(ends, m.key)
    surnames: dict[str, list[_Mention]] = {}
    for m in full:
        surnames.setdefault(m.words[-1], []).append(m)
    # A full name tagged as an organisation ("Elton Brand" as ORG): the same words as a person's name.
    people = {frozenset(m.words): m for m in full}
    for m in mentions:
        if m.label == "ORG" and len(m.words) >= 2 and (person := people.get(frozenset(m.words))) is not None:
            m.label, m.key = "PERSON", person.key
    # The tagger's majority decides what a bare word is: "Nasa" tagged ORG 20 times and PERSON 3 times.
    # A full name counts as one vote for its surname being a person.
    votes: Counter[tuple[str, str]] = Counter()
    for m in mentions:
        if len(m.words) == 1:
            votes[m.words[0], m.label] += 1
    for m in full:
        votes[m.words[-1], "PERSON"] += 1
    for m in mentions:
        if len(m.words) != 1 or m.label not in ("PERSON", "ORG", "NORP"):
            continue
        word = m.words[0]
        if votes[word, "ORG"] > votes[word, "PERSON"]:
            if m.label == "PERSON":
                m.label = "ORG"
                m.key = "org:" + word
            continue
        if m.label == "ORG" and (not votes[word, "PERSON"] or _ACRONYM.match(m.text.replace(".", ""))):
            continue  # "NASA" after a mis-tagged "Mars Nasa": only a name also seen as a person is one
        if m.label == "NORP" and m.key.startswith("norp:") and len(m.key) == 7 and m.key[5:].isupper():
            continue  # a real national group
        candidates = surnames.get(word)
        if not candidates:
            if m.label != "PERSON" and votes[word, "PERSON"]:
                m.label, m.key = "PERSON", "per:" + word  # "Cheeks" tagged ORG once and PERSON twice
            continue
        keys = {c.key for c in candidates}
        before = [c for c in candidates if c.start < m.start]
        if len(keys) == 1:
            chosen = candidates[0]
        elif before:
            chosen = before[-1]
        else:
            continue  # two people share the surname and neither came first
        m.label = "PERSON"  # a surname the tagger took for an organisation or a group ("Arians")
        m.key = chosen.key


def _unify_orgs(mentions: list[_Mention], acronyms: dict[str, _Mention]) -> None:
    """Country-less names join the one national body with the same words; acronyms join their long form."""
    orgs = [m for m in mentions if m.label == "ORG"]
    national: dict[str, set[str]] = {}
    for m in orgs:
        if m.country and m.words:
            national.setdefault(" ".join(m.words), set()).add(m.key)
    for m in orgs:
        if not m.country and m.words:
            keys = national.get(" ".join(m.words))
            if keys and len(keys) == 1:
                m.key = next(iter(keys))
    # A shorter name inside exactly one longer one: "Cardinals" in "Arizona Cardinals".
    by_words = {frozenset(m.words): m.key for m in orgs if m.words}
    for m in orgs:
        if m.country or len(m.words) == 0 or _ACRONYM.match(m.text.replace(".", "")):
            continue
        mine = set(m.words)
        wider = {key for words, key in by_words.items() if mine < words}
        if len(wider) == 1:
            m.key = wider.pop()
    long_forms = [m for m in orgs if len(m.text.split()) >= 2]
    for m in orgs:
        bare = m.text.replace(".", "")
        if " " in m.text or not _ACRONYM.match(bare):
            continue
        bare = bare.rstrip("s") if bare.endswith("s") and bare[:-1].isupper() else bare
        if bare in acronyms:
            m.key = acronyms[bare].key
            continue
        initial = bare.lower()
        matches = {f.key for f in long_forms if initial in _initials(_words(f.text))}
        if len(matches) == 1:
            m.key = matches.pop()


def _untagged_acronyms(text: str, mentions: list[_Mention], acronyms: dict[str, _Mention]) -> list[_Mention]:
    """Later uses of an acronym defined in parentheses that the tagger missed."""
    if not acronyms:
        return []
    covered = [(m.start, m.end) for m in mentions]
    found: list[_Mention] = []
    for acronym, long_form in acronyms.items():
        for hit in re.finditer(r"(?<![\w.])" + re.escape(acronym) + r"(?![\w])", text):
            if any(s <= hit.start() < e or hit.start() <= s < hit.end() for s, e in covered):
                continue
            if text[max(0, hit.start() - 1) : hit.start()] == "(":
                continue  # the definition itself
            extra = _Mention(hit.start(), hit.end(), hit.group(), "ORG", "acronym")
            extra.key = long_form.key
            found.append(extra)
    return found
