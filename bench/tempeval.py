"""TimeML reading and TempEval-3 Task A scoring (time expressions), reusable by any benchmark.

Scoring follows UzZaman et al. (2013), "SemEval-2013 Task 1: TempEval-3":

- strict match: system and gold spans are identical;
- relaxed match: the spans overlap;
- over relaxed-matched pairs, attribute accuracy = matched pairs whose attribute agrees / matched pairs;
- attribute F1 = relaxed F1 x attribute accuracy (the official scorer's attribute precision is
  agreeing pairs / system timexes and its recall agreeing pairs / gold timexes, which comes to the same).

The official scorer compares tokens; we compare characters, so before comparing we trim whitespace and
the punctuation a tokenizer would split off at either end of a span (gold "next week." and system
"next week" are the same tokens). Pairs are one-to-one: exact pairs first, then by largest overlap.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

_TAG_OR_ENTITY = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*)>|&(#?\w+);")
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_TEXT_ELEMENT = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)
_DCT = re.compile(r"<DCT>.*?value=\"([^\"]*)\"", re.S)
_DOCID = re.compile(r"<DOCID>(.*?)</DOCID>", re.S)
_EDGE_PUNCT = " \t\r\n.,;:!?\"'`()[]"


@dataclass
class GoldTimex:
    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str | None = None


@dataclass
class TimeMLDocument:
    doc_id: str
    path: str
    dct: str | None
    text: str
    timexes: list[GoldTimex] = field(default_factory=list)


def strip_timeml(markup: str) -> tuple[str, list[GoldTimex]]:
    """Remove tags and entities from TimeML markup, keeping exact offsets of TIMEX3 spans."""
    out: list[str] = []
    length = 0
    pos = 0
    open_timex: tuple[int, dict[str, str]] | None = None
    timexes: list[GoldTimex] = []
    for m in _TAG_OR_ENTITY.finditer(markup):
        chunk = markup[pos : m.start()]
        out.append(chunk)
        length += len(chunk)
        pos = m.end()
        if m.group(4) is not None:  # an entity such as &amp;
            char = html.unescape(m.group(0))
            out.append(char)
            length += len(char)
            continue
        closing, name, attrs = m.group(1), m.group(2), m.group(3)
        if name != "TIMEX3":
            continue
        if not closing:
            open_timex = (length, dict(_ATTR.findall(attrs)))
        elif open_timex is not None:
            start, a = open_timex
            timexes.append(GoldTimex(start, length, "", a.get("type", ""), a.get("value", ""), a.get("mod")))
            open_timex = None
    out.append(markup[pos:])
    text = "".join(out)
    for t in timexes:
        t.text = text[t.start : t.end]
    return text, timexes


def read_timeml(path: str | Path) -> TimeMLDocument:
    raw = Path(path).read_text(encoding="utf-8")
    body = _TEXT_ELEMENT.search(raw)
    text, timexes = strip_timeml(body.group(1) if body else "")
    dct = _DCT.search(raw)
    doc_id = _DOCID.search(raw)
    return TimeMLDocument(
        doc_id=doc_id.group(1).strip() if doc_id else Path(path).stem,
        path=str(path),
        dct=dct.group(1) if dct else None,
        text=text,
        timexes=timexes,
    )


def find_timeml_files(data: str | Path) -> list[Path]:
    """A single .tml file, or every .tml under a directory (sorted; one file per document id)."""
    data = Path(data)
    if data.is_file():
        return [data]
    seen: set[str] = set()
    files = []
    for path in sorted(data.rglob("*.tml")):
        if path.name in seen:  # the same document copied into a second folder
            continue
        seen.add(path.name)
        files.append(path)
    return files


def _trimmed(start: int, end: int, text: str) -> tuple[int, int]:
    while start < end and text[start] in _EDGE_PUNCT:
        start += 1
    while end > start and text[end - 1] in _EDGE_PUNCT:
        end -= 1
    return start, end


@dataclass
class Tally:
    """Counts summed over documents; `scores()` turns them into the TempEval-3 figures."""

    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed: int = 0
    type_agree: int = 0
    value_agree: int = 0

    def add(self, other: Tally) -> None:
        for name in ("gold", "system", "strict", "relaxed", "type_agree", "value_agree"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def scores(self) -> dict[str, float]:
        def prf(hits: int) -> tuple[float, float, float]:
            p = hits / self.system if self.system else 0.0
            r = hits / self.gold if self.gold else 0.0
            return p, r, (2 * p * r / (p + r) if p + r else 0.0)

        sp, sr, sf = prf(self.strict)
        rp, rr, rf = prf(self.relaxed)
        type_acc = self.type_agree / self.relaxed if self.relaxed else 0.0
        value_acc = self.value_agree / self.relaxed if self.relaxed else 0.0
        return {
            "strict_precision": sp,
            "strict_recall": sr,
            "strict_f1": sf,
            "relaxed_precision": rp,
            "relaxed_recall": rr,
            "relaxed_f1": rf,
            "type_accuracy": type_acc,
            "value_accuracy": value_acc,
            "type_f1": rf * type_acc,
            "value_f1": rf * value_acc,
        }


@dataclass
class Pairing:
    tally: Tally
    pairs: list[tuple[int, int]]  # (gold index, system index), relaxed matches
    missed: list[int]  # gold indices with no system match
    spurious: list[int]  # system indices with no gold match


def score_document(text: str, gold: list, system: list) -> Pairing:
    """Score one document. `gold` and `system` items need start, end, type and value attributes."""
    g_spans = [_trimmed(t.start, t.end, text) for t in gold]
    s_spans = [_trimmed(t.start, t.end, text) for t in system]
    pairs: list[tuple[int, int]] = []
    used_g: set[int] = set()
    used_s: set[int] = set()
    exact = {span: i for i, span in enumerate(s_spans)}
    for gi, span in enumerate(g_spans):
        si = exact.get(span)
        if si is not None and si not in used_s:
            pairs.append((gi, si))
            used_g.add(gi)
            used_s.add(si)
    strict = len(pairs)
    overlaps = []
    for gi, (gs, ge) in enumerate(g_spans):
        if gi in used_g:
            continue
        for si, (ss, se) in enumerate(s_spans):
            if si not in used_s and ss < ge and gs < se:
                overlaps.append((min(ge, se) - max(gs, ss), gi, si))
    for _, gi, si in sorted(overlaps, reverse=True):
        if gi not in used_g and si not in used_s:
            pairs.append((gi, si))
            used_g.add(gi)
            used_s.add(si)
    tally = Tally(gold=len(gold), system=len(system), strict=strict, relaxed=len(pairs))
    for gi, si in pairs:
        tally.type_agree += gold[gi].type == system[si].type
        tally.value_agree += gold[gi].value == system[si].value
    return Pairing(
        tally=tally,
        pairs=sorted(pairs),
        missed=[i for i in range(len(gold)) if i not in used_g],
        spurious=[i for i in range(len(system)) if i not in used_s],
    )
