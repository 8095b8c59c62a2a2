"""What changed since the analyst's last visit: new reports, new and updated stories, facts with new evidence.

A visit is a run of page loads less than ``VISIT_GAP`` apart. Two cookies hold when this
browser last loaded a page and when its previous visit ended; everything ingested after
that is marked, for the whole visit, in a banner on every page (``storyline.api.changes``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from markupsafe import Markup, escape
from starlette.requests import Request

SEEN_COOKIE = "storyline_seen"  # when this browser last loaded a page (Unix seconds)
SINCE_COOKIE = "storyline_since"  # the end of its previous visit
VISIT_GAP = timedelta(minutes=30)
MAX_LISTED = 8  # stories named in the banner, of each kind


def _moment(value: str | None) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value or ""), UTC)
    except (ValueError, OverflowError, OSError):
        return None


def visit_window(request: Request, now: datetime) -> tuple[datetime | None, dict[str, str]]:
    """(the moment to mark changes after, or None on a first visit; the cookies to set)."""
    seen, since = _moment(request.cookies.get(SEEN_COOKIE)), _moment(request.cookies.get(SINCE_COOKIE))
    if seen is None or seen > now:
        since = None
    elif now - seen > VISIT_GAP:
        since = seen  # a new visit: what came in since the last one ended
    cookies = {SEEN_COOKIE: str(int(now.timestamp()))}
    if since is not None:
        cookies[SINCE_COOKIE] = str(int(since.timestamp()))
    return since, cookies


def _links(ids: list[str], titles: dict[str, str]) -> Markup:
    shown = [Markup('<a href="/stories/{}">{}</a>').format(i, titles.get(i) or i) for i in ids[:MAX_LISTED]]
    more = f" and {len(ids) - MAX_LISTED} more" if len(ids) > MAX_LISTED else ""
    return Markup(", ").join(shown) + more


def banner(changes: Any, titles: dict[str, str], story: dict[str, Any] | None = None) -> Markup:
    """The notice at the top of every page; empty when nothing is new (``changes``: api.Changes).

    On a story's page (``story``: its record) it also says what is new in that story.
    """
    if changes is None or not changes.new_articles:
        return Markup("")
    parts = [Markup("<strong>Since your last visit</strong> ({}): {} new report{}").format(
        changes.since.strftime("%Y-%m-%d %H:%M UTC"), len(changes.new_articles), "" if len(changes.new_articles) == 1 else "s"
    )]
    if changes.new_stories:
        parts.append(Markup("new stories: ") + _links(changes.new_stories, titles))
    if changes.updated_stories:
        parts.append(Markup("stories with new reports: ") + _links(changes.updated_stories, titles))
    if changes.changed_facts:
        parts.append(escape(f"{len(changes.changed_facts)} facts with new evidence"))
    if story is not None:
        reports = len(set(story["articles"]) & set(changes.new_articles))
        facts = sum(1 for f in story["facts"] if f["id"] in set(changes.changed_facts))
        if reports:
            parts.append(Markup("<strong>in this story</strong>: {} new report{}, {} fact{} with new evidence").format(
                reports, "" if reports == 1 else "s", facts, "" if facts == 1 else "s"))
    return Markup('<p class="notice changes" role="status">{}.</p>').format(Markup("; ").join(parts))
