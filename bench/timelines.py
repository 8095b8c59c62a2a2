"""SemEval-2015 Task 4 TimeLine, Track A (raw texts in, one timeline per target entity out).

    python -m bench timelines --data ../shared/data/timelines/trial [--out DIR]

``DATA/docs/*.tml`` are the articles (TimeML: ``<DCT>``, sentences ``<s id="n">`` of space-separated
tokens; the gold EVENT tags are stripped: Track A reads raw text), ``DATA/gold/*.txt`` one gold timeline
per target entity. For each target entity we build a timeline from our pipeline:

1. read every document (text rebuilt from its tokens, the DCT as the publication date);
2. take every clause as a telling (``tellings(..., every_clause=True)``) whose participants mention the
   target: an argument whose words contain the target's name (any order, at most two words between),
   a run of two or more of its words, or one word that names it alone (a person's given name or
   surname, a name-shaped word such as "iTunes"; only in documents that name the target in full, and
   not next to another name's word: "Steve Ballmer", "iPhone 3GS"); a he/she argument counts when the
   last person named before it in the document is the target;
3. date it by the clause's own time expression (within its sentence); else as TimeML annotators
   anchor news events: the present tense to the DCT, the past (and perfect) to the last day named
   before it that lies within a month before the DCT (the narrative's day: "yesterday", "on Monday"),
   else the DCT; the future, modals and tenseless clauses stay XXXX-XX-XX;
4. align co-referring tellings across documents with ``storyline.facts.fuse.align`` so they share a
   line, and order lines by date (coarser before finer at the same start; undated at ordinal 0).

Mentions are ``docid-sentence-token``: sentence = the ``<s id>`` of the TimeML source, token = the
event word as written there (checked against gold mentions: ``4596-2-filed`` is the word "filed" in
``<s id="2">`` of document 4596). Scoring is bench/timeline_scorer.py (temporal awareness, with the
conversion documented there) plus a dated-mention P/R/F1.
"""

from __future__ import annotations

import argparse
import html
import re
import time
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bench._common import emit, peak_rss_mb
from bench.timeline_scorer import (
    UNDATED,
    Counts,
    Entry,
    Timeline,
    read_timeline,
    score_timeline,
    write_timeline,
)
from storyline.facts import Embed, clause_similarity
from storyline.facts.compare import DateValue, date_value
from storyline.facts.coref import sentence_embedder
from storyline.facts.extract import Telling, tellings
from storyline.facts.fuse import align
from storyline.models import Annotations, Article
from storyline.read.reader import language_layers, read
from storyline.text import fold_key

_SENTENCE = re.compile(r'<s id="(\d+)">(.*?)</s>', re.S)
_TAG = re.compile(r"<[^>]+>")
_DCT = re.compile(r"<DCT>.*?value=\"([^\"]*)\"", re.S)
_DOCID = re.compile(r"<DOCID>(.*?)</DOCID>", re.S)
# Tokens written without a space before them, and after them.
_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "%", "...", "'", "'s", "'ve", "'ll", "'re", "'d", "n't"}
_NO_SPACE_AFTER = {"(", "[", "$", "£", "€", "`"}
_CLITICS = {"s", "re", "ve", "ll", "d", "t", "m"}


@dataclass
class Token:
    sentence: int  # the <s id> of the TimeML source
    text: str
    start: int
    end: int


@dataclass
class TimelineDoc:
    doc_id: str
    dct: date | None
    text: str
    tokens: list[Token]


def detokenize(sentences: list[tuple[int, list[str]]]) -> tuple[str, list[Token]]:
    """Text a reader would see (one sentence a line, no space before commas, ...), with token offsets."""
    parts: list[str] = []
    tokens: list[Token] = []
    length = 0
    for number, words in sentences:
        if parts:  # a blank line: the parser starts afresh (a dateline is not part of the next sentence)
            parts.append("\n\n")
            length += 2
        open_quote = False
        previous = None
        for word in words:
            glue = previous is None or word in _NO_SPACE_BEFORE or previous in _NO_SPACE_AFTER
            glue |= previous == "'" and word in _CLITICS
            if word == '"':
                glue |= open_quote  # a closing quote sits on the word before it
                open_quote = not open_quote
            elif previous == '"' and open_quote:
                glue = True  # the word after an opening quote
            if not glue:
                parts.append(" ")
                length += 1
            tokens.append(Token(number, word, length, length + len(word)))
            parts.append(word)
            length += len(word)
            previous = word
    return "".join(parts), tokens


