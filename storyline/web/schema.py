"""The JSON API's shapes, for the OpenAPI schema: the stories.json contract (storyline/report/document.py).

The endpoints return the document builder's dicts as they are; these models
only describe them (and the tests check the responses against them).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


class Record(BaseModel):
    model_config = ConfigDict(extra="allow")


class CopyRecord(Record):
    url: str | None
    source: str | None
    kind: Literal["exact", "near"]


class ArticleRecord(Record):
    id: str
    title: str
    source: str | None
    url: str | None
    language: str | None
    published: str | None
    published_basis: Literal["metadata", "inferred", "unknown"]
    published_confidence: float | None
    duplicate_of: str | None
    copies: list[CopyRecord] = []


class PlaceRecord(Record):
    id: str
    name: str
    lat: float | None
    lon: float | None
    country: str | None
    names_seen: list[str]


class WhenRecord(Record):
    value: str
    start: str | None
    end: str | None
    granularity: str


class EvidenceRecord(Record):
    article: str
    start: int
    end: int
    text: str


class ConflictValueRecord(Record):
    value: str
    articles: list[str]


class ConflictRecord(Record):
    slot: str
    values: list[ConflictValueRecord]
    explanation: str
    decision: Literal["confirmed", "dismissed"] | None


class FactRecord(Record):
    id: str
    summary: str
    summary_language: str | None  # "en" where a source tells it in English, else the first source's
    when: WhenRecord | None
    where: list[str]
    who: list[str]
    quantities: list[dict[str, Any]]
    status: Literal["corroborated", "single_source", "conflicting"]
    sources: list[str]
    evidence: list[EvidenceRecord]
    conflicts: list[ConflictRecord]
    background: bool
    confidence: float
    notes: list[str]
    headline: str = ""


class StoryRecord(Record):
    id: str
    title: str
    articles: list[str]
    start: str | None
    end: str | None
    facts: list[FactRecord]
    lead: str = ""
    main_fact: str | None = None


class Document(Record):
    """stories.json: the articles, places and stories (with facts) of the whole store or some stories."""

    format: Literal["storyline"]
    version: int
    articles: list[ArticleRecord]
    places: list[PlaceRecord]
    stories: list[StoryRecord]


class StoryPage(Record):
    total: int
    page: int
    per_page: int
    stories: list[StoryRecord]


class AnnotatedArticle(ArticleRecord):
    text: str
    annotations: dict[str, Any] | None
    stories: list[str]


class AliasRecord(Record):
    name: str
    provenance: str
    article_id: str | None
    start: int | None
    end: int | None
    decision: Literal["accepted", "rejected"] | None


class PlaceDetail(PlaceRecord):
    aliases: list[AliasRecord]
    mentioned_in: list[str]
    stories: list[str]


class DecisionRecord(Record):
    id: int
    kind: str
    target: str
    value: str
    author: str
    note: str
    created_at: str


class Problem(Record):
    detail: str
