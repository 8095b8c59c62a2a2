"""Geoparsing corpora: finding toponyms and resolving them to coordinates.

    python -m bench geo --data ../shared/data/geo/GeoWebNews.xml [--limit N] [--errors FILE]

The layouts of Gritta et al. 2019, "A Pragmatic Guide to Geoparsing Evaluation", told
apart by their tags (a file, or a folder of ``*.xml`` files):

- GeoWebNews: ``<article><text>...</text><toponyms><toponym>`` with ``type``,
  ``start``/``end`` character offsets into the text, and for toponyms that name a
  location a ``geonamesID`` (sometimes empty) with ``latitude``/``longitude``;
- LGL and TR-News: ``<article><text>`` with ``<toponyms><toponym>`` holding ``start``,
  ``end``, ``phrase`` and ``<gaztag geonameid>`` with ``lat``/``lon``; every toponym is
  literal;
- GeoVirus: ``<article><text>`` with ``<locations><location>`` holding ``name``,
  ``start``, ``end``, ``lat``, ``lon``; its offsets may be a character off, so each is
  moved to where the name stands in the text nearby; every location is literal.

Which gold types count, following the paper's taxonomy:

- literal toponyms: Literal, Mixed, Coercion, Embedded_Literal, Literal_Modifier;
- associative toponyms: Metonymic, Demonym, Language, Non_Literal_Modifier,
  Embedded_Non_Lit;
- not toponyms: Non_Toponym, Homonym, Literal_Expression, Non_Lit_Expression.

Scores:

- ``toponym_precision/recall/f1``: detected mentions against literal + associative
  gold spans, exact offsets (``*_overlap`` variants count any overlap);
- ``literal_recall``: share of literal gold spans a detected mention overlaps;
- ``acc_161km``: resolution given the gold spans: the gold literal toponyms with
  coordinates are passed to ``find_places`` as the NER spans (with spaCy's other
  spans), and a toponym counts when the entry it resolves to lies within 161 km;
  unresolved toponyms count as errors. ``mean_error_km`` and ``median_error_km``
  over the resolved ones; ``auc`` is the area under the curve of sorted scaled
  log errors (Gritta et al. 2018; lower is better; unresolved = 20,039 km);
- ``acc_161km_end_to_end``: the same over all gold literal toponyms with
  coordinates, but from the detected mentions (a missed toponym is an error);
- ``acc_161km_population_baseline``: the most populous gazetteer entry of the gold
  span's name, no context (the reference point the brief names: 0.38).
"""

from __future__ import annotations

import argparse
import math
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from bench._common import emit, peak_rss_mb

LITERAL = {"Literal", "Mixed", "Coercion", "Embedded_Literal", "Literal_Modifier"}
ASSOCIATIVE = {"Metonymic", "Demonym", "Language", "Non_Literal_Modifier", "Embedded_Non_Lit"}
MAX_ERROR_KM = 20039.0
ACCURACY_KM = 161.0


@dataclass
class Toponym:
    start: int
    end: int
    text: str
    type: str
    lat: float | None
    lon: float | None


@dataclass
class Doc:
    id: str
    text: str
    toponyms: list[Toponym]


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value and value.strip() else None
    except ValueError:
        return None


def _realign(text: str, start: int, end: int, name: str, slack: int = 3) -> tuple[int, int]:
    """GeoVirus offsets may be a character or two off: the name where it stands nearby."""
    if not name or text[start:end] == name:
        return start, end
    window_start = max(0, start - slack)
    found = text.find(name, window_start, end + slack + len(name))
    return (found, found + len(name)) if found >= 0 else (start, end)