def read_tml(path: str | Path) -> TimelineDoc:
    raw = Path(path).read_text(encoding="utf-8")
    sentences = [
        (int(number), html.unescape(_TAG.sub("", body)).split()) for number, body in _SENTENCE.findall(raw)
    ]
    text, tokens = detokenize(sentences)
    dct = _DCT.search(raw)
    doc_id = _DOCID.search(raw)
    try:
        anchor = date.fromisoformat(dct.group(1)[:10]) if dct else None
    except ValueError:
        anchor = None
    return TimelineDoc(doc_id.group(1).strip() if doc_id else Path(path).stem.split("_")[0], anchor, text, tokens)


@dataclass
class Target:
    """A target entity and the word-level ways a document may name it."""

    name: str
    words: list[str]  # folded
    person: bool = False


@dataclass
class Mention:
    start: int
    end: int
    target: str
    full: bool  # all the target's words, not a part of the name


@dataclass
class Read:
    """One document as our pipeline read it."""

    doc: TimelineDoc
    article: Article
    annotations: Annotations
    spacy_doc: Any


def article_of(doc: TimelineDoc) -> Article:
    published = datetime(doc.dct.year, doc.dct.month, doc.dct.day) if doc.dct else None
    return Article(
        id=doc.doc_id,
        text=doc.text,
        language="en",
        published=published,
        published_basis="metadata" if published else "unknown",
        published_precision="day" if published else None,
    )


def token_at(doc: TimelineDoc, starts: list[int], offset: int) -> Token:
    return doc.tokens[max(0, bisect_right(starts, offset) - 1)]


def read_documents(docs: list[TimelineDoc]) -> list[Read]:
    """Our reading layer over the documents, keeping spaCy's parse for tense and pronouns."""
    articles = [article_of(d) for d in docs]
    layers = language_layers(articles)
    return [Read(d, a, read(a, layer)[0], layer.doc) for d, a, layer in zip(docs, articles, layers, strict=True)]


# A name word with an inner capital or a digit ("iPod", "iTunes", "3G") names a thing on its own.
_NAME_SHAPED = re.compile(r"^.+[A-Z0-9]|^\d")


def make_target(name: str, reads: list[Read]) -> Target:
    """A person when the reading layer tags the full name as a person somewhere in the documents."""
    words = fold_key(name).split()
    person = any(
        e.label == "PERSON" and fold_key(e.text).split()[-len(words) :] == words for r in reads for e in r.annotations.entities
    )
    return Target(name, words, person)


def _single_words(target: Target) -> set[str]:
    """Words of a multi-word name that name the target alone: a person's names, name-shaped words."""
    if len(target.words) < 2:
        return set()
    if target.person:
        return set(target.words)
    shaped = {fold_key(w) for w in target.name.split() if _NAME_SHAPED.match(w) and not w.isdigit()}
    return shaped & set(target.words)


def _other_name_word(word: str, target: Target) -> bool:
    """A capitalised word or a number that is not part of the target's name."""
    return (word[:1].isupper() or any(c.isdigit() for c in word)) and fold_key(word) not in target.words


def find_mentions(r: Read, targets: list[Target]) -> list[Mention]:
    """Where the document names each target: the full name (words in any order, at most two words
    between), a run of two or more of its words, or a single word that names it alone (licensed only
    in a document that names the target in full, and given to the target named most often there)."""
    tokens = r.doc.tokens
    folded = [fold_key(t.text) for t in tokens]
    mentions: list[Mention] = []
    full_counts: Counter = Counter()
    for target in targets:
        size = len(target.words)
        wanted = set(target.words)
        i = 0
        while i < len(tokens):
            found = False
            if folded[i] in wanted:
                for width in range(size, size + 3):
                    window = folded[i : i + width]
                    if wanted <= set(window) and window[-1] in wanted and len(window) == width:
                        mentions.append(Mention(tokens[i].start, tokens[i + width - 1].end, target.name, True))
                        full_counts[target.name] += 1
                        i += width
                        found = True
                        break
                if not found and size > 2:
                    run = 1
                    while i + run < len(tokens) and folded[i + run] in wanted and folded[i + run] != folded[i + run - 1]:
                        run += 1
                    if run >= 2:
                        mentions.append(Mention(tokens[i].start, tokens[i + run - 1].end, target.name, False))
                        i += run
                        found = True
            if not found:
                i += 1
    taken = [(m.start, m.end) for m in mentions]
    singles: dict[int, list[Target]] = {}
    for target in targets:
        if not full_counts[target.name]:
            continue
        for i, word in enumerate(folded):
            if word not in _single_words(target) or any(s <= tokens[i].start < e for s, e in taken):
                continue
            neighbours = [j for j in (i - 1, i + 1) if 0 <= j < len(tokens)]
            # "Steve Ballmer", "iPhone 3GS": a neighbour that is another name's word
            if any(_other_name_word(tokens[j].text, target) for j in neighbours):
                continue
            singles.setdefault(i, []).append(target)
    for i, candidates in singles.items():
        best = max(candidates, key=lambda t: full_counts[t.name])
        mentions.append(Mention(tokens[i].start, tokens[i].end, best.name, False))
    return sorted(mentions, key=lambda m: m.start)


