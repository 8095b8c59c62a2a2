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
from storyline.models import Article, to_dict

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


@main.command("show")
@click.argument("article_id")
@DB_OPTION
@JSON_OPTION
def show_command(article_id: str, db_path: str, as_json: bool) -> None:
    """Show one article (an id or a unique prefix) with its copies."""
    with storyline.open(db_path) as db:
        article = db.article(article_id)
        if article is None:
            raise click.ClickException(f"no article with id {article_id!r}")
        copies = db.copies(article.id)
        near = db.duplicates_of(article.id)
        if as_json:
            _print_json(_article_row(article) | {"text": article.text, "copies": copies, "near_duplicates": [a.id for a in near]})
            return
        out.print(f"[bold]{Text(_headline(article))}[/bold]")
        out.print(f"id {article.id} · {article.source or 'unknown source'} · {article.language or '?'} · published {_published(article)}")
        if article.url:
            out.print(article.url, soft_wrap=True)
        if article.duplicate_of:
            out.print(f"[yellow]near-duplicate of {article.duplicate_of}[/yellow]")
        for c in copies:
            out.print(f"[yellow]copy[/yellow] ({c.kind}) {c.source or ''} {c.url or c.origin or ''}", soft_wrap=True)
        for a in near:
            out.print(f"[yellow]near-duplicate[/yellow] {a.id} {a.source or ''} {a.url or ''}", soft_wrap=True)
        out.print()
        out.print(Text(article.text))


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
        out.print(f"[bold]{hit['article_id']}[/bold] {Text(hit['title'] or '')} [dim]{hit['source'] or ''}[/dim]")
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
