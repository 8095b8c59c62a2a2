"""The `storyline` command: a thin layer over ``storyline.api``."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

import storyline
from storyline.ingest import IngestReport
from storyline.ingest.readers import DEFAULT_MAX_BYTES
from storyline.models import Annotations, Article, to_dict
from storyline.store import StoreError, is_database_url
from storyline.text import printable, printable_json

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

DB_OPTION = click.option(
    "--db",
    "db_path",
    default="storyline.db",
    show_default=True,
    envvar="STORYLINE_DB",
    help="SQLite database file, or postgresql://user@host/db.",
)
JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")


def _print_json(data: Any) -> None:
    click.echo(printable_json(json.dumps(to_dict(data), ensure_ascii=False, indent=2)))


def shown(*parts: Any, style: str = "") -> Text:
    """Stored or input-derived text for the terminal: every control character neutralised (see ``printable``).

    Parts are strings or (string, style) pairs, as in ``Text.assemble``.
    """
    pieces = [(printable(str(p[0] or "")), p[1]) if isinstance(p, tuple) else printable(str(p or "")) for p in parts]
    return Text.assemble(*pieces, style=style)


def error_line(label: str, reason: str, kind: str = "error") -> None:
    """One line on stderr per failed input (or field set to unknown), naming it."""
    err.print(shown((f"{kind} ", "red" if kind == "error" else "yellow"), f"{label}: {reason}"), soft_wrap=True)


class RateColumn(ProgressColumn):
    """Items per second over rich's recent window ("12.3/s"); blank until there is a rate."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.1f}/s" if speed else "", style="progress.data.speed")


@contextmanager
def stage_bars(transient: bool = False) -> Iterator[Any]:
    """Rich progress bars on stderr, one per stage; quiet when stderr is not a terminal.

    Yields ``stage(name, total)``, which adds a bar and returns its advance function.
    """
    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        console=err,
        transient=transient,
        disable=not err.is_terminal,
    ) as progress:

        def stage(name: str, total: int | None) -> Any:
            task = progress.add_task(name, total=total)
            return lambda *_: progress.advance(task)

        yield stage


@contextmanager
def progress_bar(description: str, total: int | None = None) -> Iterator[Any]:
    """One transient bar for a single long step."""
    with stage_bars(transient=True) as stage:
        yield stage(description, total)