_MODALS = {"will", "would", "shall", "may", "might", "can", "could", "should", "must", "'ll", "wo"}
# Links along which a non-finite verb takes its tense from the verb it hangs on.
_TENSE_FROM_HEAD = {"xcomp", "advcl", "conj", "ccomp", "pcomp", "prep"}


def tense(token: Any) -> str | None:
    """present, past, future (or another modal) or None, from the verb and its auxiliaries."""
    for _ in range(5):
        auxes = [c for c in token.children if c.dep_ in {"aux", "auxpass"}]
        if token.tag_ == "MD" or any(a.lemma_.lower() in _MODALS or a.tag_ == "MD" for a in auxes):
            return "future"
        if any(a.lemma_ == "have" for a in auxes) or token.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
            return "past"  # the perfect tells a past happening
        if token.tag_ in {"VBZ", "VBP"} or any(a.tag_ in {"VBZ", "VBP"} for a in auxes):
            return "present"
        if token.dep_ not in _TENSE_FROM_HEAD or token.head is token:
            return None
        token = token.head
    return None


def _format(value: DateValue | None) -> str:
    """A date as the task writes it: YYYY-MM-DD, YYYY-MM or YYYY; anything coarser is undated."""
    if value is None or value.granularity not in {"day", "month", "year"}:
        return UNDATED
    return value.value


# The days a news narrative moves along: from this long before its DCT up to the DCT. Earlier days
# date background events, later ones plans; neither is the time of the story's own clauses.
NARRATIVE_DAYS = 31


def _days(r: Read) -> tuple[list[int], list[DateValue]]:
    """The days near the DCT the document names, in text order: the narrative's time."""
    found = []
    for timex in r.annotations.timexes:
        value = date_value(timex)
        if value is None or value.granularity != "day":
            continue
        if r.doc.dct is None or 0 <= (r.doc.dct - value.begin).days <= NARRATIVE_DAYS:
            found.append((timex.start, value))
    return [s for s, _ in found], [v for _, v in found]


def own_date(t: Telling, annotations: Annotations) -> DateValue | None:
    """The finest date the clause gives within its own sentence (the parse may hang a dateline on
    the first sentence's verb)."""
    values = []
    for i in t.clause.timexes:
        timex = annotations.timexes[i]
        value = date_value(timex)
        if value is not None and t.sentence_start <= timex.start < t.sentence_end:
            values.append(value)
    return min(values, key=lambda v: (v.end - v.begin, -v.begin.toordinal()), default=None)


def date_telling(t: Telling, r: Read, days: tuple[list[int], list[DateValue]]) -> tuple[DateValue | None, bool]:
    """The clause's own date; else, as TimeML annotators anchor news events: the DCT for the present
    tense, the last day the text named before the clause (or the DCT) for the past; nothing for the
    future, modals and clauses without a tense of their own."""
    own = own_date(t, r.annotations)
    if own is not None:
        return own, False
    token = _token_at_char(r.spacy_doc, t.clause.predicate_start)
    kind = tense(token) if token is not None else None
    dct = DateValue(r.doc.dct.isoformat(), r.doc.dct, r.doc.dct, "day") if r.doc.dct else None
    if kind == "present":
        return dct, True
    if kind == "past":
        starts, values = days
        k = bisect_right(starts, t.clause.predicate_start) - 1
        return (values[k] if k >= 0 else dct), True
    return None, True


def _token_at_char(doc: Any, offset: int) -> Any:
    for token in doc:
        if token.idx <= offset < token.idx + len(token.text):
            return token
    return None


_PERSON_PRONOUNS = {"he", "she", "him", "her"}


def _person_before(r: Read, offset: int, mentions: list[Mention], targets: dict[str, Target]) -> str | None:
    """The target named by the last person mention before ``offset``, if that person is a target."""
    last_start, last_target = -1, None
    for e in r.annotations.entities:
        if e.label == "PERSON" and e.end <= offset and e.start > last_start:
            last_start = e.start
            last_target = next((m.target for m in mentions if m.start < e.end and e.start < m.end), None)
    for m in mentions:
        if targets[m.target].person and m.end <= offset and m.start >= last_start:
            last_start, last_target = m.start, m.target
    return last_target


def participants(t: Telling, r: Read, mentions: list[Mention], targets: dict[str, Target]) -> set[str]:
    """The targets named in the clause's arguments, or standing for its he/she argument."""
    found = set()
    for argument in t.clause.arguments:
        found |= {m.target for m in mentions if argument.start <= m.start and m.end <= argument.end}
        if fold_key(argument.text) in _PERSON_PRONOUNS:
            person = _person_before(r, argument.start, mentions, targets)
            if person is not None:
                found.add(person)
    return found


