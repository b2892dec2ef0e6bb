"""Production settings: `manage.py check --deploy` is clean with a production environment,
and every HTML response carries a strict Content-Security-Policy."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

PRODUCTION_ENV = {
    "THIDUA_SECRET_KEY": "k3Yq8v2Lw9Zp4Tn7Rb1Xc6Md0Fh5Js8Ga3Ue2Wy9Qo4Ik7Pl1Nz6Vt0Sx5Cr8Bm2",
    "THIDUA_ALLOWED_HOSTS": "thidua.soctrang.gov.vn",
    "THIDUA_CSRF_TRUSTED_ORIGINS": "https://thidua.soctrang.gov.vn",
    "THIDUA_BEHIND_PROXY": "1",
    # As copied from .env.example: empty means "the default", i.e. on in production.
    "THIDUA_SECURE_COOKIES": "",
    "THIDUA_SSL_REDIRECT": "",
    "THIDUA_HSTS_SECONDS": "",
}
# pytest-env switches HTTPS off for the test client; a real deployment does not.
# The browser tests' Playwright fixture sets DJANGO_ALLOW_ASYNC_UNSAFE for this process.
TEST_ONLY = (
    "THIDUA_SSL_REDIRECT",
    "THIDUA_SECURE_COOKIES",
    "THIDUA_HSTS_SECONDS",
    "THIDUA_DEBUG",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def check_deploy(extra_env):
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    env.pop("THIDUA_SECRET_KEY", None)
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_it_passes_check_deploy_with_a_production_environment():
    result = check_deploy(PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_it_fails_check_deploy_with_the_development_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "THIDUA_SECRET_KEY"}
    result = check_deploy(env)
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_it_fails_check_deploy_with_debug_on():
    result = check_deploy({**PRODUCTION_ENV, "THIDUA_DEBUG": "1"})
    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr


@pytest.mark.django_db
def test_it_sends_a_strict_content_security_policy(client):
    response = client.get(reverse("accounts:login"))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


@pytest.mark.django_db
def test_its_pages_carry_no_inline_script_or_style(client):
    """The policy forbids them: an inline <script> or <style> would silently stop working."""
    body = client.get(reverse("accounts:login")).content.decode()
    assert "<style" not in body
    for tag in body.split("<script")[1:]:
        head = tag.split(">", 1)[0]
        assert "src=" in head or 'type="application/json"' in head, head
    assert '"includeIndicatorStyles": false' in body


@pytest.mark.django_db
def test_it_forbids_framing_of_its_pages(client):
    assert client.get(reverse("accounts:login"))["X-Frame-Options"] == "DENY"