class _Commands(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except StoreError as error:  # busy past the timeout, or the database is gone: one line, no traceback
            raise click.ClickException(str(error)) from error


@click.group(cls=_Commands)
@click.version_option(storyline.__version__, prog_name="storyline")
def main() -> None:
    """storyline: what a pile of news reports jointly establishes."""


# -- ingest ---------------------------------------------------------------
def _run_ingest(db: storyline.Storyline, inputs: tuple[str, ...], allow_private: bool, max_bytes: int) -> IngestReport:
    """Ingest with a progress bar (input files done, their rate, the time left); one line on stderr per failure."""
    from storyline.ingest import IngestOptions, count_inputs

    with progress_bar("ingesting", total=count_inputs(list(inputs))) as advance:
        options = IngestOptions(allow_private=allow_private, max_bytes=max_bytes, on_input=advance)
        report = db.ingest(list(inputs), options=options)
    for label, reason in report.warnings:
        error_line(label, reason, "warning")
    for label, reason in report.failed:
        error_line(label, reason)
    return report


INGEST_OPTIONS = [
    click.option("--allow-private", is_flag=True, help="Allow URLs on private, loopback and link-local addresses."),
    click.option(
        "--max-bytes",
        type=click.IntRange(1),
        default=DEFAULT_MAX_BYTES,
        show_default=True,
        help="Refuse files and responses larger than this.",
    ),
]


def ingest_options(func: Any) -> Any:
    for option in reversed(INGEST_OPTIONS):
        func = option(func)
    return func


@main.command("ingest")
@click.argument("inputs", nargs=-1, required=True)
@DB_OPTION
@ingest_options
@JSON_OPTION
def ingest_command(inputs: tuple[str, ...], db_path: str, allow_private: bool, max_bytes: int, as_json: bool) -> None:
    """Load files, folders, JSON/JSONL exports, feeds, URL lists and URLs."""
    with storyline.open(db_path) as db:
        report = _run_ingest(db, inputs, allow_private, max_bytes)
    _finish_ingest(report, as_json)


def _finish_ingest(report: IngestReport, as_json: bool) -> None:
    if as_json:
        _print_json(
            {
                "added": report.added,
                "near_duplicates": report.near_duplicates,
                "copies": report.copies,
                "unchanged": report.unchanged,
                "failed": [{"input": i, "reason": r} for i, r in report.failed],
                "warnings": [{"input": i, "warning": w} for i, w in report.warnings],
            }
        )
    err.print(report.summary())
    if report.failed:
        sys.exit(1)


# -- articles -------------------------------------------------------------
def _published(article: Article, short: bool = False) -> str:
    if not article.published:
        return "unknown"
    if short:
        return article.published.date().isoformat() + ("" if article.published_basis == "metadata" else "?")
    text = article.published.date().isoformat() if article.published_precision == "day" else article.published.isoformat()
    return text if article.published_basis == "metadata" else f"{text} ({article.published_basis})"


def _article_row(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "source": article.source,
        "url": article.url,
        "language": article.language,
        "published": _published(article) if article.published else None,
        "published_basis": article.published_basis,
        "duplicate_of": article.duplicate_of,
        "characters": len(article.text),
    }


def _headline(article: Article) -> str:
    return article.title or " ".join(article.text.split()[:12]) + "…"



def print_articles(articles: list[Article]) -> None:
    table = Table(show_lines=False)
    for column in ("id", "published", "lang", "source"):
        table.add_column(column, no_wrap=True)
    # rich shrinks every column when the table is too wide: give the title what is left
    table.add_column("title", no_wrap=True, overflow="ellipsis", max_width=max(16, out.width - 80))
    table.add_column("copy of", no_wrap=True)
    for a in articles:
        table.add_row(
            shown(a.id), _published(a, short=True), shown(a.language or "?"), shown((a.source or "")[:20]), shown(_headline(a)),
            shown(a.duplicate_of),
        )
    out.print(table)


@main.command("articles")
@DB_OPTION
@JSON_OPTION
def articles_command(db_path: str, as_json: bool) -> None:
    """List stored articles."""
    with storyline.open(db_path) as db:
        articles = db.articles()
        if as_json:
            _print_json([_article_row(a) for a in articles])
        else:
            print_articles(articles)


STYLES = {"place": "bold green", "time": "bold cyan", "quantity": "bold magenta", "actor": "bold yellow"}


def annotated_text(text: str, annotations: Annotations | None) -> Text:
    """The article text with places, dates, quantities and actors colour-coded."""
    rendered = Text(printable(text, lines=True))  # same length: the offsets still hold
    if annotations is None:
        return rendered
    spans = [(m.start, m.end, "actor") for m in annotations.entities]
    spans += [(q.start, q.end, "quantity") for q in annotations.quantities]
    spans += [(t.start, t.end, "time") for t in annotations.timexes]
    spans += [(p.start, p.end, "place") for p in annotations.places]
    for start, end, kind in spans:  # later kinds win where spans overlap
        rendered.stylize(STYLES[kind], start, end)
    return rendered


def print_annotations(db: storyline.Storyline, annotations: Annotations) -> None:
    legend = Text("  ").join(Text(kind, style=style) for kind, style in STYLES.items())
    out.print(Text("annotations: ") + legend)
    anchor = annotations.anchor.isoformat() if annotations.anchor else "none"
    confidence = f", confidence {annotations.anchor_confidence:.2f}" if annotations.anchor_confidence else ""
    out.print(shown(f"dates anchored to {anchor} ({annotations.anchor_basis}{confidence})"))
    places: dict[str, list[str]] = {}
    for m in annotations.places:
        places.setdefault(m.place_id or "unresolved", []).append(m.text)
    for place_id, names in places.items():
        place = db.store.place(place_id) if place_id != "unresolved" else None
        where = f"{place.name}, {place.country or ''} ({place.lat:.3f}, {place.lon:.3f})" if place else place_id
        out.print(shown(("place ", STYLES["place"]), f"{where}: {', '.join(sorted(set(names)))}"))
    for t in annotations.timexes:
        out.print(shown(("time ", STYLES["time"]), f"{t.text!r} -> {t.value} ({t.type}, {t.granularity})"))
    for q in annotations.quantities:
        approx = f"{q.approx} " if q.approx else ""
        high = f"-{q.value_high:g}" if q.value_high is not None else ""
        what = " ".join(x for x in (q.unit, q.counted) if x)
        out.print(shown(("quantity ", STYLES["quantity"]), f"{q.text!r} -> {approx}{q.value:g}{high} {what}"))
    actors: dict[str, set[str]] = {}
    for e in annotations.entities:
        actors.setdefault(e.key, set()).add(e.text)
    for key, names in sorted(actors.items()):
        out.print(shown(("actor ", STYLES["actor"]), f"{key}: {', '.join(sorted(names))}"))


@main.command("show")
@click.argument("article_id")
@DB_OPTION
@JSON_OPTION
def show_command(article_id: str, db_path: str, as_json: bool) -> None:
    """Show one article (an id or a unique prefix), its copies and its annotations, colour-coded."""
    with storyline.open(db_path) as db:
        article = db.article(article_id)
        if article is None:
            raise click.ClickException(f"no article with id {article_id!r}")
        copies = db.copies(article.id)
        near = db.duplicates_of(article.id)
        annotations = db.annotations(article.id)
        if as_json:
            _print_json(
                _article_row(article)
                | {"text": article.text, "copies": copies, "near_duplicates": [a.id for a in near], "annotations": annotations}
            )
            return
        out.print(shown(_headline(article), style="bold"))
        out.print(shown(f"id {article.id} · {article.source or 'unknown source'} · {article.language or '?'} · published {_published(article)}"))
        if article.url:
            out.print(shown(article.url), soft_wrap=True)
        if article.duplicate_of:
            out.print(shown(f"near-duplicate of {article.duplicate_of}", style="yellow"))
        for c in copies:
            out.print(shown(f"copy ({c.kind}) {c.source or ''} {c.url or c.origin or ''}", style="yellow"), soft_wrap=True)
        for a in near:
            out.print(shown(f"near-duplicate {a.id} {a.source or ''} {a.url or ''}", style="yellow"), soft_wrap=True)
        out.print()
        out.print(annotated_text(article.text, annotations))
        out.print()
        if annotations is None:
            out.print(Text("not read yet: run `storyline read`", style="dim"))
        else:
            print_annotations(db, annotations)


@main.command("read")
@DB_OPTION
@click.option("--force", is_flag=True, help="Read every article again, not only new or changed ones.")
@click.option("--processes", type=click.IntRange(1, 64), default=None, help="spaCy processes [default: one per core for 200+ articles].")
def read_command(db_path: str, force: bool, processes: int | None) -> None:
    """Annotate articles: places, actors, dates and quantities (only what is new or changed)."""
    with storyline.open(db_path) as db:
        _run_read(db, force, processes)


def _run_read(db: storyline.Storyline, force: bool = False, processes: int | None = None) -> int:
    todo = len(db.store.articles()) if force else len(db.stale_articles())
    with progress_bar("reading", total=todo) as advance:
        done = db.read(force=force, n_process=processes, on_article=lambda _: advance())
    err.print(f"{done} articles read")
    return done


@main.command("places")
@DB_OPTION
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True)
@JSON_OPTION
def places_command(db_path: str, limit: int, as_json: bool) -> None:
    """Places mentioned, with every name seen and how many articles mention each."""
    with storyline.open(db_path) as db:
        places = db.places()[:limit]
    if as_json:
        _print_json(places)
        return
    table = Table()
    for column in ("place", "country", "lat, lon", "articles", "names seen"):
        table.add_column(column)
    for p in places:
        table.add_row(
            shown(p["name"]), shown(p["country"]), f"{p['lat']:.3f}, {p['lon']:.3f}", str(p["articles"]),
            shown(", ".join(p["names_seen"])),
        )
    out.print(table)


