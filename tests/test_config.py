from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard.config import BUNDLED_CORPUS, SETTINGS, Settings, SettingsError, from_env

README = Path(__file__).parent.parent / "README.md"


def test_no_environment_means_bundled_corpus_and_defaults() -> None:
    settings = from_env({})
    assert settings == Settings()
    assert settings.corpus_dir == BUNDLED_CORPUS and settings.uses_bundled_corpus


def test_environment_values_are_read_and_validated() -> None:
    settings = from_env(
        {
            "CORPUS_DIR": "/data/news",
            "PORT": "9000",
            "LOG_LEVEL": "debug",
            "HOST": "0.0.0.0",
            "DEFAULT_TZ": "Europe/Paris",
        }
    )
    assert settings.corpus_dir == Path("/data/news")
    assert (settings.port, settings.log_level, settings.host) == (9000, "DEBUG", "0.0.0.0")
    assert settings.default_tz == "Europe/Paris"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PORT": "eighty"}, "PORT must be a whole number"),
        ({"PORT": "70000"}, "PORT must be between"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL must be one of"),
        ({"DEFAULT_TZ": "Mars/Olympus"}, "DEFAULT_TZ is not a known time zone"),
        ({"IMAGES": "sometimes"}, "IMAGES must be one of ask, never, always"),
    ],
)
def test_bad_values_name_the_setting(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        from_env(env)


@pytest.mark.parametrize(("raw", "mode"), [("", "ask"), ("never", "never"), (" Always ", "always")])
def test_images_default_to_ask_and_are_read_in_any_case(raw: str, mode: str) -> None:
    assert from_env({"IMAGES": raw}).images == mode
    assert Settings().images == "ask"


def test_overrides_skip_none() -> None:
    settings = Settings().with_overrides(port=None, host="0.0.0.0")
    assert settings.host == "0.0.0.0" and settings.port == 8050


def test_every_setting_is_documented_in_the_readme_with_its_default() -> None:
    readme = README.read_text(encoding="utf-8")
    for setting in SETTINGS:
        row = re.search(rf"^\|\s*`{setting.env}`\s*\|(.+)$", readme, re.MULTILINE)
        assert row, f"{setting.env} is not in the README's settings table"
        assert setting.default in row.group(1), f"{setting.env}: default not documented"


def test_only_config_reads_the_environment() -> None:
    package = Path(__file__).parent.parent / "dashboard"
    readers = [
        p.name
        for p in package.rglob("*.py")
        if "os.environ" in p.read_text(encoding="utf-8") and p.name != "config.py"
    ]
    assert readers == []