def _toponym(element: ET.Element, text: str) -> Toponym | None:
    """One gold toponym in any of the three layouts."""
    start, end = element.findtext("start"), element.findtext("end")
    if start is None or end is None:
        return None
    s, e = int(start), int(end)
    if element.tag == "location":  # GeoVirus
        name = (element.findtext("name") or "").strip()
        s, e = _realign(text, s, e, name)
        return Toponym(s, e, text[s:e], "Literal", _float(element.findtext("lat")), _float(element.findtext("lon")))
    gaztag = element.find("gaztag")
    if gaztag is not None or element.find("phrase") is not None:  # LGL, TR-News
        lat = gaztag.findtext("lat") if gaztag is not None else None
        lon = gaztag.findtext("lon") if gaztag is not None else None
        return Toponym(s, e, element.findtext("phrase") or text[s:e], "Literal", _float(lat), _float(lon))
    lat, lon = element.findtext("latitude"), element.findtext("longitude")  # GeoWebNews
    return Toponym(s, e, element.findtext("extractedName") or "", element.findtext("type") or "", _float(lat), _float(lon))


def load(path: Path) -> list[Doc]:
    files = sorted(path.glob("*.xml")) if path.is_dir() else [path]
    docs = []
    for file in files:
        for art in ET.parse(file).getroot().iter("article"):
            text = art.findtext("text") or ""
            elements = list(art.iter("toponym")) + list(art.iter("location"))
            tops = [t for t in (_toponym(el, text) for el in elements) if t is not None]
            docs.append(Doc(art.get("file") or art.get("docid") or f"{file.stem}:{len(docs)}", text, tops))
    return docs


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _auc(errors: list[float]) -> float:
    """Gritta et al. (2018): area under the sorted, log-scaled error curve (0 best, 1 worst)."""
    if not errors:
        return 1.0
    scaled = sorted(math.log(e + 1) / math.log(MAX_ERROR_KM) for e in errors)
    if len(scaled) == 1:
        return scaled[0]
    area = sum((a + b) / 2 for a, b in zip(scaled, scaled[1:], strict=False))
    return area / (len(scaled) - 1)


