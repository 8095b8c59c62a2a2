"""The analyst's desk: server-rendered pages and a JSON API over one storyline database.

    from storyline.web import create_app
    app = create_app("news.db")      # then: uvicorn, or `storyline serve --db news.db`

Pages are rendered with Jinja2 (autoescaped) from the same stories.json
records the API returns. Whatever is expensive (the index of stories, a
story's document, a rendered page) is cached until the database changes:
SQLite's ``data_version``, read on a connection that never writes, moves
whenever anyone commits (this app's decisions, or an analysis running in
another process).
"""

from __future__ import annotations

import json
import re
import secrets
import sys
from collections import Counter, OrderedDict
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, unquote, urlencode

import anyio
from fastapi import FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import escape

import storyline
from storyline.models import Decision, to_dict
from storyline.report.document import article_record, build_document, place_records
from storyline.store import SEARCH_WINDOW, StoreBusy, StoreError
from storyline.text import fold
from storyline.web import changes, schema, views
from storyline.web.security import (
    AUTHOR_COOKIE,
    CSRF_COOKIE,
    CSRF_FIELD,
    LOOPBACK_HOSTS,
    Guard,
    cross_site_reason,
    csrf_token,
    set_cookie,
)

HERE = Path(__file__).resolve().parent
CACHE_BYTES = (
    128 * 1024 * 1024
)  # pages and documents kept per database version; a story page is 20 KB to 1 MB
OBJECT_BYTES = 256 * 1024  # what a cached document or index is counted as: its JSON is about this size
MAX_QUERY = 200  # characters of a search
MAX_FIELD = 100  # characters of a filter value
MAX_PER_PAGE = 100
MAX_PAGE = 10_000
MAX_MARKS = 20  # highlighted passages in one article view
MAX_NOTE = 1000
MAX_AUTHOR = 80
HEADLINE_OPENING = 400  # characters of each text the stories index reads, for headlines of untitled reports
# A decision waits this long for another process's write lock, then the answer is 503 with
# Retry-After (nothing saved), well before a browser or proxy would give up on the request.
WEB_BUSY_TIMEOUT = 10.0
RETRY_AFTER_BUSY = 5  # seconds
RETRY_AFTER_UNAVAILABLE = 30
MARK_PATTERN = r"^\d{1,7}-\d{1,7}$"
DAY_PATTERN = r"^(\d{4}-\d{2}-\d{2})?$"  # empty: no bound (what a blank date field submits)


@dataclass
class Index:
    """Everything the stories page filters on, built once per database version."""

    cards: list[views.StoryCard]
    card_text: views.CardText  # what a text search selects among the cards
    titles: dict[str, str]  # story id -> title, for every story
    articles: dict[str, dict[str, Any]]  # article records (without copies) by id
    places: list[dict[str, Any]]  # place records, alias decisions applied
    place_names: dict[str, str]
    headlines: dict[str, str]  # article id -> its title, or its opening words
    story_of_article: dict[str, str]
    story_of_fact: dict[str, str]
    sources: list[str]
    languages: list[str]


# The database version seen by the current request: pages ask for it several times.
_request_version: ContextVar[Any] = ContextVar("request_version", default=None)


