"""Clauses: predicates with their arguments, from a dependency parse.

A fact needs to know which date, place, quantity and actor belong to which
happening: "the port, which was closed on 3 May, and the airport, shut on
the 5th" holds two. Each predicate owns the tokens of its subtree minus the
subtrees of the clauses below it; a participle or relative clause also owns
the noun it modifies ("the 2 March accord signed by ..."), and a gapped
conjunct ("..., and on 5 May, the north gate") borrows the predicate of the
clause it is coordinated with.

Works over a neutral token list, so any parser with Universal-Dependencies-
like labels can feed it: spaCy's English labels and UD labels are both mapped
(each parser's token adapter lives with it in ``read.parsers``).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from storyline.models import Annotations, Argument, Clause


@dataclass
class Token:
    i: int
    start: int
    end: int
    text: str
    lemma: str
    pos: str  # UPOS
    dep: str
    head: int  # index of the head token (itself for the root)
    feats: str = ""  # UD morphological features: "Number=Plur|VerbForm=Part"


# Dependency labels (spaCy English and UD) by what they mean here.
SUBJECT = {"nsubj", "csubj"}
PASSIVE_SUBJECT = {"nsubjpass", "nsubj:pass", "csubjpass"}
OBJECT = {"dobj", "obj", "attr", "oprd", "dative", "iobj"}
AGENT = {"agent", "obl:agent"}
CLAUSE_LINKS = {"ccomp", "xcomp", "advcl", "relcl", "acl", "acl:relcl", "conj", "parataxis", "csubj", "csubjpass"}
MODIFIER_CLAUSE = {"acl", "relcl", "acl:relcl"}
NOUN_CORE = {"compound", "amod", "nummod", "nmod", "det", "poss", "flat", "flat:name", "appos", "nmod:poss"}
NEGATION = {"neg"}
# Verbs that carry no happening of their own.
LIGHT_VERBS = {"be", "have", "do", "become", "seem", "быть", "являться"}


def _children(tokens: list[Token]) -> list[list[int]]:
    children: list[list[int]] = [[] for _ in tokens]
    for t in tokens:
        if t.head != t.i:
            children[t.head].append(t.i)
    return children


def _is_predicate(t: Token, tokens: list[Token]) -> bool:
    if t.pos == "VERB" and t.lemma.lower() not in LIGHT_VERBS:
        return True
    # gapped conjunct: a noun coordinated with a verb ("..., and on May 5, the X region")
    return t.pos in {"NOUN", "PROPN"} and t.dep == "conj" and tokens[t.head].pos == "VERB"


def _subtree(i: int, children: list[list[int]], stop: set[int]) -> set[int]:
    seen, todo = set(), [i]
    while todo:
        j = todo.pop()
        seen.add(j)
        for c in children[j]:  # a loop, not a generator: most tokens have a child or two
            if c not in stop:
                todo.append(c)
    return seen


def _noun_core(i: int, tokens: list[Token], children: list[list[int]]) -> set[int]:
    core, todo = {i}, [i]
    while todo:
        j = todo.pop()
        for c in children[j]:
            if tokens[c].dep in NOUN_CORE and c not in core:
                core.add(c)
                todo.append(c)
    return core


def _span(indices: set[int], starts: list[int], ends: list[int]) -> tuple[int, int]:
    """The characters the tokens cover (``starts`` and ``ends`` of every token, looked up without a loop in Python)."""
    return min(map(starts.__getitem__, indices)), max(map(ends.__getitem__, indices))


def _phrase(i: int, extents: tuple[list[int], list[int]], children: list[list[int]], stop: set[int]) -> tuple[int, int]:
    return _span(_subtree(i, children, stop), *extents)


def build_clauses(tokens: list[Token], text: str, annotations: Annotations) -> list[Clause]:
    """Clauses of one parsed text, with the annotations each one governs."""
    if not tokens:
        return []
    children = _children(tokens)
    predicates = [t.i for t in tokens if _is_predicate(t, tokens)]
    predicate_set = set(predicates)
    owned: dict[int, set[int]] = {}
    dated_core: dict[int, set[int]] = {}  # tokens whose dates belong to this clause alone
    # a predicate is never below itself (the parse is a tree), so the other predicates that
    # stop its subtree are all of them
    for p in predicates:
        own = _subtree(p, children, predicate_set)
        t = tokens[p]
        if t.dep in MODIFIER_CLAUSE and t.head != p:
            core = _noun_core(t.head, tokens, children) - predicate_set
            own |= core
            dated_core[p] = core
        owned[p] = own
    # a date inside a noun modified by a participle or relative clause dates that clause only
    claimed = set().union(*dated_core.values()) if dated_core else set()

    sentence_starts = [s.start for s in annotations.sentences]
    token_starts = [t.start for t in tokens]
    extents = (token_starts, [t.end for t in tokens])

    def token_at(offset: int) -> int:
        return max(0, bisect_right(token_starts, offset) - 1)

    def head_of(start: int, end: int) -> int:
        """The span's syntactic head: its token whose head lies outside the span."""
        first, last = token_at(start), token_at(max(start, end - 1))
        inside = range(first, last + 1)
        for j in inside:
            if not first <= tokens[j].head <= last or tokens[j].head == j:
                return j
        return first

    def heads(items: list) -> dict[int, list[int]]:
        """Head token -> the indexes of the annotations it heads, ascending."""
        by_head: dict[int, list[int]] = {}
        for k, x in enumerate(items):
            by_head.setdefault(head_of(x.start, x.end), []).append(k)
        return by_head

    def within(by_head: dict[int, list[int]], own: set[int]) -> list[int]:
        """The indexes of the annotations whose head the clause owns, ascending."""
        return sorted(k for j in own if j in by_head for k in by_head[j])

    timex_heads = heads(annotations.timexes)
    place_heads = heads(annotations.places)
    quantity_heads = heads(annotations.quantities)
    entity_heads = heads(annotations.entities)

    clauses = []
    for p in predicates:
        t = tokens[p]
        own = owned[p]
        gapped = t.pos != "VERB"
        lemma = tokens[t.head].lemma.lower() if gapped else t.lemma.lower()
        arguments = []
        stop = predicate_set
        for c in children[p]:
            dep = tokens[c].dep
            role = None
            if dep in SUBJECT:
                role = "subject"
            elif dep in PASSIVE_SUBJECT:
                role = "patient"
            elif dep in OBJECT:
                role = "object"
            elif dep in AGENT:
                role = "agent"
            elif dep == "prep":
                objects = [g for g in children[c] if tokens[g].dep in {"pobj", "pcomp"}]
                if objects:
                    s, e = _phrase(objects[0], extents, children, stop)
                    arguments.append(Argument(tokens[c].lemma.lower(), s, e, text[s:e], tokens[objects[0]].lemma))
                continue
            elif dep.startswith("obl"):
                case = [g for g in children[c] if tokens[g].dep == "case"]
                role = tokens[case[0]].lemma.lower() if case else "oblique"
            if role and role == "agent" and tokens[c].pos == "ADP":
                objects = [g for g in children[c] if tokens[g].dep == "pobj"]
                if not objects:
                    continue
                c = objects[0]
            if role:
                s, e = _phrase(c, extents, children, stop)
                arguments.append(Argument(role, s, e, text[s:e], tokens[c].lemma))
        if t.dep in MODIFIER_CLAUSE and t.head != p:
            noun = tokens[t.head]
            s, e = _span(_noun_core(t.head, tokens, children), *extents)
            passive = any(tokens[c].dep in {"auxpass", "aux:pass"} for c in children[p]) or t.lemma != t.text.lower()
            arguments.append(Argument("patient" if passive else "subject", s, e, text[s:e], noun.lemma))
        if gapped:
            s, e = _span(_noun_core(p, tokens, children), *extents)
            arguments.append(Argument("patient", s, e, text[s:e], t.lemma))
        # a parse can run across a line break (a dateline, a heading): keep to the predicate's sentence
        sentence = max(0, bisect_right(sentence_starts, t.start) - 1)
        bounds = annotations.sentences[sentence] if annotations.sentences else None
        if bounds is not None:
            own = {j for j in own if bounds.start <= tokens[j].start < bounds.end} | {p}
        extent = [tokens[j] for j in own if tokens[j].pos != "PUNCT"] or [t]
        start, end = min(x.start for x in extent), max(x.end for x in extent)
        timexes = sorted(
            k
            for h in own
            if h in timex_heads and (h not in claimed or h in dated_core.get(p, ()))
            for k in timex_heads[h]
        )
        clauses.append(
            Clause(
                start=start,
                end=end,
                sentence=sentence,
                predicate=lemma,
                predicate_start=t.start,
                predicate_end=t.end,
                arguments=arguments,
                negated=any(tokens[c].dep in NEGATION or tokens[c].lemma.lower() in {"not", "never", "не"} for c in children[p]),
                gapped=gapped,
                timexes=timexes,
                places=within(place_heads, own),
                quantities=within(quantity_heads, own),
                entities=within(entity_heads, own),
            )
        )
    return clauses


def sentence_clauses(annotations: Annotations) -> list[Clause]:
    """For languages without a parser: each sentence is one clause with an unknown predicate.

    Facts can still line such a sentence up with other reports by its day, its
    places and its meaning (multilingual sentence embeddings), never by predicate.
    """
    clauses = []
    for n, s in enumerate(annotations.sentences):
        clauses.append(
            Clause(
                start=s.start,
                end=s.end,
                sentence=n,
                predicate="",
                predicate_start=s.start,
                predicate_end=s.start,
                timexes=_starting_in(annotations.timexes, s.start, s.end),
                places=_starting_in(annotations.places, s.start, s.end),
                quantities=_starting_in(annotations.quantities, s.start, s.end),
                entities=_starting_in(annotations.entities, s.start, s.end),
            )
        )
    return clauses


def _starting_in(items: list, start: int, end: int) -> list[int]:
    """Indexes of the annotations that start within [start, end)."""
    return [k for k, x in enumerate(items) if start <= x.start < end]