@main.command("search")
@click.argument("query")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@DB_OPTION
@JSON_OPTION
def search_command(query: str, limit: int, db_path: str, as_json: bool) -> None:
    """Full-text search; accents and case do not matter ("lacin" finds "Laçın")."""
    with storyline.open(db_path) as db:
        hits = db.search(query, limit)
    if as_json:
        _print_json(hits)
        return
    if not hits:
        err.print("no matches")
        return
    for hit in hits:
        out.print(shown((hit["article_id"], "bold"), " ", hit["title"], " ", (hit["source"], "dim")))
        out.print(shown("  " + hit["snippet"]))


# -- analyze, stories, export ------------------------------------------------
@main.command("analyze")
@click.argument("inputs", nargs=-1)
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="out", show_default=True)
@click.option("--db", "db_path", default=None, envvar="STORYLINE_DB", help="Database file or postgresql:// URL [default: OUT/storyline.db].")
@ingest_options
@click.option("--processes", type=click.IntRange(1, 64), default=None, help="spaCy processes [default: one per core for 200+ articles].")
@click.option("--scheduler", default=None, metavar="ADDRESS", help="Read, embed and fuse on a Dask cluster: tcp://HOST:PORT or local:N.")
@JSON_OPTION
def analyze_command(
    inputs: tuple[str, ...],
    out_dir: str,
    db_path: str | None,
    allow_private: bool,
    max_bytes: int,
    processes: int | None,
    scheduler: str | None,
    as_json: bool,
) -> None:
    """Ingest the inputs, then read, group and fuse everything; write stories.json, report.html, report.md."""
    from storyline.ingest import IngestOptions
    from storyline.report import write_outputs

    Path(out_dir).mkdir(parents=True, exist_ok=True)
    options = IngestOptions(allow_private=allow_private, max_bytes=max_bytes)
    with (
        dask_client(scheduler) as client,
        storyline.open(db_path or Path(out_dir) / "storyline.db") as db,
        stage_bars() as stage,
    ):
        result = db.analyze(list(inputs), options=options, n_process=processes, progress=stage, client=client)
        document = db.document()
    paths = write_outputs(document, out_dir)
    failed = result.ingest.failed if result.ingest else []
    for label, reason in result.ingest.warnings if result.ingest else []:
        error_line(label, reason, "warning")
    for label, reason in failed:
        error_line(label, reason)
    if as_json:
        click.echo(printable_json(json.dumps(document, ensure_ascii=False, indent=2)))
    else:
        print_summary(document)
    if result.ingest:
        err.print(result.ingest.summary())
    if result.reanchored:
        err.print(f"{len(result.reanchored)} undated articles anchored to their story mates' dates")
    err.print("wrote " + ", ".join(str(p) for p in paths.values()))
    if failed:
        sys.exit(1)