class Desk:
    """The app's state: the database, its version, and the caches keyed by it."""

    def __init__(self, db_path: str | Path, busy_timeout: float = WEB_BUSY_TIMEOUT):
        self.path = str(db_path)
        self.busy_timeout = busy_timeout
        self.db = storyline.open(self.path, busy_timeout=busy_timeout, create=False)
        self.watcher = self.db.store.watch_changes()
        self.cache: OrderedDict[Any, tuple[Any, int]] = (
            OrderedDict()
        )  # key -> (value, bytes), least recent first
        self.cache_bytes = 0
        self.cache_version: int | None = None
        self.marks = {name: f"\x1a{secrets.token_hex(8)}{name}\x1a" for name in ("csrf", "author", "changes")}
        self.templates = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(["html"], default=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.templates.globals.update(
            # placeholders, replaced per browser after rendering, so that pages can be cached
            csrf=self.marks["csrf"],
            author=self.marks["author"],
            changes=self.marks["changes"],
            csrf_field=CSRF_FIELD,
            cell_text=views.CELL_TEXT,
            statuses=views.STATUSES,
            published_label=views.published_label,
            when_label=views.when_label,
            timeline_width=views.TIMELINE_WIDTH,
        )
        self.templates.filters["query"] = lambda params, **change: query_string(params, **change)

    def close(self) -> None:
        self.watcher.close()
        self.db.close()

    # -- caching ------------------------------------------------------------
    def version(self) -> Any:
        """The database's version, asked once per request (each request runs in its own context).

        Raises when the database was deleted or replaced: never stale pages.
        """
        version = _request_version.get()
        if version is None:
            version = self.watcher.version()
            _request_version.set(version)
        return version

    def cached(self, key: Any, build: Callable[[], Any]) -> Any:
        version = self.version()
        if version != self.cache_version:
            self.cache.clear()
            self.cache_bytes = 0
            self.cache_version = version
        if key in self.cache:
            self.cache.move_to_end(key)
            return self.cache[key][0]
        value = build()
        size = len(value) if isinstance(value, (str, bytes)) else OBJECT_BYTES
        self.cache[key] = (value, size)
        self.cache_bytes += size
        while self.cache_bytes > CACHE_BYTES and len(self.cache) > 1:
            self.cache_bytes -= self.cache.popitem(last=False)[1][1]
        return value

    # -- data -------------------------------------------------------------------
    def index(self) -> Index:
        return self.cached("index", self._build_index)

    def _build_index(self) -> Index:
        store = self.db.store
        records = store.story_cards()
        stored = store.articles(opening=HEADLINE_OPENING)
        articles = {a.id: article_record(a) for a in stored}
        places = place_records(store)
        place_names = {p["id"]: p["name"] for p in places}
        article_places = store.article_place_ids()
        cards = [views.story_card(r, articles, article_places, place_names) for r in records]
        return Index(
            cards=cards,
            card_text=views.CardText(cards),
            titles={r["id"]: r["title"] for r in records},
            articles=articles,
            places=places,
            place_names=place_names,
            headlines={a.id: views.headline(a.title, a.text) for a in stored},
            story_of_article={a: r["id"] for r in records for a in r["article_ids"]},
            story_of_fact={f: r["id"] for r in records for f in r["fact_ids"]},
            sources=sorted({a["source"] for a in articles.values() if a["source"]}, key=str.casefold),
            languages=sorted({a["language"] for a in articles.values() if a["language"]}),
        )

    def story_id(self, story_id: str) -> str:
        """The full id of a story (a unique prefix will do), or 404."""
        index = self.index()
        if story_id in index.titles:
            return story_id
        found = [s for s in index.titles if s.startswith(story_id)] if len(story_id) >= 4 else []
        if len(found) != 1:
            raise HTTPException(404, f"no story {story_id!r}")
        return found[0]

    def document(self, story_id: str) -> dict[str, Any]:
        """The stories.json document of one story: the story, its articles and places."""
        return self.cached(("document", story_id), lambda: build_document(self.db.store, [story_id]))

    def story(self, story_id: str) -> dict[str, Any] | None:
        """One story's stories.json record with its facts, or None (read when asked, then cached)."""
        if story_id not in self.index().titles:
            return None
        stories = self.document(story_id)["stories"]
        return stories[0] if stories else None

    def latest_decisions(self, kind: str) -> dict[str, Decision]:
        """target -> the latest decision on it (later decisions override earlier ones)."""

        def build() -> dict[str, Decision]:
            return {d.target: d for d in self.db.decisions(kind)}

        return self.cached(("decisions", kind), build)

    # -- rendering ------------------------------------------------------------------
    def render(self, name: str, **context: Any) -> str:
        return self.templates.get_template(name).render(**context)

    def page(
        self, request: Request, key: Any, name: str, context: Callable[[], dict[str, Any]]
    ) -> HTMLResponse:
        """A cached page, with this browser's form token and author filled in."""
        html = self.cached(("page", name, key), lambda: self.render(name, **context()))
        return self.personal(request, html)

    def personal(self, request: Request, html: str, status: int = 200) -> HTMLResponse:
        token, new = csrf_token(request)
        author = unquote(request.cookies.get(AUTHOR_COOKIE, ""))[:MAX_AUTHOR]
        html = html.replace(self.marks["csrf"], token).replace(self.marks["author"], str(escape(author)))
        since, visit_cookies = changes.visit_window(request, datetime.now(UTC))
        news = self.cached(("changes", since), lambda: self.db.changes(since)) if since else None
        path = request.url.path
        story = self.story(path.removeprefix("/stories/")) if news and path.startswith("/stories/") else None
        html = html.replace(self.marks["changes"], changes.banner(news, self.index().titles, story) if news else "")
        response = HTMLResponse(html, status)
        if new:
            set_cookie(response, CSRF_COOKIE, token)
        for name, value in visit_cookies.items():
            set_cookie(response, name, value)
        return response

    def json(self, key: Any, build: Callable[[], Any]) -> Response:
        body = self.cached(("json", key), lambda: json.dumps(build(), ensure_ascii=False).encode())
        return Response(body, media_type="application/json")


def query_string(params: dict[str, Any], **change: Any) -> str:
    """The query string of the current filters with some changed (empty values dropped)."""
    merged = {**params, **change}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "", False)})


