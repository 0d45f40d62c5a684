"""The sample deployment files of docs/deploy/ (docs/deployment.md, issue 9) stay usable: the
gunicorn config imports and has sane values, the systemd units parse and name commands that
exist, the nginx config parses (``nginx -t`` where nginx is installed, else a structural
check of braces and directives)."""

import configparser
import importlib.util
import re
import shlex
from pathlib import Path

import pytest
from django.core.management import get_commands

DEPLOY = Path(__file__).resolve().parent.parent / "docs" / "deploy"


def load_gunicorn_config(monkeypatch, **env):
    for name in ("GUNICORN_BIND", "GUNICORN_WORKERS", "GUNICORN_MAX_REQUESTS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("gunicorn_conf", DEPLOY / "gunicorn.conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gunicorn_config_imports_with_sane_values(monkeypatch):
    config = load_gunicorn_config(monkeypatch)
    assert config.worker_class == "sync"
    assert 2 <= config.workers <= 33
    assert config.bind.startswith("127.0.0.1:")
    # A stuck request is cut well before a person gives up, never before the 5 s promise.
    assert 5 < config.timeout <= 60
    assert config.max_requests > 1000 and 0 < config.max_requests_jitter < config.max_requests
    # No query strings in the access log: a search may carry a person's name.
    assert "%(U)s" in config.access_log_format and "%(q)s" not in config.access_log_format
    assert "%(r)s" not in config.access_log_format


def test_gunicorn_config_reads_the_environment(monkeypatch):
    config = load_gunicorn_config(
        monkeypatch,
        GUNICORN_BIND="10.0.0.11:8000",
        GUNICORN_WORKERS="2",
        GUNICORN_MAX_REQUESTS="0",
    )
    assert (config.bind, config.workers, config.max_requests) == ("10.0.0.11:8000", 2, 0)


def test_gunicorn_settings_are_known_to_gunicorn(monkeypatch):
    from gunicorn.config import Config

    config = load_gunicorn_config(monkeypatch)
    known = Config().settings
    names = [n for n in vars(config) if not n.startswith("_") and n.islower()]
    settings = [n for n in names if not callable(getattr(config, n)) and n not in {"os"}]
    settings = [n for n in settings if n != "multiprocessing"]
    assert settings and all(name in known for name in settings), settings


def read_unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    # ExecStart and Environment may repeat (strict=False); exec_lines() reads every line.
    parser.read_string((DEPLOY / name).read_text(encoding="utf-8"))
    return parser


def exec_lines(name: str) -> list[str]:
    text = (DEPLOY / name).read_text(encoding="utf-8")
    return [line.split("=", 1)[1] for line in text.splitlines() if line.startswith("ExecStart=")]


@pytest.mark.parametrize(
    ("name", "sections"),
    [
        ("mentoring.service", {"Unit", "Service", "Install"}),
        ("mentoring-daily.service", {"Unit", "Service"}),
        ("mentoring-daily.timer", {"Unit", "Timer", "Install"}),
        ("mentoring-worker.service", {"Unit", "Service", "Install"}),
    ],
)
def test_systemd_units_parse(name, sections):
    unit = read_unit(name)
    assert set(unit.sections()) == sections
    assert unit["Unit"]["Description"]


def test_application_service_starts_gunicorn_with_the_sample_config():
    (command,) = exec_lines("mentoring.service")
    argv = shlex.split(command)
    assert argv[0].endswith("/gunicorn") and argv[-1] == "mentoring_site.wsgi"
    assert argv[argv.index("-c") + 1].endswith("docs/deploy/gunicorn.conf.py")
    text = (DEPLOY / "mentoring.service").read_text(encoding="utf-8")
    assert "Environment=TZ=Europe/Moscow" in text
    assert "EnvironmentFile=" in text


def test_worker_service_runs_the_background_worker():
    (command,) = exec_lines("mentoring-worker.service")
    argv = shlex.split(command)
    assert argv[1:] == ["manage.py", "db_worker"]
    assert argv[2] in get_commands()
    unit = read_unit("mentoring-worker.service")
    assert unit["Service"]["Restart"] == "on-failure"
    assert unit["Service"]["Environment"] == "TZ=Europe/Moscow"


def test_daily_service_names_existing_management_commands():
    commands = get_commands()
    lines = exec_lines("mentoring-daily.service")
    assert lines
    named = []
    for command in lines:
        argv = shlex.split(command)
        assert argv[1] == "manage.py", command
        named.append(argv[2])
        assert argv[2] in commands, f"no management command {argv[2]!r}"
    assert "send_reminders" in named
    assert read_unit("mentoring-daily.service")["Service"]["Type"] == "oneshot"


def test_daily_timer_runs_the_daily_service_in_moscow_time():
    timer = read_unit("mentoring-daily.timer")["Timer"]
    assert timer["Unit"] == "mentoring-daily.service"
    assert timer["OnCalendar"].endswith("Europe/Moscow")
    assert timer["Persistent"] == "true"


def nginx_structure_errors(text: str) -> list[str]:
    """Braces balance, every statement ends with «;» or opens a block, no stray text."""
    errors, depth = [], 0
    body = re.sub(r"#[^\n]*", "", text)
    body = re.sub(r"'[^']*'|\"[^\"]*\"", "''", body)
    statement = ""
    for char in body:
        if char == "{":
            if not statement.strip():
                errors.append("a block without a name")
            depth, statement = depth + 1, ""
        elif char == "}":
            if statement.strip():
                errors.append(f"missing «;» after {statement.strip()!r}")
            depth, statement = depth - 1, ""
            if depth < 0:
                errors.append("unbalanced «}»")
        elif char == ";":
            if not re.match(r"^[a-z_0-9]+(\s|$)", statement.strip()):
                errors.append(f"not a directive: {statement.strip()!r}")
            statement = ""
        else:
            statement += char
    if depth != 0:
        errors.append("unbalanced braces")
    if statement.strip():
        errors.append(f"text after the last statement: {statement.strip()!r}")
    return errors


def test_nginx_config_structure():
    text = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    assert nginx_structure_errors(text) == []
    assert "upstream mentoring_app" in text and "proxy_pass http://mentoring_app;" in text
    # No stickiness: sessions are in the database.
    directives = re.sub(r"#[^\n]*", "", text)
    assert "ip_hash" not in directives and "sticky" not in directives
    assert "location /media/" in text


def test_the_structure_check_catches_mistakes():
    assert nginx_structure_errors("server { listen 80 }")
    assert nginx_structure_errors("server { listen 80; ")
    assert nginx_structure_errors("http { } }")