def mention_id(r: Read, starts: list[int], t: Telling) -> str:
    """``docid-sentence-word``; a phrasal verb's particle right after it is joined as the task does
    ("took_off")."""
    token = token_at(r.doc, starts, t.clause.predicate_start)
    word = token.text
    verb = _token_at_char(r.spacy_doc, t.clause.predicate_start)
    if verb is not None and verb.i + 1 < len(verb.doc) and verb.doc[verb.i + 1].dep_ == "prt":
        word += "_" + verb.doc[verb.i + 1].text
    return f"{r.doc.doc_id}-{token.sentence}-{word}"


def build_timelines(reads: list[Read], names: list[str], embed: Embed | None = None) -> list[Timeline]:
    """One timeline per target name, from every clause that has the target among its participants."""
    targets = {name: make_target(name, reads) for name in names}
    by_target: dict[str, list[tuple[Telling, str]]] = {name: [] for name in names}
    for r in reads:
        mentions = find_mentions(r, list(targets.values()))
        starts = [tok.start for tok in r.doc.tokens]
        days = _days(r)
        for t in tellings(r.article, r.annotations, {}, r.article.id, every_clause=True):
            who = participants(t, r, mentions, targets)
            if not who:
                continue
            when, inferred = date_telling(t, r, days)
            dated = replace(t, when=when, when_inferred=inferred)
            for name in who:
                by_target[name].append((dated, mention_id(r, starts, t)))
    timelines = []
    for name in names:
        items = by_target[name]
        ids = {id(t): m for t, m in items}
        found = [t for t, _ in items]
        groups = align(found, clause_similarity(embed))
        timelines.append(order_entries(name, [(_consensus_date(g), [ids[id(t)] for t in g]) for g in groups]))
    return timelines


def _consensus_date(group: list[Telling]) -> DateValue | None:
    """A date the clauses give themselves before one inferred from tense; the most told; the earliest
    (a later report looks back on the happening)."""
    votes = Counter((not t.when_inferred, t.when) for t in group if t.when is not None)
    if not votes:
        return None
    best = max(votes, key=lambda k: (k[0], votes[k], -(k[1].end - k[1].begin).days, -k[1].begin.toordinal()))
    return best[1]


def order_entries(name: str, groups: list[tuple[DateValue | None, list[str]]]) -> Timeline:
    """Lines ordered by date, one ordinal per distinct date (coarser first at one start); undated at 0."""
    dates = sorted({d for d, _ in groups if _format(d) != UNDATED}, key=lambda d: (d.begin, -(d.end - d.begin).days))
    ordinal = {d: k + 1 for k, d in enumerate(dates)}
    timeline = Timeline(name)
    seen: set[str] = set()
    for value, ids in sorted(groups, key=lambda g: (ordinal.get(g[0], 0), g[1])):
        fresh = [m for m in dict.fromkeys(ids) if m not in seen]
        seen.update(fresh)
        if fresh:
            timeline.entries.append(Entry(ordinal.get(value, 0), _format(value) if value in ordinal else UNDATED, fresh))
    return timeline


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench timelines", description=__doc__)
    parser.add_argument("--data", required=True, help="a directory with docs/*.tml and gold/*.txt")
    parser.add_argument("--out", default=None, help="write our timelines here, one file per gold file")
    parser.add_argument("--no-embed", action="store_true", help="align without sentence embeddings")
    args = parser.parse_args(argv)

    data = Path(args.data)
    golds = {path.name: read_timeline(path) for path in sorted((data / "gold").glob("*.txt"))}
    started = time.perf_counter()
    docs = [read_tml(path) for path in sorted((data / "docs").glob("*.tml"))]
    reads = read_documents(docs)
    embed = None if args.no_embed else sentence_embedder()
    names = [g.entity for g in golds.values()]
    timelines = build_timelines(reads, names, embed)
    elapsed = time.perf_counter() - started

    total = Counts()
    for (file, gold), system in zip(golds.items(), timelines, strict=True):
        counts = score_timeline(system, gold)
        total.add(counts)
        print(f"{gold.entity}\t" + "\t".join(f"{k}={v:.3f}" for k, v in counts.scores().items()))
        if args.out:
            Path(args.out).mkdir(parents=True, exist_ok=True)
            (Path(args.out) / file).write_text(write_timeline(system), encoding="utf-8")
    result = {k: round(v, 4) for k, v in total.scores().items()}
    result.update(
        entities=len(golds),
        documents=len(docs),
        documents_per_second=round(len(docs) / elapsed, 2) if elapsed else None,
        peak_rss_mb=peak_rss_mb(),
    )
    emit(result)
    return 0
