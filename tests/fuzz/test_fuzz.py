"""Fuzz targets: input formats from raw bytes, metadata of every JSON type, the time normaliser,
quantities, places and actors with random entity spans, and the web app's parameters and forms.

The properties: nothing escapes but the documented per-item error (``InputError`` with a
one-line reason); no call takes over 2 s (the hypothesis deadline); every offset points
inside the text. ``EXAMPLES`` counts the examples tried per target for the summary line.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.ingest import IngestOptions, iter_records
from storyline.ingest.metadata import EARLIEST_PUBLISHED, normalise
from storyline.ingest.readers import InputError, Record
from tests.conftest import FLOOD_REPORT, STRIKE_REPORT
from tests.fuzz import PROFILE

FUZZ = settings(settings.get_profile(PROFILE))
EXAMPLES: Counter[str] = Counter()
WORK = Path(tempfile.mkdtemp(prefix="storyline-fuzz-"))
# URLs in fuzzed inputs are never fetched: every host "resolves" to a private address and is refused
NO_NETWORK = IngestOptions(resolver=lambda host, port: ["10.255.255.1"], timeout=1, deadline=1)
LANGUAGES = ["en", "ru", "de", "fr", "es", "it", "pt", "tr", "az", "uk", "ar", "fa", "zh", "hy", "xx", None]

# -- strategies -----------------------------------------------------------------
any_char = st.characters(exclude_categories=())  # surrogates and controls included
any_text = st.text(any_char, max_size=40)
json_scalar = st.none() | st.booleans() | st.integers() | st.floats() | any_text
json_value = st.recursive(
    json_scalar, lambda kids: st.lists(kids, max_size=3) | st.dictionaries(any_text, kids, max_size=3), max_leaves=8
)
DATES = [
    "2020-13-45", "0000-01-01", "2020-02-30", "2020-11-09T10:00:00+25:00", "२०२०-११-०९", "-5", "1000-01-01",
    "9999-12-31", "Mon, 13 Jun 2022 09:00:00 GMT", "yesterday", "2020", "12/11/10", "2020-W53", "1e400", "",
]
date_like = st.sampled_from(DATES) | st.from_regex(r"-?[0-9]{1,5}-[0-9]{1,2}-[0-9]{1,2}(T[0-9]{2}:[0-9]{2}([+-][0-9]{2}:[0-9]{2}|Z)?)?", fullmatch=True)
FIELDS = ["text", "maintext", "title", "headline", "url", "published", "date", "date_publish", "pubDate",
          "language", "lang", "source", "source_domain", "publisher", "file"]
field_value = json_value | date_like
record = st.dictionaries(st.sampled_from(FIELDS) | any_text, field_value, max_size=6).map(
    lambda d: d if d.get("text") else d | {"text": "Talks in the capital ended on Monday with a deal."}
)
odd_urls = st.sampled_from([
    "http://news.example/a", "https://[::1]/x", "ftp://a.example/", "http://%00/", "javascript:alert(1)",
    "http://127.0.0.1:0/", "http://xn--nxasmq6b.example/", "https://user:pw@host.example:99999/", "# a comment", "",
])


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=True)  # lone surrogates travel as \ud800 escapes, as in real exports


def _encode(text: str, codec: str) -> bytes:
    return text.encode(codec, "surrogatepass") if codec != "latin-1" else text.encode(codec, "replace")


codecs = st.sampled_from(["utf-8", "utf-8", "utf-16", "latin-1"])
front_matter = st.lists(
    st.tuples(st.sampled_from(FIELDS) | any_text, any_text | date_like | st.sampled_from(["&a x", "*a", "[", "{a: *b}", "!!binary x", "!!python/object:os.system x"])),
    max_size=5,
).map(lambda pairs: "---\n" + "\n".join(f"{k}: {v}" for k, v in pairs) + "\n---\n")
text_file = st.tuples(st.just("") | front_matter, st.just("") | st.just("# Heading\n"), any_text | st.just(FLOOD_REPORT)).map("".join)
json_file = (st.lists(record, max_size=3).map(_dump) | record.map(_dump) | json_value.map(_dump)
             | st.lists(record.map(_dump) | any_text, min_size=2, max_size=4).map("\n".join))
html_file = st.tuples(any_text, date_like, any_text | st.just(STRIKE_REPORT)).map(
    lambda p: f"<html><head><title>{p[0]}</title><meta property='article:published_time' content='{p[1]}'>"
    f"</head><body><article><p>{p[2]}</p></article></body></html>"
)
feed_item = st.tuples(any_text, odd_urls, date_like, any_text | st.sampled_from(["<!-- c -->", "<?pi x?>", "<![CDATA[x]]>", STRIKE_REPORT]))
rss_file = st.lists(feed_item, max_size=3).map(
    lambda items: "<?xml version='1.0'?><rss version='2.0'><channel><title>T</title>"
    + "".join(f"<item><title>{t}</title><link>{u}</link><pubDate>{d}</pubDate><description>{b}</description></item>" for t, u, d, b in items)
    + "</channel></rss>"
)
atom_file = st.lists(feed_item, max_size=3).map(
    lambda items: "<feed xmlns='http://www.w3.org/2005/Atom'><title>T</title>"
    + "".join(f"<entry><title>{t}</title><id>{u}</id><link href='{u}'/><updated>{d}</updated><content type='html'>{b}</content></entry>" for t, u, d, b in items)
    + "</feed>"
)
url_list = st.lists(odd_urls | any_text, min_size=1, max_size=5).map("\n".join)


def _content(text_strategy: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    """Structured text in several encodings, or plain random bytes."""
    return st.tuples(text_strategy, codecs).map(lambda p: _encode(*p)) | st.binary(max_size=200)


# -- properties -------------------------------------------------------------------
def _check_items(items: list[Any]) -> None:
    """Every item a clean record or a one-line per-item error."""
    latest = datetime.now().year + 1
    for item in items:
        if isinstance(item, InputError):
            assert item.reason and "\n" not in item.reason and item.item, item
            continue
        assert isinstance(item, Record), item
        assert isinstance(item.text, str) and item.text.strip()
        for value in (item.text, item.title, item.url or "", item.source or "", item.language or ""):
            assert isinstance(value, str)
            value.encode("utf-8")  # storable: no lone surrogates left
        assert item.published is None or EARLIEST_PUBLISHED.year <= item.published.year <= latest
        json.dumps(item.meta)
        assert all("\n" not in w for w in item.warnings)


def _read(name: str, data: bytes) -> None:
    folder = Path(tempfile.mkdtemp(dir=WORK))
    path = folder / name
    path.write_bytes(data)
    _check_items(list(iter_records([str(path)], NO_NETWORK)))


# -- input formats from raw bytes --------------------------------------------------
@FUZZ
@given(_content(text_file), st.sampled_from(["a.txt", "a.md"]))
def test_text_and_markdown(data, name):
    EXAMPLES["text/markdown"] += 1
    _read(name, data)


@FUZZ
@given(_content(json_file), st.sampled_from(["a.json", "a.jsonl"]))
def test_json_and_jsonl(data, name):
    EXAMPLES["json/jsonl"] += 1
    _read(name, data)


@FUZZ
@given(_content(html_file))
def test_html(data):
    EXAMPLES["html"] += 1
    _read("a.html", data)


@FUZZ
@given(_content(rss_file | atom_file), st.sampled_from(["a.rss", "a.atom", "a.xml"]))
def test_feeds(data, name):
    EXAMPLES["rss/atom"] += 1
    _read(name, data)


@FUZZ
@given(_content(url_list))
def test_url_lists(data):
    EXAMPLES["url lists"] += 1
    _read("urls.txt", data)


@FUZZ
@given(
    st.lists(record.map(lambda r: r | {"file": "a.txt"}).map(_dump) | any_text, max_size=4).map("\n".join).map(
        lambda t: _encode(t, "utf-8")
    )
    | st.binary(max_size=200)
)
def test_folder_metadata_jsonl(data):
    EXAMPLES["metadata.jsonl"] += 1
    folder = Path(tempfile.mkdtemp(dir=WORK))
    (folder / "a.txt").write_text(FLOOD_REPORT)
    (folder / "metadata.jsonl").write_bytes(data)
    items = list(iter_records([str(folder)], NO_NETWORK))
    _check_items(items)
    assert any(isinstance(i, Record) for i in items)  # a bad metadata file never costs the articles


# -- metadata fields of every JSON type, stored end to end -------------------------------
@cache
def _store() -> Any:
    import storyline

    return storyline.open(WORK / "metadata.db")


@FUZZ
@given(st.lists(record, min_size=1, max_size=4))
def test_metadata_fields_of_every_json_type(records):
    EXAMPLES["metadata fields"] += 1
    for raw in records:
        item = Record(text=str(raw.get("text")), origin="fuzz", title=raw.get("title"), url=raw.get("url"),
                      source=raw.get("source"), language=raw.get("language"), published=raw.get("published"),
                      meta={k: v for k, v in raw.items() if k not in FIELDS})
        if not item.text.strip():
            continue
        item.warnings = normalise(item)
        _check_items([item])
    path = Path(tempfile.mkdtemp(dir=WORK)) / "r.jsonl"
    path.write_text("\n".join(_dump(r) for r in records))
    report = _store().ingest([path])
    assert all("\n" not in reason for _, reason in report.failed + report.warnings)


# -- the time normaliser --------------------------------------------------------------
TIME_WORDS = ["on", "Monday", "last", "week", "next", "year", "ago", "3", "days", "since", "December", "1", "2020", "12", "the", "1990s", "early", "late", "mid", "quarter", "tonight", "yesterday", "at", "14:30", "BST", "3rd", "of", "-", "/", "to", "until", "between", "and", "в", "понедельник", "декабря", "2020", "года", "прошлой", "неделе", "1", "am", "Montag", "März", "lundi", "décembre", "lunes", "diciembre", "2020年12月1日", "星期一", "dün", "dekabr"]


def adversarial(words: list[str]) -> st.SearchStrategy[str]:
    """Up to ~10 kB of one word, or of a few words, repeated: the inputs that expose super-linear readers."""
    piece = st.lists(st.sampled_from(words) | any_text.filter(bool), min_size=1, max_size=3).map(" ".join)
    return st.tuples(piece, st.integers(50, 1500)).map(lambda p: " ".join([p[0]] * p[1])[:10_000])


def reader_texts(words: list[str], max_words: int = 25) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(words) | any_text, max_size=max_words).map(" ".join) | adversarial(words)


texts = reader_texts(TIME_WORDS)


@FUZZ
@given(texts, st.none() | st.dates(date(1, 1, 1), date(9999, 12, 31)), st.sampled_from(LANGUAGES))
def test_time_normaliser(text, anchor, language):
    from storyline.read.time import find_timexes, infer_anchor

    EXAMPLES["time normaliser"] += 1
    for timex in find_timexes(text, anchor, language):
        assert 0 <= timex.start < timex.end <= len(text) and text[timex.start : timex.end] == timex.text
    infer_anchor(text, language)


# -- quantities, places and actors with random entity spans ----------------------------
QUANTITY_WORDS = ["about", "1,200", "people", "3.5", "million", "dollars", "$40", "bn", "km", "at", "least", "dozens", "of", "hundreds", "killed", "two-thirds", "half", "10–12", "ships", "more", "than", "40", "%", "tonnes", "около", "300", "человек", "тысяч", "двух", "1", "000", "000", "euros"]
PLACE_WORDS = ["Paris", "Berlin", "river", "Lake", "North", "West", "Upper", "Saint", "Port", "region", "district", "of", "the", "in", "near", "Москва", "Київ", "New", "York", "City", "Valley", "Mountain", "Georgia", "Washington", "Amazon"]
quantity_texts = reader_texts(QUANTITY_WORDS)
entity_texts = reader_texts(PLACE_WORDS, 30).filter(bool)
LABELS = ["GPE", "LOC", "FAC", "ORG", "NORP", "PERSON", "PER", "MISC", ""]


@st.composite
def text_with_spans(draw: Any) -> tuple[str, list[tuple[int, int, str]], list[tuple[int, int]] | None]:
    text = draw(entity_texts)
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=8)))
    spans = [(a, b, draw(st.sampled_from(LABELS))) for a, b in zip(cuts, cuts[1:], strict=False) if a < b]
    bounds = sorted({0, len(text), *draw(st.lists(st.integers(0, len(text)), max_size=3))})
    sentences = draw(st.none() | st.just([(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if a < b]))
    return text, spans, sentences


@FUZZ
@given(quantity_texts, st.sampled_from(LANGUAGES))
def test_quantities(text, language):
    from storyline.read.quantities import find_quantities

    EXAMPLES["quantities"] += 1
    for quantity in find_quantities(text, language):
        assert 0 <= quantity.start < quantity.end <= len(text) and text[quantity.start : quantity.end] == quantity.text


@FUZZ
@given(text_with_spans(), st.sampled_from(LANGUAGES))
def test_places(case, language):
    from storyline.read.places import find_places

    EXAMPLES["places"] += 1
    text, spans, sentences = case
    result = find_places(text, language, spans, sentences, article_id="fuzz")
    for mention in result.mentions:
        assert 0 <= mention.start < mention.end <= len(text) and text[mention.start : mention.end] == mention.text
    for alias in result.aliases:
        if alias.start is not None:
            assert 0 <= alias.start < alias.end <= len(text)


@FUZZ
@given(text_with_spans(), st.sampled_from(LANGUAGES), st.sets(st.sampled_from(PLACE_WORDS).map(str.lower), max_size=3))
def test_actors(case, language, place_names):
    from storyline.read.actors import find_actors

    EXAMPLES["actors"] += 1
    text, spans, _ = case
    for mention in find_actors(text, language, spans, place_names):
        assert 0 <= mention.start < mention.end <= len(text) and text[mention.start : mention.end] == mention.text


# -- the web app's query parameters and form posts ----------------------------------------
@cache
def _client() -> Any:
    from fastapi.testclient import TestClient

    import storyline
    from storyline.models import Story
    from storyline.web import create_app

    path = WORK / "web.db"
    (WORK / "web").mkdir()
    (WORK / "web" / "a.md").write_text(f"---\ntitle: Flood\nsource: Herald\npublished: 2024-03-03\n---\n{FLOOD_REPORT}")
    (WORK / "web" / "b.md").write_text(f"---\ntitle: Strike\nsource: Weekly\npublished: 2024-03-04\n---\n{STRIKE_REPORT}")
    with storyline.open(path) as db:
        report = db.ingest([WORK / "web"])
        stories = [Story(id=f"s{i}", title=f"story {i}", article_ids=[a], start="2024-03-03", end="2024-03-04", facts=[])
                   for i, a in enumerate(report.added)]
        with db.store.transaction():
            db.store.set_story_assignment({s.article_ids[0]: s.id for s in stories})
            db.store.save_stories(stories, replace_all=True)
    client = TestClient(create_app(path), base_url="http://127.0.0.1")
    client.get("/")  # the CSRF cookie
    return client


PARAMS = ["q", "place", "source", "language", "from", "to", "conflicts", "sort", "page", "per_page", "fact", "mark", "next"]
param_value = any_text | st.integers(-(2**70), 2**70).map(str) | st.sampled_from(["2024-03-03", "size", "recent", "true", "%00", '"', "*", "NEAR(", "s0"])
PATHS = ["/", "/api/stories", "/stories/{}", "/api/stories/{}", "/articles/{}", "/api/articles/{}", "/places/{}",
         "/api/places/{}", "/history", "/api/decisions", "/stories/{}/facts/{}"]


def _safe_path(text: str) -> str:
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


@FUZZ
@given(st.sampled_from(PATHS), any_text | st.sampled_from(["s0", "..", "%2e%2e"]),
       st.dictionaries(st.sampled_from(PARAMS), param_value, max_size=5))
def test_web_query_parameters(path, segment, params):
    EXAMPLES["web queries"] += 1
    url = path.replace("{}", _safe_path(segment) or "x")
    query = "&".join(f"{quote(k)}={_safe_path(v)}" for k, v in params.items())
    response = _client().get(f"{url}?{query}" if query else url, follow_redirects=False)
    assert response.status_code < 500, (url, query, response.status_code)


@FUZZ
@given(st.dictionaries(st.sampled_from(["kind", "target", "value", "author", "note", "next", "csrf_token"]) | any_text,
                       param_value, max_size=7), st.booleans())
def test_web_form_posts(fields, with_token):
    EXAMPLES["web forms"] += 1
    client = _client()
    if with_token:
        fields = fields | {"csrf_token": client.cookies.get("storyline_csrf", "")}
    data = {k.encode("utf-8", "surrogatepass").decode("utf-8", "replace"): v.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
            for k, v in fields.items()}
    response = client.post("/decisions", data=data, headers={"Origin": "http://127.0.0.1"}, follow_redirects=False)
    assert response.status_code < 500, (fields, response.status_code, response.text[:200])


TARGETS = [
    test_text_and_markdown, test_json_and_jsonl, test_html, test_feeds, test_url_lists, test_folder_metadata_jsonl,
    test_metadata_fields_of_every_json_type, test_time_normaliser, test_quantities, test_places, test_actors,
    test_web_query_parameters, test_web_form_posts,
]


def warm_up() -> None:
    """Load the models and tables once, so that no example pays for it against the 2 s deadline."""
    from storyline.ingest import detect_language
    from storyline.read.places import find_places
    from storyline.read.quantities import find_quantities
    from storyline.read.time import find_timexes

    detect_language(FLOOD_REPORT)
    find_places(FLOOD_REPORT, "en", [])
    find_places("Troops left Wrabrook Washington for the north.", "fr", [(12, 29, "LOC")])  # the spelling index
    for language in LANGUAGES:
        find_quantities(FLOOD_REPORT, language)
    for language in LANGUAGES:
        find_timexes("on Monday, 3 December 2020", date(2020, 12, 1), language)
    _read("a.html", b"<html><body><p>" + FLOOD_REPORT.encode() + b"</p></body></html>")
    _read("b.html", b"<html><head><meta property='article:published_time' content='2020-13-45'></head><body><p></p></body></html>")
    _read("a.rss", b"<rss><channel><item><description>x</description></item></channel></rss>")
    _client()
