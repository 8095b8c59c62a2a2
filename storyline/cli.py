"""The `storyline` command: a thin layer over ``storyline.api``."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

import storyline
from storyline.ingest import IngestReport
from storyline.models import Annotations, Article, to_dict

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

DB_OPTION = click.option(
    "--db",
    "db_path",
    default="storyline.db",
    show_default=True,
    envvar="STORYLINE_DB",
    help="SQLite database file.",
)
JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")


def _print_json(data: Any) -> None:
    click.echo(json.dumps(to_dict(data), ensure_ascii=False, indent=2))


@contextmanager
def progress_bar(description: str, total: int | None = None) -> Iterator[Any]:
    """A rich progress bar on stderr; quiet when stderr is not a terminal."""
    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as progress:
        task = progress.add_task(description, total=total)
        yield lambda n=1: progress.advance(task, n)


@click.group()
@click.version_option(storyline.__version__, prog_name="storyline")
def main() -> None:
    """storyline: what a pile of news reports jointly establishes."""


# -- ingest ---------------------------------------------------------------
def _run_ingest(db: storyline.Storyline, inputs: tuple[str, ...], allow_private: bool, max_bytes: int) -> IngestReport:
    """Ingest with a progress bar; one line on stderr per input that failed."""
    with progress_bar("ingesting") as advance:
        report = db.ingest(list(inputs), allow_private=allow_private, max_bytes=max_bytes, on_item=lambda _: advance())
    for label, reason in report.failed:
        err.print(Text.assemble(("error ", "red"), f"{label}: {reason}"), soft_wrap=True)
    return report


INGEST_OPTIONS = [
    click.option("--allow-private", is_flag=True, help="Allow URLs on private, loopback and link-local addresses."),
    click.option(
        "--max-bytes",
        type=click.IntRange(1),
        default=20 * 1024 * 1024,
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
            a.id, _published(a, short=True), a.language or "?", (a.source or "")[:20], Text(_headline(a)), a.duplicate_of or ""
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
    rendered = Text(text)
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
    out.print(Text(f"dates anchored to {anchor} ({annotations.anchor_basis}{confidence})"))
    places: dict[str, list[str]] = {}
    for m in annotations.places:
        places.setdefault(m.place_id or "unresolved", []).append(m.text)
    for place_id, names in places.items():
        place = db.store.place(place_id) if place_id != "unresolved" else None
        where = f"{place.name}, {place.country or ''} ({place.lat:.3f}, {place.lon:.3f})" if place else place_id
        out.print(Text.assemble(("place ", STYLES["place"]), f"{where}: {', '.join(sorted(set(names)))}"))
    for t in annotations.timexes:
        out.print(Text.assemble(("time ", STYLES["time"]), f"{t.text!r} -> {t.value} ({t.type}, {t.granularity})"))
    for q in annotations.quantities:
        approx = f"{q.approx} " if q.approx else ""
        high = f"-{q.value_high:g}" if q.value_high is not None else ""
        what = " ".join(x for x in (q.unit, q.counted) if x)
        out.print(Text.assemble(("quantity ", STYLES["quantity"]), f"{q.text!r} -> {approx}{q.value:g}{high} {what}"))
    actors: dict[str, set[str]] = {}
    for e in annotations.entities:
        actors.setdefault(e.key, set()).add(e.text)
    for key, names in sorted(actors.items()):
        out.print(Text.assemble(("actor ", STYLES["actor"]), f"{key}: {', '.join(sorted(names))}"))


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
        near = db.store.near_duplicates_of(article.id)
        annotations = db.annotations(article.id)
        if as_json:
            _print_json(
                _article_row(article)
                | {"text": article.text, "copies": copies, "near_duplicates": [a.id for a in near], "annotations": annotations}
            )
            return
        out.print(Text(_headline(article), style="bold"))
        out.print(Text(f"id {article.id} · {article.source or 'unknown source'} · {article.language or '?'} · published {_published(article)}"))
        if article.url:
            out.print(Text(article.url), soft_wrap=True)
        if article.duplicate_of:
            out.print(Text(f"near-duplicate of {article.duplicate_of}", style="yellow"))
        for c in copies:
            out.print(Text(f"copy ({c.kind}) {c.source or ''} {c.url or c.origin or ''}", style="yellow"), soft_wrap=True)
        for a in near:
            out.print(Text(f"near-duplicate {a.id} {a.source or ''} {a.url or ''}", style="yellow"), soft_wrap=True)
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
@click.option("--processes", type=click.IntRange(1, 64), default=1, show_default=True, help="spaCy processes.")
def read_command(db_path: str, force: bool, processes: int) -> None:
    """Annotate articles: places, actors, dates and quantities (only what is new or changed)."""
    with storyline.open(db_path) as db:
        _run_read(db, force, processes)


def _run_read(db: storyline.Storyline, force: bool = False, processes: int = 1) -> int:
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
            Text(p["name"]), p["country"] or "", f"{p['lat']:.3f}, {p['lon']:.3f}", str(p["articles"]),
            Text(", ".join(p["names_seen"])),
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
        out.print(Text.assemble((hit["article_id"], "bold"), " ", hit["title"] or "", " ", (hit["source"] or "", "dim")))
        out.print(Text("  " + hit["snippet"]))


# -- analyze ----------------------------------------------------------------
@main.command("analyze")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="out", show_default=True)
@click.option("--db", "db_path", default=None, envvar="STORYLINE_DB", help="Database file [default: OUT/storyline.db].")
@ingest_options
@JSON_OPTION
def analyze_command(
    inputs: tuple[str, ...], out_dir: str, db_path: str | None, allow_private: bool, max_bytes: int, as_json: bool
) -> None:
    """Ingest the inputs and analyse everything in the database."""
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    with storyline.open(db_path or Path(out_dir) / "storyline.db") as db:
        report = _run_ingest(db, inputs, allow_private, max_bytes)
        articles = db.articles()
        if not as_json:
            print_articles(articles)
        else:
            _print_json([_article_row(a) for a in articles])
    err.print(report.summary())
    if report.failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