def safe_next(target: str | None, default: str = "/") -> str:
    """Only redirect to a path on this site."""
    if (
        not target
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or len(target) > 500
    ):
        return default
    return target


def day(value: str) -> date | None:
    """A date filter: empty for none; a 400 for a day not on the calendar."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError as error:
        raise HTTPException(400, f"not a calendar day: {value!r}") from error


def parse_marks(values: list[str]) -> list[tuple[int, int]]:
    marks = []
    for value in values:
        start, end = (int(x) for x in value.split("-"))
        if start < end:
            marks.append((start, end))
    return marks


# -- the app ------------------------------------------------------------------------------
def create_app(
    db_path: str | Path = "storyline.db",
    *,
    allowed_hosts: list[str] | None = None,
    busy_timeout: float = WEB_BUSY_TIMEOUT,
) -> FastAPI:
    """The web app over a database file or URL. ``allowed_hosts``: names the browser may use (default: loopback).

    ``busy_timeout``: seconds a decision waits for another writer before the answer is 503.
    """
    desk = Desk(db_path, busy_timeout)
    app = FastAPI(
        title="storyline",
        version=storyline.__version__,
        summary="Stories, sourced facts and analyst decisions over a storyline database.",
        docs_url=None,  # the interactive docs load scripts from a CDN; the schema is at /openapi.json
        redoc_url=None,
    )
    app.state.desk = desk
    app.add_middleware(Guard, allowed_hosts=list(LOOPBACK_HOSTS) + (allowed_hosts or []))
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.router.add_event_handler("shutdown", desk.close)
    install_error_handlers(app, desk)

    # -- pages --------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def stories_page(
        request: Request,
        q: Annotated[str, Query(max_length=MAX_QUERY)] = "",
        place: Annotated[str, Query(max_length=MAX_FIELD)] = "",
        source: Annotated[str, Query(max_length=MAX_FIELD)] = "",
        language: Annotated[str, Query(max_length=20)] = "",
        date_from: Annotated[str, Query(alias="from", pattern=DAY_PATTERN, description="YYYY-MM-DD")] = "",
        date_to: Annotated[str, Query(alias="to", pattern=DAY_PATTERN, description="YYYY-MM-DD")] = "",
        conflicts: bool = False,
        sort: Annotated[str, Query(pattern="^(size|recent)$")] = "size",
        page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
        per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 20,
    ) -> HTMLResponse:
        flt = views.StoryFilter(
            q.strip(), place.strip(), source.strip(), language, day(date_from), day(date_to), conflicts, sort
        )

        def context() -> dict[str, Any]:
            index = desk.index()
            cards, capped = filter_stories(desk, flt)
            params = {
                "q": flt.q,
                "place": flt.place,
                "source": flt.source,
                "language": language,
                "from": date_from,
                "to": date_to,
                "conflicts": "1" if conflicts else "",
                "sort": sort,
                "per_page": per_page if per_page != 20 else "",
            }
            pages = max(1, -(-len(cards) // per_page))
            return {
                "title": "Stories",
                "cards": cards[(page - 1) * per_page : page * per_page],
                "total": len(cards),
                "search_window": SEARCH_WINDOW if capped else 0,
                "all_stories": len(index.cards),
                "articles": len(index.articles),
                "page": page,
                "pages": pages,
                "params": params,
                "filters": flt,
                "language_options": index.languages,
                "source_options": index.sources[:500],
                "place_options": [p["name"] for p in index.places[:300]],
            }

        return desk.page(request, str(request.query_params), "stories.html", context)

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    async def story_page(
        request: Request,
        story_id: Annotated[str, PathParam(max_length=MAX_FIELD)],
        fact: Annotated[str, Query(max_length=MAX_FIELD)] = "",
    ) -> HTMLResponse:
        sid = desk.story_id(story_id)
        return desk.page(request, (sid, fact), "story.html", lambda: story_context(desk, sid, fact))

    @app.get("/stories/{story_id}/facts/{fact_id}", response_class=HTMLResponse, include_in_schema=False)
    async def fact_panel(request: Request, story_id: str, fact_id: str) -> HTMLResponse:
        """The evidence of one fact, as a fragment the story page swaps in."""
        sid = desk.story_id(story_id[:MAX_FIELD])

        def context() -> dict[str, Any]:
            ctx = story_context(desk, sid, fact_id[:MAX_FIELD])
            if ctx["selected"] is None:
                raise HTTPException(404, f"no fact {fact_id!r} in story {sid}")
            return ctx

        return desk.page(request, (sid, fact_id), "fact_panel.html", context)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    async def article_page(
        request: Request,
        article_id: str,
        mark: Annotated[list[str], Query(max_length=MAX_MARKS)] = [],  # noqa: B006 - FastAPI reads the default
    ) -> HTMLResponse:
        for value in mark:
            if not re.match(MARK_PATTERN, value):
                raise HTTPException(400, "mark must look like START-END (character offsets)")
        article = desk.db.article(article_id[:MAX_FIELD])
        if article is None:
            raise HTTPException(404, f"no article {article_id!r}")
        marks = parse_marks(mark)
        return desk.page(
            request,
            (article.id, tuple(marks)),
            "article.html",
            lambda: article_context(desk, article.id, marks),
        )

    @app.get("/places/{place_id}", response_class=HTMLResponse, include_in_schema=False)
    async def place_page(request: Request, place_id: str) -> HTMLResponse:
        detail = place_detail(desk, place_id[:MAX_FIELD])
        return desk.page(request, place_id, "place.html", lambda: place_context(desk, detail))

    @app.get("/history", response_class=HTMLResponse, include_in_schema=False)
    async def history_page(request: Request) -> HTMLResponse:
        def context() -> dict[str, Any]:
            rows = [decision_row(desk, d) for d in reversed(desk.db.decisions())]
            return {"title": "Decision history", "rows": rows}

        return desk.page(request, "history", "history.html", context)

    # -- decisions ---------------------------------------------------------------
    @app.post("/decisions", include_in_schema=False)
    async def decide(request: Request) -> Response:
        form = await request.form()
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        reason = cross_site_reason(request, fields.get(CSRF_FIELD))
        if reason:
            raise HTTPException(403, reason)
        kind = fields.get("kind", "")
        target = fields.get("target", "")[:300]
        value = fields.get("value", "")[:300]
        author = " ".join(fields.get("author", "").split())[:MAX_AUTHOR]
        note = fields.get("note", "").strip()[:MAX_NOTE]
        if not author:
            raise HTTPException(400, "a decision needs an author: type your name")
        check_decision(desk, kind, target, value)

        def record() -> Decision:
            # its own connection, in a worker thread: re-deriving the stories may take a while,
            # and the pages keep being served meanwhile (they see the change when it commits)
            desk.db.store.verify()  # a decision goes only into the database this server shows
            with storyline.open(desk.path, busy_timeout=desk.busy_timeout, create=False) as db:
                return db.decide(kind, target, value, author, note)

        try:
            await anyio.to_thread.run_sync(record)
        except ValueError as error:
            raise HTTPException(400, str(error)) from error
        fallback = f"/stories/{value}" if kind == "merge_stories" else "/history"
        response = RedirectResponse(safe_next(fields.get("next"), fallback), status_code=303)
        set_cookie(response, AUTHOR_COOKIE, quote(author))
        return response

    # -- JSON API ------------------------------------------------------------------
    @app.get("/api/stories", responses={200: {"model": schema.StoryPage}}, tags=["stories"])
    async def api_stories(
        q: Annotated[str, Query(max_length=MAX_QUERY, description="full-text search")] = "",
        place: Annotated[str, Query(max_length=MAX_FIELD, description="place id or any name seen")] = "",
        source: Annotated[str, Query(max_length=MAX_FIELD)] = "",
        language: Annotated[str, Query(max_length=20)] = "",
        date_from: Annotated[str, Query(alias="from", pattern=DAY_PATTERN, description="YYYY-MM-DD")] = "",
        date_to: Annotated[str, Query(alias="to", pattern=DAY_PATTERN, description="YYYY-MM-DD")] = "",
        conflicts: Annotated[bool, Query(description="only stories with a conflict not dismissed")] = False,
        sort: Annotated[str, Query(pattern="^(size|recent)$")] = "size",
        page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
        per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 20,
    ) -> Response:
        """Stories (with their facts) matching the filters, one page at a time."""
        flt = views.StoryFilter(
            q.strip(), place.strip(), source.strip(), language, day(date_from), day(date_to), conflicts, sort
        )

        def build() -> dict[str, Any]:
            cards, _ = filter_stories(desk, flt)
            chosen = cards[(page - 1) * per_page : page * per_page]
            return {
                "total": len(cards),
                "page": page,
                "per_page": per_page,
                "stories": [desk.story(c.id) for c in chosen],
            }

        return desk.json(("stories", flt, page, per_page), build)

    @app.get(
        "/api/stories/{story_id}",
        responses={200: {"model": schema.Document}, 404: {"model": schema.Problem}},
        tags=["stories"],
    )
    async def api_story(story_id: str) -> Response:
        """The stories.json document of one story: the story with its facts, its articles and places."""
        sid = desk.story_id(story_id[:MAX_FIELD])
        return desk.json(("story", sid), lambda: desk.document(sid))

    @app.get(
        "/api/articles/{article_id}",
        responses={200: {"model": schema.AnnotatedArticle}, 404: {"model": schema.Problem}},
        tags=["articles"],
    )
    async def api_article(article_id: str) -> Response:
        """One article: its record, text, annotations (character offsets) and the stories it is in."""
        article = desk.db.article(article_id[:MAX_FIELD])
        if article is None:
            raise HTTPException(404, f"no article {article_id!r}")

        def build() -> dict[str, Any]:
            index = desk.index()
            annotations = desk.db.annotations(article.id)
            story = index.story_of_article.get(article.id)
            return article_record(article, desk.db.store) | {
                "text": article.text,
                "annotations": to_dict(annotations) if annotations else None,
                "stories": [story] if story else [],
            }

        return desk.json(("article", article.id), build)

    @app.get(
        "/api/places/{place_id}",
        responses={200: {"model": schema.PlaceDetail}, 404: {"model": schema.Problem}},
        tags=["places"],
    )
    async def api_place(place_id: str) -> Response:
        """One place: every name seen with its provenance, and the stories and articles that mention it."""
        detail = place_detail(desk, place_id[:MAX_FIELD])
        return desk.json(("place", place_id), lambda: detail)

    @app.get("/api/decisions", responses={200: {"model": list[schema.DecisionRecord]}}, tags=["decisions"])
    async def api_decisions(
        kind: Annotated[str, Query(pattern="^(conflict|merge_stories|move_article|alias)?$")] = "",
    ) -> Response:
        """Every analyst decision, oldest first, with author and time."""
        return desk.json(("decisions", kind), lambda: to_dict(desk.db.decisions(kind or None)))

    return app


# -- page contexts ------------------------------------------------------------------------
def filter_stories(desk: Desk, flt: views.StoryFilter) -> tuple[list[views.StoryCard], bool]:
    """The matching story cards, and whether the text search stopped at its window of newest reports."""
    index = desk.index()
    cards, capped = index.cards, False
    if flt.q:
        found = desk.db.store.matching_articles(flt.q, SEARCH_WINDOW)
        hits = {index.story_of_article[a] for a in found if a in index.story_of_article}
        cards, capped = index.card_text.select(hits, fold(flt.q)), len(found) >= SEARCH_WINDOW
    return views.filter_cards(cards, flt, index.places), capped


def story_context(desk: Desk, story_id: str, fact_id: str = "") -> dict[str, Any]:
    doc = desk.document(story_id)
    story = doc["stories"][0]
    articles = {a["id"]: a for a in doc["articles"]}
    columns = sorted(
        (articles[a] for a in story["articles"] if a in articles),
        key=lambda a: (a["published"] is None, a["published"] or "", a["source"] or ""),
    )
    column_ids = [a["id"] for a in columns]
    facts = story["facts"]
    line = views.timeline(facts)
    ordered = [r.fact for r in line.rows] + line.undated + line.background
    fact_places = {p for f in facts for p in f["where"]}
    map_places = [p for p in doc["places"] if p["id"] in fact_places] or doc["places"]
    selected = next((f for f in facts if f["id"] == fact_id), None) if fact_id else None
    decisions = desk.latest_decisions("conflict")
    index = desk.index()
    return {
        "title": story["title"] or "Story",
        "story": story,
        "columns": columns,
        "sources": len({a["source"] or a["id"] for a in columns if not a["duplicate_of"]}),
        "timeline": line,
        "matrix": [(f, views.fact_cells(f, column_ids)) for f in ordered],
        "map": views.map_view(map_places, Counter(p for f in facts for p in f["where"])),
        "map_places": map_places,
        "counts": {s: sum(1 for f in facts if f["status"] == s) for s in views.STATUSES},
        "open_conflicts": sum(1 for f in facts if views.open_conflicts(f)),
        "selected": selected,
        "evidence": evidence_blocks(desk, selected) if selected else [],
        "decisions": decisions,
        "place_names": {p["id"]: p["name"] for p in doc["places"]} | index.place_names,
        "other_stories": [c for c in index.cards if c.id != story_id][:200],
        "articles": articles,
        "headlines": index.headlines,
    }


def evidence_blocks(desk: Desk, fact: dict[str, Any]) -> list[dict[str, Any]]:
    """Per cited article: the paragraphs around the cited passages, the passages highlighted."""
    by_article: dict[str, list[dict[str, Any]]] = {}
    for item in fact["evidence"]:
        by_article.setdefault(item["article"], []).append(item)
    blocks = []
    for article_id, items in by_article.items():
        article = desk.db.article(article_id)
        if article is None:
            blocks.append({"article": None, "article_id": article_id, "items": items, "paragraphs": []})
            continue
        text = article.text
        marks = [(e["start"], e["end"]) for e in items]
        windows = [views.evidence_window(text, s, e) for s, e in marks]
        window = (min(w[0] for w in windows), max(w[1] for w in windows))
        blocks.append(
            {
                "article": article_record(article),
                "headline": views.headline(article.title, article.text),
                "article_id": article_id,
                "items": items,
                "valid": all(text[e["start"] : e["end"]] == e["text"] for e in items),
                "paragraphs": views.pieces(text, [], marks, window),
                "link": f"/articles/{article_id}?"
                + urlencode([("mark", f"{s}-{e}") for s, e in marks])
                + "#mark-0",
            }
        )
    return blocks


def article_context(desk: Desk, article_id: str, marks: list[tuple[int, int]]) -> dict[str, Any]:
    store = desk.db.store
    article = store.article(article_id)
    assert article is not None
    annotations = store.annotations(article.id)
    index = desk.index()
    names = dict(index.place_names)
    for mention in annotations.places if annotations else []:
        if mention.place_id and mention.place_id not in names:
            place = store.place(mention.place_id)
            names[mention.place_id] = place.name if place else mention.place_id
    story_id = index.story_of_article.get(article.id)
    kinds = {"place": 0, "time": 0, "quantity": 0, "actor": 0}
    spans = views.annotation_spans(annotations, names)
    for span in spans:
        kinds[span[2]] += 1
    return {
        "title": views.headline(article.title, article.text),
        "article": article_record(article, store),
        "text_paragraphs": views.pieces(article.text, spans, marks),
        "marks": marks,
        "kinds": kinds,
        "read": annotations is not None,
        "anchor": annotations.anchor if annotations else None,
        "story": desk.story(story_id) if story_id else None,
        "near_duplicates": [a.id for a in store.near_duplicates_of(article.id)],
        "places": sorted(
            {m.place_id for m in (annotations.places if annotations else []) if m.place_id},
            key=lambda p: names.get(p, p),
        ),
        "place_names": names,
    }


def place_detail(desk: Desk, place_id: str) -> dict[str, Any]:
    """The API record of a place (or 404): the stories.json place with every alias and where it came from."""
    index = desk.index()
    store = desk.db.store
    place = store.place(place_id)
    if place is None:
        raise HTTPException(404, f"no place {place_id!r}")
    record = next((p for p in index.places if p["id"] == place_id), None)
    if record is None:
        record = {
            "id": place.id,
            "name": place.name,
            "lat": place.lat,
            "lon": place.lon,
            "country": place.country,
            "kind": place.kind,
            "names_seen": [],
            "articles": 0,
        }
    decisions = desk.latest_decisions("alias")
    aliases = []
    for alias in store.place_names(place_id).get(place_id, []):
        decision = decisions.get(f"{place_id}/{alias.name}")
        aliases.append(to_dict(alias) | {"decision": decision.value if decision else None})
    mentioned = store.articles_mentioning(place_id)
    stories = [c.id for c in index.cards if place_id in c.place_ids]
    return record | {"aliases": aliases, "mentioned_in": mentioned, "stories": stories}


def place_context(desk: Desk, detail: dict[str, Any]) -> dict[str, Any]:
    index = desk.index()
    names: dict[str, list[dict[str, Any]]] = {}
    for alias in detail["aliases"]:
        names.setdefault(alias["name"], []).append(alias)
    decisions = desk.latest_decisions("alias")
    return {
        "title": detail["name"],
        "place": detail,
        "names": sorted(names.items(), key=lambda item: item[0].casefold()),
        "decisions": {name: decisions.get(f"{detail['id']}/{name}") for name in names},
        "stories": [c for c in index.cards if c.id in set(detail["stories"])],
        "articles": [index.articles[a] for a in detail["mentioned_in"] if a in index.articles],
        "story_of_article": index.story_of_article,
        "headlines": index.headlines,
        "map": views.map_view([detail]),
        "map_places": [detail],
    }


def fact_of(desk: Desk, fact_id: str) -> tuple[str, dict[str, Any]] | None:
    """The story holding a fact, and the fact's record; None when no story holds it."""
    story_id = desk.index().story_of_fact.get(fact_id)
    story = desk.story(story_id) if story_id else None
    fact = next((f for f in story["facts"] if f["id"] == fact_id), None) if story else None
    return (story_id, fact) if story_id and fact else None


