"""The settings module reads the environment strictly and refuses unsafe production settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.core.env import env_bool, env_url

ROOT = Path(__file__).resolve().parents[2]


def load_settings(**env):
    """Import portal.settings in a fresh interpreter with exactly `env` (plus PATH); return (code, stderr)."""
    clean = {"PATH": os.environ["PATH"], **env}
    proc = subprocess.run(
        [sys.executable, "-c", "import portal.settings"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return proc.returncode, proc.stderr


def test_unknown_boolean_stops_with_a_clear_message(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG='maybe' is not a boolean"):
        env_bool("DEBUG")


@pytest.mark.parametrize("raw", ["true", "1", "yes", "ON"])
def test_true_spellings(monkeypatch, raw):
    monkeypatch.setenv("X_FLAG", raw)
    assert env_bool("X_FLAG") is True


@pytest.mark.parametrize(
    "url, message",
    [
        ("mysql://x@h/db", "scheme must be one of"),
        ("postgres:///nohost", "names no host"),
        ("postgres://u@h:port/db", "port is not a number"),
    ],
)
def test_malformed_database_url_is_refused(monkeypatch, url, message):
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(ImproperlyConfigured, match=message):
        env_url("DATABASE_URL", "", {"postgres", "sqlite"})


PG = "postgres://portal@db.example.org:5432/portal"


def test_production_refuses_a_missing_secret_key():
    code, err = load_settings(DATABASE_URL=PG)
    assert code != 0 and "SECRET_KEY is not set" in err


def test_production_refuses_a_weak_secret_key():
    code, err = load_settings(DATABASE_URL=PG, SECRET_KEY="short")
    assert code != 0 and "too weak" in err


def test_production_refuses_debug():
    code, err = load_settings(DATABASE_URL=PG, SECRET_KEY="x" * 20 + "abcdefghijklmnopqrstuvwxyz0123456789", DEBUG="1")
    assert code != 0 and "DEBUG is on in production" in err


def test_production_starts_with_a_strong_key():
    code, err = load_settings(DATABASE_URL=PG, SECRET_KEY="x" * 20 + "abcdefghijklmnopqrstuvwxyz0123456789")
    assert code == 0, err


def test_bad_boolean_stops_start_up():
    code, err = load_settings(PORTAL_ENV="development", DEBUG="perhaps")
    assert code != 0 and "is not a boolean" in err


def test_development_runs_on_the_embedded_default():
    code, err = load_settings(PORTAL_ENV="development")
    assert code == 0, err


def test_nothing_set_at_all_is_the_embedded_development_default():
    code, err = load_settings()
    assert code == 0, err


def test_an_explicit_production_refuses_the_embedded_default_without_a_key():
    code, err = load_settings(PORTAL_ENV="production")
    assert code != 0 and "SECRET_KEY is not set" in err