@contextmanager
def dask_client(scheduler: str | None) -> Iterator[Any]:
    """A Dask client for ``--scheduler`` (see storyline/cluster.py), or None to run here."""
    if scheduler is None:
        yield None
        return
    from storyline.cluster import connect

    with ExitStack() as stack:
        try:
            client = stack.enter_context(connect(scheduler))
        except (ConnectionError, ValueError) as error:
            raise click.ClickException(str(error)) from error
        yield client


STATUS_STYLE = {"corroborated": "green", "single_source": "blue", "conflicting": "bold red"}


def print_summary(document: dict[str, Any], limit: int = 20) -> None:
    """What a newcomer wants to see first: each story's sources, timeline and conflicts."""
    articles = {a["id"]: a for a in document["articles"]}
    places = {p["id"]: p for p in document["places"]}
    out.print(shown(f"{len(document['articles'])} articles, {len(document['stories'])} stories", style="bold"))
    for story in document["stories"][:limit]:
        out.print()
        out.print(shown(f"story {story['id']}: {story['title']}", style="bold underline"))
        if story.get("lead"):
            out.print(shown(story["lead"]))
        out.print(shown(f"{story['start'] or '?'} to {story['end'] or '?'}", style="dim"))
        for article_id in story["articles"]:
            a = articles[article_id]
            basis = "" if a["published_basis"] == "metadata" else f" ({a['published_basis']})"
            copy = f", copy of {a['duplicate_of']}" if a["duplicate_of"] else ""
            out.print(shown(f"  source {a['source'] or 'unknown'} [{a['language'] or '?'}] published {a['published'] or 'unknown'}{basis}{copy}"))
        for fact in story["facts"]:
            if fact["background"]:
                continue
            when = fact["when"]["value"] if fact["when"] else "undated"
            sources = ", ".join(articles[s]["source"] or s for s in fact["sources"])
            out.print(
                shown(
                    f"  {when:<12} ", (f"{fact['status']:<14}", STATUS_STYLE[fact["status"]]), f" {fact['summary']}", (f"  [{sources}]", "dim")
                )
            )
            for conflict in fact["conflicts"]:
                values = "; ".join(
                    f"{v['value']} ({', '.join(articles[a]['source'] or a for a in v['articles'])})" for v in conflict["values"]
                )
                decision = f" [analyst: {conflict['decision']}]" if conflict.get("decision") else ""
                out.print(shown(f"      conflict on {conflict['slot']}: {values}{decision}", style="red"))
                out.print(shown(f"      {conflict['explanation']}", style="dim red"))
        story_places = {p for f in story["facts"] for p in f["where"] if p in places}
        for place_id in story_places:
            p = places[place_id]
            if len(p["names_seen"]) > 1:
                out.print(shown(f"  place {p['name']}: {' = '.join(p['names_seen'])}", style="green"))


