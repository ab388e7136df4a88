"""The replylint HTTP API (FastAPI), started by ``replylint serve``.

The core package never imports this one. ``create_app`` builds an application
from :class:`api.settings.Settings`; uvicorn runs it as the factory
``api.main:create_app``. This module stays light: importing ``api`` does not
import FastAPI until the application is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

    from .settings import Settings

__all__ = ["create_app"]


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application (see :func:`api.main.create_app`)."""
    from .main import create_app as _create_app

    return _create_app(settings)
