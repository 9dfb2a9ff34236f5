"""Configuration fails loudly; the `partnerhub` command passes through to Django's commands."""

import os
import subprocess
import sys

import pytest


def run(code_or_args, **env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "PARTNERHUB_TESTING")}
    env.update(env_overrides)
    args = code_or_args if isinstance(code_or_args, list) else [sys.executable, "-c", code_or_args]
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)


def test_production_refuses_to_start_without_secret_key():
    result = run("import partnerhub.settings")
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = run("import partnerhub.settings", SECRET_KEY="short")
    assert result.returncode != 0 and "too weak" in result.stderr


def test_bad_boolean_is_a_clear_error():
    result = run("import partnerhub.settings", DEBUG="maybe")
    assert result.returncode != 0 and "DEBUG must be a boolean" in result.stderr


def test_production_settings_load_with_a_real_key():
    result = run("import partnerhub.settings as s; print(s.DEBUG, s.EMAIL_BACKEND)", SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "django.core.mail.backends.smtp.EmailBackend"]


def test_links_in_e_mails_follow_the_port_the_site_is_served_on():
    code = "import partnerhub.settings as s; print(s.SITE_URL)"
    assert run(code, DEBUG="1", PORT="8137").stdout.strip() == "http://127.0.0.1:8137"
    assert run(code, DEBUG="1", PORT="").stdout.strip() == "http://127.0.0.1:8000"
    site = run(code, DEBUG="1", PORT="8137", SITE_URL="https://hub.example.org").stdout.strip()
    assert site == "https://hub.example.org"


@pytest.mark.parametrize(
    "command", [["check"], ["load-reference", "--help"], ["makemigrations", "--check", "--dry-run"]]
)
def test_partnerhub_command_runs_django_commands(command, tmp_path):
    exe = os.path.join(os.path.dirname(sys.executable), "partnerhub")
    result = run([exe, *command], DEBUG="1", DATABASE_URL=f"sqlite:///{tmp_path}/x.sqlite3")
    assert result.returncode == 0, result.stdout + result.stderr