@main.command("stories")
@DB_OPTION
@click.option("--regroup", is_flag=True, help="Assign new articles to stories and fuse facts first.")
@JSON_OPTION
def stories_command(db_path: str, regroup: bool, as_json: bool) -> None:
    """List stories with size, time span and sources (assigning new articles first)."""
    with storyline.open(db_path) as db:
        if regroup or db.store.unassigned_articles():
            with stage_bars() as stage:
                db.analyze(progress=stage)
        document = db.document()
    if as_json:
        _print_json(
            [
                {k: s[k] for k in ("id", "title", "start", "end")}
                | {"size": len(s["articles"]), "sources": _story_sources(document, s), "conflicts": _conflicts(s)}
                for s in document["stories"]
            ]
        )
        return
    table = Table()
    for column in ("story", "size", "span", "conflicts", "sources", "title"):
        table.add_column(column, no_wrap=column in {"story", "span"})
    for s in document["stories"]:
        span = f"{s['start'] or '?'} – {s['end'] or '?'}"
        table.add_row(
            shown(s["id"]), str(len(s["articles"])), shown(span), str(_conflicts(s)),
            shown(", ".join(_story_sources(document, s))), shown(s["title"]),
        )
    out.print(table)


def _story_sources(document: dict[str, Any], story: dict[str, Any]) -> list[str]:
    articles = {a["id"]: a for a in document["articles"]}
    return sorted({articles[a]["source"] or "unknown" for a in story["articles"]})


def _conflicts(story: dict[str, Any]) -> int:
    return sum(1 for f in story["facts"] if f["status"] == "conflicting")


