"""The analyst's desk: `storyline serve`, or ``create_app(db_path)`` for uvicorn and tests."""

from storyline.web.app import create_app

__all__ = ["create_app"]
