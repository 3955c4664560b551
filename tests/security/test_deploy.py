"""Deployment: `check --deploy` is clean with production settings, and a failure shows the Chinese 500 page and
is logged with its traceback."""

from __future__ import annotations

import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def production_env() -> dict[str, str]:
    """The environment .ci/run gives `check --deploy`: production, a strong key, a real host list."""
    # DJANGO_ALLOW_ASYNC_UNSAFE belongs to the browser tests of this same process (tests/e2e/conftest.py), not to
    # a deployment.
    dropped = {"DJANGO_SETTINGS_MODULE", "DEBUG", "SECURE_COOKIES", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        PORTAL_ENV="production",
        DEBUG="0",
        ALLOWED_HOSTS="portal.example.org",
        SECRET_KEY="ci-" + secrets.token_urlsafe(48),
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/portal",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    return env


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output


def test_production_refuses_a_weak_secret_key():
    env = {**production_env(), "SECRET_KEY": "short"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


@pytest.mark.urls("tests.security.urls_boom")
def test_a_server_error_shows_the_chinese_page_and_is_logged(client, settings, caplog, db):
    settings.DEBUG = False
    client.raise_request_exception = False
    # django.request does not propagate to the root logger (settings.LOGGING), so listen to it directly.
    logger = logging.getLogger("django.request")
    logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.ERROR, logger="django.request"):
            response = client.get("/__boom__/")
    finally:
        logger.removeHandler(caplog.handler)
    assert response.status_code == 500
    html = response.content.decode()
    assert "抱歉，服务器出错了" in html and 'lang="zh-Hans"' in html
    assert "Traceback" not in html and "forced failure" not in html  # nothing of the inside shows
    records = [r for r in caplog.records if r.name == "django.request" and r.levelno == logging.ERROR]
    assert records, "the failure was not logged"
    assert records[0].exc_info and records[0].exc_info[0].__name__ == "Boom"
    assert "/__boom__/" in records[0].getMessage()


def test_the_failing_view_is_not_in_the_portals_own_urls():
    from django.urls import NoReverseMatch, reverse

    with pytest.raises(NoReverseMatch):
        reverse("boom", urlconf="portal.urls")
