"""A hardened deployment: the security headers on every page, templates a
Content-Security-Policy without 'unsafe-inline' can serve, and production
settings that `check --deploy` finds nothing to say about."""

import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.template import engines
from django.urls import reverse

from tests.archive.test_settings import ROOT, start_production

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle\s*=|\son[a-z]+\s*=|javascript:",
    re.IGNORECASE,
)


def _directives(header):
    return sorted(part.strip() for part in header.split(";"))


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["stories:home", "stories:work_list", "login"])
def test_every_page_sends_the_security_headers(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    assert _directives(response["Content-Security-Policy"]) == _directives(POLICY)
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_a_cached_guest_page_keeps_its_headers(client):
    first = client.get(reverse("stories:home"))
    again = client.get(reverse("stories:home"))

    assert first.content == again.content
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert again["Permissions-Policy"] == first["Permissions-Policy"]


def _template_files():
    folders = {
        Path(folder)
        for engine in engines.all()
        for folder in engine.template_dirs
        if Path(folder).resolve().is_relative_to(ROOT)
        # A virtualenv inside the project holds other projects' templates.
        and not Path(folder).resolve().is_relative_to(Path(sys.prefix).resolve())
    }
    return sorted(path for folder in folders for path in folder.rglob("*.html"))


# Not pages the archive serves: files readers download and keep, which must
# carry their own style (templates/downloads: one self-contained HTML file,
# and the PDF's source), so inline <style> is what they need.
NOT_PAGES = {Path("templates/downloads/book.html")}


def test_no_template_has_inline_script_style_or_handlers():
    files = [
        path for path in _template_files() if path.relative_to(ROOT) not in NOT_PAGES
    ]
    assert len(files) > 20
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in files
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if INLINE.search(line)
    ]
    assert found == []


@pytest.fixture
def var_dir(tmp_path):
    return str(tmp_path)


def _production_env(var_dir, **extra):
    return {
        "ARCHIVE_SECRET_KEY": secrets.token_urlsafe(50),
        "ARCHIVE_ALLOWED_HOSTS": "archive.example.org",
        "ARCHIVE_HSTS_PRELOAD": "true",
        "ARCHIVE_VAR_DIR": var_dir,
        **extra,
    }


def _check_deploy(env):
    script = (
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('check', deploy=True, fail_level='WARNING')\n"
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "archive.settings.production", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_reports_nothing_with_the_production_environment(var_dir):
    result = _check_deploy(_production_env(var_dir))

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_speaks_up_when_hsts_is_weakened(var_dir):
    result = _check_deploy(
        _production_env(
            var_dir,
            ARCHIVE_HSTS_PRELOAD="false",
            ARCHIVE_HSTS_INCLUDE_SUBDOMAINS="false",
        )
    )

    assert result.returncode != 0
    assert "security.W005" in result.stderr
    assert "security.W021" in result.stderr


def test_production_hsts_follows_the_environment(var_dir):
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings as s\n"
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.SECURE_HSTS_PRELOAD)\n"
    )
    env = _production_env(
        var_dir, ARCHIVE_HSTS_SECONDS="600", ARCHIVE_HSTS_PRELOAD="no"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "archive.settings.production", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.split() == ["600", "True", "False"], result.stderr


def test_production_refuses_a_secret_key_under_50_characters(var_dir):
    result = start_production(
        ARCHIVE_SECRET_KEY=secrets.token_hex(50)[:49], ARCHIVE_VAR_DIR=var_dir
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "at least 50 characters" in result.stderr
    fifty = start_production(
        ARCHIVE_SECRET_KEY=secrets.token_hex(25), ARCHIVE_VAR_DIR=var_dir
    )
    assert fifty.returncode == 0, fifty.stderr
