"""Settings: defaults < configuration file < environment < command line; errors name the culprit."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.settings import Settings, find_config, is_loopback, load_settings
from replylint.errors import ConfigError


def test_defaults_are_loopback_8000_one_worker_and_the_extension() -> None:
    settings = Settings()
    assert (settings.host, settings.port, settings.workers) == ("127.0.0.1", 8000, 1)
    assert settings.cors_origins == ["chrome-extension://*"]
    assert settings.loopback_only and not settings.auth_enabled


def test_the_environment_gives_lists_as_comma_separated_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPLYLINT_API_KEYS", "a:" + "x" * 20 + ", b:" + "y" * 20)
    monkeypatch.setenv("REPLYLINT_CORS_ORIGINS", "chrome-extension://*,https://desk.example.com")
    monkeypatch.setenv("REPLYLINT_PORT", "9001")
    monkeypatch.setenv("REPLYLINT_LLM_MODEL", "some-model")  # another component's variable
    settings = load_settings()
    assert settings.api_keys == ["a:" + "x" * 20, "b:" + "y" * 20]
    assert settings.cors_origins == ["chrome-extension://*", "https://desk.example.com"]
    assert settings.port == 9001 and settings.auth_enabled


def test_replylint_toml_api_table_is_read_and_the_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "keys.txt").write_text("ops:" + "k" * 20 + "\n", encoding="utf-8")
    config = tmp_path / "replylint.toml"
    config.write_text(
        'marketplace = "ebay"\n[api]\nport = 8100\nmax_batch_records = 10\napi_keys_file = "keys.txt"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert (settings.port, settings.max_batch_records) == (8100, 10)
    assert settings.api_keys_file == tmp_path / "keys.txt"  # relative to the file
    monkeypatch.setenv("REPLYLINT_PORT", "8200")
    assert load_settings().port == 8200
    assert load_settings(port=8300).port == 8300


def test_pyproject_tool_replylint_api_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.replylint.api]\nrate_limit = "10/second"\n', encoding="utf-8"
    )
    sub = tmp_path / "deep" / "er"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    assert find_config() == tmp_path / "pyproject.toml"
    assert load_settings().rate_limit == "10/second"


def test_a_pyproject_without_our_table_is_not_a_config(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert find_config(tmp_path) != tmp_path / "pyproject.toml"


@pytest.mark.parametrize(
    ("table", "culprit"),
    [
        ("prot = 8000", "prot"),
        ('rate_limit = "lots"', "rate_limit"),
        ("max_text_chars = 0", "max_text_chars"),
        ('warm_languages = ["en", "xx"]', "warm_languages"),
        ('cors_origins = ["example.com"]', "cors_origins"),
        ('api_keys = ["a:bbbbbbbbbbbbbbbbbbbbbb"]', "api_keys"),
        ('api_keys_file = "missing.txt"', "api_keys_file"),
    ],
)
def test_a_wrong_setting_is_a_config_error_naming_file_and_key(
    tmp_path: Path, table: str, culprit: str
) -> None:
    config = tmp_path / "replylint.toml"
    config.write_text(f"[api]\n{table}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    assert culprit in caught.value.message
    assert str(config) in caught.value.message


def test_invalid_toml_is_a_config_error(tmp_path: Path) -> None:
    config = tmp_path / "replylint.toml"
    config.write_text("[api\nport = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_settings(config)


def test_a_bad_environment_value_names_the_variable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("REPLYLINT_WORKERS", "many")
    with pytest.raises(ConfigError, match="REPLYLINT_WORKERS"):
        load_settings()


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("[::1]", True), ("localhost", True),
     ("0.0.0.0", False), ("::", False), ("192.168.1.10", False), ("example.com", False)],
)  # fmt: skip
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