def decision_row(desk: Desk, decision: Decision) -> dict[str, Any]:
    """What a decision was about, in words, with a link to it while it still exists."""
    index = desk.index()
    link, label = None, decision.target
    if decision.kind == "conflict":
        fact_id, _, slot = decision.target.rpartition("/")
        found = fact_of(desk, fact_id)
        if found:
            story_id, fact = found
            link, label = (
                f"/stories/{story_id}?fact={quote(fact_id)}#evidence",
                f"{slot} of “{fact['summary']}”",
            )
    elif decision.kind == "merge_stories":
        source = index.titles.get(decision.target) or decision.target
        target = index.titles.get(decision.value)
        label = f"“{source}” into “{target if target is not None else decision.value}”"
        link = f"/stories/{decision.value}" if target is not None else None
    elif decision.kind == "move_article":
        link = f"/articles/{decision.target}"
        label = f"“{index.headlines.get(decision.target, decision.target)}” to " + (
            "a new story" if decision.value == "new" else f"story {decision.value}"
        )
    elif decision.kind == "alias":
        place_id, _, name = decision.target.partition("/")
        link, label = (
            f"/places/{quote(place_id)}",
            f"“{name}” for {index.place_names.get(place_id, place_id)}",
        )
    return {"decision": decision, "link": link, "label": label}


