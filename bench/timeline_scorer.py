"""SemEval-2015 Task 4 TimeLine scoring: temporal awareness over timelines turned into relation graphs.

A timeline file (Minard et al. 2015) names one target entity on its first line, then one line per
event: ``ordinal TAB date TAB mention [TAB mention ...]``, a mention being ``docid-sentence-token``
(the token is the event word itself; a multi-word event joins its words with ``_``). Mentions on one
line co-refer; lines with one ordinal happen at one time; ordinals give the order.

The official scorer turns each timeline into TimeML relations and scores them with UzZaman & Allen's
temporal awareness (the TempEval-3 measure):

    precision = |S- ∩ G+| / |S-|,   recall = |G- ∩ S+| / |G-|

where X+ is the closure of a relation graph and X- its reduced graph (no relation implied by the
others). We convert a timeline this way:

- every mention is an EVENT node, every date other than ``XXXX-XX-XX`` a TIMEX node (keyed by value,
  so equal dates in the system and gold timelines are the same node);
- mentions with one ordinal are SIMULTANEOUS; the mentions of ordinal ``n`` are BEFORE those of the
  next ordinal;
- a dated mention IS_INCLUDED in its date's TIMEX (a day includes what happened on it; SIMULTANEOUS
  would make two ordinals with the same date, which the gold has, contradict each other);
- ordinal 0 is the task's bin for events that could be neither dated nor ordered: its lines are
  related to nothing but their own co-referring mentions.

Closure is exact: intervals become start/end points, relations become ``=`` and ``<`` between
points, and entailment is union-find plus reachability. The reduced graph of a converted timeline
is known in advance: ``k - 1`` SIMULTANEOUS relations per group of ``k`` simultaneous mentions, one
BEFORE per pair of consecutive ordinals, one IS_INCLUDED per group and date (dropped when implied,
i.e. when an earlier and a later ordinal are included in the same date). Which mentions stand for a
group in the reduced graph is a free choice in the official tool (it depends on the order of its
reduction); we take the choice most favourable to the system being checked (a SIMULTANEOUS group
scores ``k - c`` where ``c`` is the number of pieces the other graph's closure splits it into; a
BEFORE or IS_INCLUDED counts when any of its members' pairs is entailed), so scores do not depend on
mention order. Counts are summed over all timelines (micro average).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

UNDATED = "XXXX-XX-XX"
# Undated: the task writes XXXX-XX-XX (a gold file also has the typo XXX-XX-XX).
_UNDATED = re.compile(r"^X+(-X+)*$")
# "2007-09-XX" and "2010-XX-XX" say what "2007-09" and "2010" say.
_UNSPECIFIED_TAIL = re.compile(r"(-X+)+$")


@dataclass
class Entry:
    """One line of a timeline: co-referring mentions of one event, with its ordinal and date."""

    ordinal: int
    date: str
    mentions: list[str]


@dataclass
class Timeline:
    entity: str
    entries: list[Entry] = field(default_factory=list)


def undated(value: str) -> bool:
    return bool(_UNDATED.match(value))


def normal_date(value: str) -> str:
    """One spelling per date: undated as XXXX-XX-XX, unspecified tails dropped."""
    return UNDATED if undated(value) else _UNSPECIFIED_TAIL.sub("", value)


def read_timeline(path: str | Path) -> Timeline:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    timeline = Timeline(lines[0].strip() if lines else Path(path).stem)
    for line in lines[1:]:
        cells = [c.strip() for c in line.split("\t") if c.strip()]
        if len(cells) >= 3 and cells[0].isdigit():
            timeline.entries.append(Entry(int(cells[0]), cells[1], cells[2:]))
    return timeline


def write_timeline(timeline: Timeline) -> str:
    rows = [timeline.entity]
    rows += ["\t".join([str(e.ordinal), e.date, *e.mentions]) for e in timeline.entries]
    return "\n".join(rows) + "\n"


@dataclass
class Graph:
    """A timeline's relations, kept as groups: what the reduced graph is made of."""

    simultaneous: list[list[str]]  # groups of event nodes with one time (size >= 2 matters)
    before: list[tuple[list[str], list[str]]]  # consecutive ordinals
    included: list[tuple[list[str], str]]  # (events, timex node)
    events: set[str]


