"""Constants and helpers shared by the API tests."""

from __future__ import annotations

from typing import Any

from api.settings import Settings

EXTENSION = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
KEY_A = "team-a:" + "a" * 32
KEY_B = "team-b:" + "b" * 32


def make_settings(**overrides: Any) -> Settings:
    """Test settings: English only warmed, no rate limit unless asked, nothing from files."""
    values: dict[str, Any] = {"warm_languages": ["en"], "rate_limit": "off"}
    values.update(overrides)
    return Settings(**values)