def check_decision(desk: Desk, kind: str, target: str, value: str) -> None:
    """A decision must name things that exist: a 404 or 400 otherwise, never a stored typo."""
    index = desk.index()
    if kind == "conflict":
        fact_id, _, slot = target.rpartition("/")
        found = fact_of(desk, fact_id)
        if found is None:
            raise HTTPException(404, f"no fact {fact_id!r}")
        fact = found[1]
        if slot not in {c["slot"] for c in fact["conflicts"]}:
            raise HTTPException(404, f"fact {fact_id!r} has no conflict on {slot!r}")
    elif kind == "merge_stories":
        if target not in index.titles or value not in index.titles:
            raise HTTPException(404, "both stories must exist")
        if target == value:
            raise HTTPException(400, "a story cannot be merged into itself")
    elif kind == "move_article":
        if target not in index.story_of_article:
            raise HTTPException(404, f"article {target!r} is in no story")
        if value != "new" and (value not in index.titles or index.story_of_article[target] == value):
            raise HTTPException(400, "move the article to 'new' or to another existing story")
    elif kind == "alias":
        place_id, _, name = target.partition("/")
        if name not in {a.name for a in desk.db.store.place_names(place_id).get(place_id, [])}:
            raise HTTPException(404, f"no name {name!r} recorded for place {place_id!r}")
    else:
        raise HTTPException(400, f"unknown decision kind {kind!r}")


