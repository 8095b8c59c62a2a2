"""Group reports of the same event into stories, across languages and scripts."""

from storyline.stories.embed import DEFAULT_MODEL, embed_items, embed_texts, lead_of, story_text
from storyline.stories.grouper import (
    GroupingParams,
    PlacedArticle,
    StoryGrouper,
    StoryItem,
    StoryState,
    story_id_for,
    story_label,
)

__all__ = [
    "DEFAULT_MODEL",
    "GroupingParams",
    "PlacedArticle",
    "StoryGrouper",
    "StoryItem",
    "StoryState",
    "embed_items",
    "embed_texts",
    "lead_of",
    "story_id_for",
    "story_label",
    "story_text",
]