def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="bench geo")
    ap.add_argument("--data", default="../shared/data/geo/GeoWebNews.xml")
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles")
    ap.add_argument("--min-population", type=int, default=None, help="cities500 (500) or cities1000 (1000)")
    ap.add_argument("--errors", default=None, help="write resolution errors (given gold spans) to this file")
    args = ap.parse_args(argv)

    from storyline.read.gazetteer import DEFAULT_MIN_POPULATION, distance_km, load_gazetteer
    from storyline.read.nlp import english
    from storyline.read.places import find_places

    docs = load(Path(args.data))
    if args.limit:
        docs = docs[: args.limit]
    t0 = time.perf_counter()
    gaz = load_gazetteer(args.min_population or DEFAULT_MIN_POPULATION)
    load_s = time.perf_counter() - t0
    nlp = english()

    tp = tp_overlap = n_pred = n_gold = lit_found = 0
    given_errors: list[float] = []  # per gold literal toponym (unresolved = MAX)
    e2e_correct = base_correct = n_lit = 0
    error_lines = []
    places_s = nlp_s = 0.0
    for doc in docs:
        gold = [t for t in doc.toponyms if t.type in LITERAL | ASSOCIATIVE]
        literal = [t for t in doc.toponyms if t.type in LITERAL and t.lat is not None]
        t = time.perf_counter()
        sdoc = nlp(doc.text)
        nlp_s += time.perf_counter() - t
        ner = [(e.start_char, e.end_char, e.label_) for e in sdoc.ents]
        sents = [(s.start_char, s.end_char) for s in sdoc.sents]

        # End to end.
        t = time.perf_counter()
        result = find_places(doc.text, "en", ner, sents, article_id=doc.id, gazetteer=gaz)
        places_s += time.perf_counter() - t
        pred = {(m.start, m.end): m for m in result.mentions}
        n_pred += len(pred)
        n_gold += len(gold)
        gold_spans = {(g.start, g.end) for g in gold}
        tp += len(gold_spans & set(pred))
        tp_overlap += sum(1 for s in pred if any(_overlaps(*s, *g) for g in gold_spans))
        for g in doc.toponyms:
            if g.type not in LITERAL:
                continue
            hits = [m for m in result.mentions if _overlaps(m.start, m.end, g.start, g.end)]
            lit_found += bool(hits)
            if g.lat is None:
                continue
            n_lit += 1
            place = next((result.places[m.place_id] for m in hits if m.place_id), None)
            if place and distance_km(place.lat, place.lon, g.lat, g.lon) <= ACCURACY_KM:
                e2e_correct += 1

        # Given the gold spans.
        gold_ner = [(g.start, g.end, "GPE") for g in gold]
        others = [s for s in ner if not any(_overlaps(s[0], s[1], g.start, g.end) for g in gold)]
        given = find_places(doc.text, "en", gold_ner + others, sents, article_id=doc.id, gazetteer=gaz)
        for g in literal:
            hits = [m for m in given.mentions if m.place_id and _overlaps(m.start, m.end, g.start, g.end)]
            place = given.places[hits[0].place_id] if hits else None
            err = distance_km(place.lat, place.lon, g.lat, g.lon) if place else MAX_ERROR_KM
            given_errors.append(err)
            cands = gaz.candidates(g.text)
            if cands and distance_km(cands[0].lat, cands[0].lon, g.lat, g.lon) <= ACCURACY_KM:
                base_correct += 1
            if err > ACCURACY_KM:
                where = f"{place.name} ({place.kind}, {place.country}, {place.id})" if place else "-"
                error_lines.append(f"{doc.id}\t{g.type}\t{g.text!r}\t{err:.0f} km\t{where}\tgold {g.lat},{g.lon}")

    p, r, f = _prf(tp, n_pred, n_gold)
    po, ro, fo = _prf(tp_overlap, n_pred, n_gold)
    n_given = len(given_errors)
    resolved = [e for e in given_errors if e < MAX_ERROR_KM]
    n_lit_all = sum(1 for d in docs for t in d.toponyms if t.type in LITERAL)
    if args.errors:
        Path(args.errors).write_text("\n".join(error_lines) + "\n")
    print(f"{len(docs)} articles; {n_gold} gold toponyms (literal + associative), {n_pred} detected; "
          f"{n_given} literal toponyms with coordinates; gazetteer {len(gaz)} entries ({gaz.sources['cities']}), "
          f"loaded in {load_s:.2f} s; spaCy {nlp_s:.1f} s, places {places_s:.1f} s")
    emit({
        "benchmark": "geo",
        "data": str(args.data),
        "articles": len(docs),
        "gazetteer": gaz.sources["cities"],
        "toponym_precision": round(p, 4),
        "toponym_recall": round(r, 4),
        "toponym_f1": round(f, 4),
        "toponym_precision_overlap": round(po, 4),
        "toponym_recall_overlap": round(ro, 4),
        "toponym_f1_overlap": round(fo, 4),
        "literal_recall": round(lit_found / n_lit_all, 4) if n_lit_all else 0.0,
        "acc_161km": round(sum(e <= ACCURACY_KM for e in given_errors) / n_given, 4) if n_given else 0.0,
        "acc_161km_end_to_end": round(e2e_correct / n_lit, 4) if n_lit else 0.0,
        "acc_161km_population_baseline": round(base_correct / n_given, 4) if n_given else 0.0,
        "resolved_given_gold": round(len(resolved) / n_given, 4) if n_given else 0.0,
        "mean_error_km": round(sum(resolved) / len(resolved), 1) if resolved else None,
        "median_error_km": round(sorted(resolved)[len(resolved) // 2], 1) if resolved else None,
        "auc": round(_auc(given_errors), 4),
        "articles_per_second": round(len(docs) / (nlp_s + places_s), 2) if docs else 0.0,
        "places_articles_per_second": round(len(docs) / places_s, 2) if places_s else 0.0,
        "gazetteer_load_s": round(load_s, 2),
        "peak_rss_mb": peak_rss_mb(),
    })
    return 0