def timeline_graph(timeline: Timeline) -> Graph:
    by_ordinal: dict[int, list[Entry]] = defaultdict(list)
    for entry in timeline.entries:
        by_ordinal[entry.ordinal].append(entry)
    groups: list[tuple[int, list[Entry]]] = []
    for ordinal in sorted(by_ordinal):
        if ordinal == 0:
            groups += [(0, [entry]) for entry in by_ordinal[0]]
        else:
            groups.append((ordinal, by_ordinal[ordinal]))
    simultaneous = [[f"e:{m}" for e in entries for m in e.mentions] for _, entries in groups]
    ordered = [members for (ordinal, _), members in zip(groups, simultaneous, strict=True) if ordinal > 0]
    before = list(pairwise(ordered))
    # (group position among the ordered ones or None, events, timex)
    dated: list[tuple[int | None, list[str], str]] = []
    rank = 0
    for ordinal, entries in groups:
        by_date: dict[str, list[str]] = defaultdict(list)
        for e in entries:
            if not undated(e.date):
                by_date[f"t:{normal_date(e.date)}"] += [f"e:{m}" for m in e.mentions]
        for timex, events in by_date.items():
            dated.append((rank if ordinal > 0 else None, events, timex))
        rank += ordinal > 0
    ranks_by_timex: dict[str, list[int]] = defaultdict(list)
    for position, _, timex in dated:
        if position is not None:
            ranks_by_timex[timex].append(position)
    included = [
        (events, timex)
        for position, events, timex in dated
        # implied when an earlier and a later ordinal lie inside the same date
        if position is None
        or not (any(r < position for r in ranks_by_timex[timex]) and any(r > position for r in ranks_by_timex[timex]))
    ]
    events = {f"e:{m}" for e in timeline.entries for m in e.mentions}
    return Graph(simultaneous, before, included, events)


class Closure:
    """Point-algebra closure of a graph: every interval is a start point before an end point."""

    def __init__(self, graph: Graph) -> None:
        self.parent: dict[tuple[str, str], tuple[str, str]] = {}
        less: list[tuple[tuple[str, str], tuple[str, str]]] = []
        nodes = set(graph.events) | {timex for _, timex in graph.included}
        for n in nodes:
            less.append(((n, "s"), (n, "e")))
        for group in graph.simultaneous:
            for a, b in pairwise(group):
                self._union((a, "s"), (b, "s"))
                self._union((a, "e"), (b, "e"))
        for earlier, later in graph.before:
            less.append(((earlier[0], "e"), (later[0], "s")))
        for events, timex in graph.included:
            for event in events:
                less.append(((timex, "s"), (event, "s")))
                less.append(((event, "e"), (timex, "e")))
        classes = sorted({self.find(p) for pair in less for p in pair})
        self.index = {c: k for k, c in enumerate(classes)}
        successors: list[set[int]] = [set() for _ in classes]
        for a, b in less:
            successors[self.index[self.find(a)]].add(self.index[self.find(b)])
        self.after = _reachability(successors)
        self.nodes = nodes

    def find(self, point: tuple[str, str]) -> tuple[str, str]:
        root = point
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while point != root:  # path compression
            self.parent[point], point = root, self.parent[point]
        return root

    def _union(self, a: tuple[str, str], b: tuple[str, str]) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb

    def less(self, a: tuple[str, str], b: tuple[str, str]) -> bool:
        ia, ib = self.index.get(self.find(a)), self.index.get(self.find(b))
        return ia is not None and ib is not None and bool(self.after[ia] >> ib & 1)

    def simultaneous(self, a: str, b: str) -> bool:
        if a not in self.nodes or b not in self.nodes:
            return a == b
        return self.find((a, "s")) == self.find((b, "s")) and self.find((a, "e")) == self.find((b, "e"))

    def before(self, a: str, b: str) -> bool:
        return a in self.nodes and b in self.nodes and self.less((a, "e"), (b, "s"))

    def included(self, event: str, timex: str) -> bool:
        return (
            event in self.nodes
            and timex in self.nodes
            and self.less((timex, "s"), (event, "s"))
            and self.less((event, "e"), (timex, "e"))
        )


