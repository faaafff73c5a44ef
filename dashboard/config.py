"""Settings: one frozen object, built once at the entry point and passed in.

This module is the only reader of ``os.environ``. Every setting has a default and a line of help;
``SETTINGS`` is the table the README documents (a test checks that it does).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

BUNDLED_CORPUS = Path(__file__).parent / "data" / "seeds"
# CSS and client-side JS live at the top of the repository, served by Dash from there.
ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"


@dataclass(frozen=True)
class Setting:
    """One environment variable: its name, the field it fills, its default and its help."""

    env: str
    field: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "CORPUS_DIR",
        "corpus_dir",
        "(bundled seed corpus)",
        "Folder of article files, read recursively. Empty: the five bundled seed articles.",
    ),
    Setting("HOST", "host", "127.0.0.1", "Interface the development server binds to."),
    Setting("PORT", "port", "8050", "Port the server listens on (PaaS platforms set it)."),
    Setting(
        "DEFAULT_TZ",
        "default_tz",
        "Asia/Shanghai",
        "Time zone assumed for outlets whose own zone is unknown (dates without an offset).",
    ),
    Setting(
        "DISPLAY_TZ",
        "display_tz",
        "UTC",
        "Time zone in which publication times are shown (e.g. Asia/Shanghai, Europe/Paris).",
    ),
    Setting(
        "CACHE_DIR",
        "cache_dir",
        ".dashboard-cache",
        "Folder for the parsed corpus (Parquet), reused while the corpus is unchanged; "
        "relative to the working directory. `off` parses on every start.",
    ),
    Setting("LOG_LEVEL", "log_level", "INFO", "Logging level: DEBUG, INFO, WARNING or ERROR."),
    Setting(
        "INGEST_WORKERS",
        "ingest_workers",
        "0",
        "Processes that read and date the corpus's files in parallel; 0: one per core, "
        "1: all in this process (the results are the same).",
    ),
    Setting(
        "IMAGES",
        "images",
        "ask",
        "Images in article bodies: `ask` shows a placeholder (host, alt text) and loads one on a "
        "click, `never` only the placeholder, `always` loads them (a private deployment).",
    ),
)

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
# A body image is fetched from the outlet's server: who reads what would leak to it, so by
# default nothing is fetched until the reader asks (see dashboard.web.images).
IMAGE_MODES = ("ask", "never", "always")


class SettingsError(ValueError):
    """A setting has a value the program cannot use; the message names it."""


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = BUNDLED_CORPUS
    host: str = "127.0.0.1"
    port: int = 8050
    default_tz: str = "Asia/Shanghai"
    display_tz: str = "UTC"
    cache_dir: Path | None = Path(".dashboard-cache")
    log_level: str = "INFO"
    images: str = "ask"
    ingest_workers: int = 0

    @property
    def assets_dir(self) -> Path:
        return ASSETS_DIR

    @property
    def uses_bundled_corpus(self) -> bool:
        return self.corpus_dir == BUNDLED_CORPUS

    def with_overrides(self, **values: Any) -> Settings:
        """A copy with the given fields replaced, skipping those given as None."""
        known = {f.name for f in fields(self)}
        given = {k: v for k, v in values.items() if v is not None and k in known}
        return validated(replace(self, **given))


def from_env(environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from the environment (``os.environ`` by default); unset or empty means default."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = env.get(setting.env, "").strip()
        if raw:
            values[setting.field] = raw
    return validated(Settings(**_coerce(values)))


def _coerce(values: dict[str, Any]) -> dict[str, Any]:
    if "corpus_dir" in values:
        values["corpus_dir"] = Path(values["corpus_dir"]).expanduser()
    if "cache_dir" in values:
        raw = str(values["cache_dir"])
        values["cache_dir"] = None if raw.lower() in ("off", "none", "0") else Path(raw)
    if "ingest_workers" in values:
        try:
            values["ingest_workers"] = int(values["ingest_workers"])
        except ValueError as exc:
            raise SettingsError(
                f"INGEST_WORKERS must be a whole number, not {values['ingest_workers']!r}"
            ) from exc
    if "port" in values:
        try:
            values["port"] = int(values["port"])
        except ValueError as exc:
            raise SettingsError(f"PORT must be a whole number, not {values['port']!r}") from exc
    return values


def validated(settings: Settings) -> Settings:
    """The same settings, or SettingsError naming the first unusable value."""
    if not 0 < settings.port < 65536:
        raise SettingsError(f"PORT must be between 1 and 65535, not {settings.port}")
    if settings.log_level.upper() not in LOG_LEVELS:
        raise SettingsError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}")
    if not 0 <= settings.ingest_workers <= 256:
        raise SettingsError(
            f"INGEST_WORKERS must be between 0 and 256, not {settings.ingest_workers}"
        )
    if settings.images.lower() not in IMAGE_MODES:
        raise SettingsError(f"IMAGES must be one of {', '.join(IMAGE_MODES)}")
    for name, zone in (("DEFAULT_TZ", settings.default_tz), ("DISPLAY_TZ", settings.display_tz)):
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise SettingsError(f"{name} is not a known time zone: {zone!r}") from exc
    return replace(
        settings,
        log_level=settings.log_level.upper(),
        images=settings.images.lower(),
        corpus_dir=Path(settings.corpus_dir),
    )