# -- errors ------------------------------------------------------------------------------
def install_error_handlers(app: FastAPI, desk: Desk) -> None:
    """Clean 4xx answers (JSON under /api, a page elsewhere); never a traceback."""

    def answer(request: Request, status: int, detail: str) -> Response:
        if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
            return JSONResponse({"detail": detail}, status_code=status)
        html = desk.render("error.html", title=f"Error {status}", status=status, detail=detail)
        return desk.personal(request, html, status)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        return answer(request, error.status_code, str(error.detail))

    from starlette.exceptions import HTTPException as StarletteHTTPException

    @app.exception_handler(StarletteHTTPException)
    async def starlette_error(request: Request, error: StarletteHTTPException) -> Response:
        return answer(
            request, error.status_code, "not found" if error.status_code == 404 else str(error.detail)
        )

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        problems = []
        for item in error.errors()[:5]:
            where = ".".join(str(x) for x in item.get("loc", ())[1:]) or "request"
            problems.append(f"{where}: {item.get('msg', 'invalid')}")
        return answer(request, 400, "; ".join(problems) or "invalid request")

    @app.exception_handler(StoreError)
    async def store_unusable(request: Request, error: StoreError) -> Response:
        print(f"storyline serve: {error}", file=sys.stderr)
        busy = isinstance(error, StoreBusy)
        detail = (
            "the database is busy with another writer; nothing was saved, try again in a few seconds"
            if busy
            else "the database this server was started on is gone, replaced or unreachable; nothing was saved"
        )
        response = answer(request, 503, detail)
        response.headers["Retry-After"] = str(RETRY_AFTER_BUSY if busy else RETRY_AFTER_UNAVAILABLE)
        return response

    @app.exception_handler(Exception)
    async def crashed(request: Request, error: Exception) -> Response:
        return answer(request, 500, "internal error: the request could not be completed")