def _reachability(successors: list[set[int]]) -> list[int]:
    """For each point, the bitset of points strictly after it (Kahn order; a cycle, which only an
    inconsistent timeline makes, is settled by iterating to a fixpoint)."""
    n = len(successors)
    indegree = [0] * n
    for nexts in successors:
        for w in nexts:
            indegree[w] += 1
    order, queue = [], [v for v in range(n) if indegree[v] == 0]
    while queue:
        v = queue.pop()
        order.append(v)
        for w in successors[v]:
            indegree[w] -= 1
            if indegree[w] == 0:
                queue.append(w)
    reach = [0] * n
    left = [v for v in range(n) if indegree[v] > 0]  # on or after a cycle
    changed = bool(left)
    while changed:
        changed = False
        for v in left:
            bits = reach[v]
            for w in successors[v]:
                bits |= (1 << w) | reach[w]
            if bits != reach[v]:
                reach[v], changed = bits, True
    for v in reversed(order):
        for w in successors[v]:
            reach[v] |= (1 << w) | reach[w]
    return reach


def _pieces(group: list[str], closure: Closure) -> int:
    """How many SIMULTANEOUS classes of ``closure`` the group falls into (absent nodes alone)."""
    keys = set()
    for node in dict.fromkeys(group):
        keys.add((closure.find((node, "s")), closure.find((node, "e"))) if node in closure.nodes else node)
    return len(keys)


def verified(graph: Graph, closure: Closure) -> tuple[int, int]:
    """(relations of the graph's reduced form entailed by ``closure``, relations in the reduced form)."""
    hits = total = 0
    for group in graph.simultaneous:
        members = list(dict.fromkeys(group))
        total += len(members) - 1
        hits += len(members) - _pieces(members, closure)
    for earlier, later in graph.before:
        total += 1
        hits += any(closure.before(a, b) for a in earlier for b in later)
    for events, timex in graph.included:
        total += 1
        hits += any(closure.included(e, timex) for e in events)
    return hits, total


@dataclass
class Counts:
    """Summed over timelines; ``scores()`` gives precision, recall and F1."""

    precision_hits: int = 0
    system_relations: int = 0
    recall_hits: int = 0
    gold_relations: int = 0
    mention_hits: int = 0
    system_mentions: int = 0
    gold_mentions: int = 0

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def scores(self) -> dict[str, float]:
        p = self.precision_hits / self.system_relations if self.system_relations else 0.0
        r = self.recall_hits / self.gold_relations if self.gold_relations else 0.0
        mp = self.mention_hits / self.system_mentions if self.system_mentions else 0.0
        mr = self.mention_hits / self.gold_mentions if self.gold_mentions else 0.0
        return {
            "precision": p,
            "recall": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "mention_precision": mp,
            "mention_recall": mr,
            "mention_f1": 2 * mp * mr / (mp + mr) if mp + mr else 0.0,
        }


def dated_mentions(timeline: Timeline) -> set[tuple[str, str]]:
    return {(m, normal_date(e.date)) for e in timeline.entries for m in e.mentions}


def score_timeline(system: Timeline, gold: Timeline) -> Counts:
    """Temporal awareness counts, and dated-mention counts (a system mention with the gold date)."""
    system_graph, gold_graph = timeline_graph(system), timeline_graph(gold)
    p_hits, p_total = verified(system_graph, Closure(gold_graph))
    r_hits, r_total = verified(gold_graph, Closure(system_graph))
    system_mentions, gold_mentions = dated_mentions(system), dated_mentions(gold)
    return Counts(
        precision_hits=p_hits,
        system_relations=p_total,
        recall_hits=r_hits,
        gold_relations=r_total,
        mention_hits=len(system_mentions & gold_mentions),
        system_mentions=len(system_mentions),
        gold_mentions=len(gold_mentions),
    )