@main.command("story")
@click.argument("story_id")
@DB_OPTION
@JSON_OPTION
def story_command(story_id: str, db_path: str, as_json: bool) -> None:
    """One story: its articles, timeline of facts and conflicts."""
    with storyline.open(db_path) as db:
        story = db.story(story_id)
        if story is None:
            raise click.ClickException(f"no story with id {story_id!r}")
        document = db.document([story.id])
    if as_json:
        _print_json(document)
    else:
        print_summary(document)


@main.command("export")
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "geojson"]), default="json", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), default="-", help="File to write [default: stdout].")
@click.option("--story", "story_ids", multiple=True, help="Only these stories (repeatable).")
def export_command(db_path: str, fmt: str, output: str, story_ids: tuple[str, ...]) -> None:
    """Write the stories, facts and places from the database as JSON, CSV or GeoJSON."""
    from storyline.report import to_csv, to_geojson

    with storyline.open(db_path) as db:
        document = db.document(list(story_ids) or None)
    if fmt == "json":
        text = printable_json(json.dumps(document, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        text = to_csv(document)
    else:
        text = printable_json(json.dumps(to_geojson(document), ensure_ascii=False, indent=2))
    if output == "-":
        click.echo(printable(text, lines=True) if fmt == "csv" and sys.stdout.isatty() else text)
    else:
        Path(output).write_text(text, encoding="utf-8")


@main.command("watch")
@click.argument("feeds", type=click.Path(exists=True, dir_okay=False))
@DB_OPTION
@click.option("--every", default="10m", show_default=True, help="Time between two polls of a feed (30s, 10m, 2h).")
@click.option("--once", is_flag=True, help="Poll the feeds that are due once, then exit (for scripts and cron).")
@click.option("--no-analyze", is_flag=True, help="Only ingest; leave stories and facts for `storyline analyze`.")
@click.option("--allow-private", is_flag=True, help="Allow feeds on private, loopback and link-local addresses.")
@JSON_OPTION
def watch_command(feeds: str, db_path: str, every: str, once: bool, no_analyze: bool, allow_private: bool, as_json: bool) -> None:
    """Poll RSS/Atom feeds and pages listed in FEEDS (one URL a line), ingesting only what is new.

    Conditional GETs, one request per host per second, back-off after errors; stories and
    facts are updated after every poll that brought something new. Ctrl-C stops it.
    """
    from storyline.ingest.watch import Poll, parse_every

    try:
        parse_every(every)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--every") from None

    def show(poll: Poll) -> None:
        if poll.error:
            error_line(poll.url, poll.error)
        elif poll.status != "not due":
            added = f", {len(poll.added)} added" if poll.added else ""
            err.print(shown(f"{poll.url}: {poll.status}{added}"), soft_wrap=True)
        for label, reason in poll.report.failed if poll.report else []:
            error_line(label, reason)

    with storyline.open(db_path) as db, stage_bars(transient=True) as stage:
        try:
            report = db.watch(feeds, every=every, once=once, allow_private=allow_private, analyze=not no_analyze,
                              on_poll=show, progress=stage)
        except KeyboardInterrupt:
            err.print("stopped")
            return
    if as_json:
        _print_json({"polls": [{"url": p.url, "status": p.status, "added": p.added, "error": p.error} for p in report.polls]})
    err.print(report.summary())
    if report.failed:
        sys.exit(1)


@main.command("serve")
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback: this machine only).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
def serve_command(db_path: str, host: str, port: int) -> None:
    """The analyst's desk in the browser: stories, timelines, maps, evidence and decisions."""
    import uvicorn

    from storyline.web import create_app

    if not is_database_url(db_path) and not Path(db_path).exists():
        raise click.ClickException(f"{db_path}: no such database; run `storyline analyze` first")
    wildcard = host in ("0.0.0.0", "::")
    app = create_app(db_path, allowed_hosts=["*"] if wildcard else [host])
    err.print(f"serving {db_path} at http://{'127.0.0.1' if wildcard else host}:{port}/ (Ctrl-C to stop)")
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)


if __name__ == "__main__":
    main()
