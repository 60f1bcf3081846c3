"""deploy/ matches the app: every setting in the env template, the upload limit, private media never served."""

import re
from pathlib import Path

from tuson_hcc.documents.uploads import DEFAULT_MAX_BYTES

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def _variables_read_by(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    return set(re.findall(r'(?:os\.environ\.get|env_bool|env_list)\(\s*"([A-Z][A-Z0-9_]+)"', text)) | set(
        re.findall(r"os\.environ\.get\(\s*'([A-Z][A-Z0-9_]+)'", text)
    )


def test_the_env_template_lists_every_variable_the_settings_and_gunicorn_read():
    template = (DEPLOY / "hcc.env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", template, flags=re.M))
    wanted = _variables_read_by(ROOT / "tuson_hcc" / "settings.py") | _variables_read_by(DEPLOY / "gunicorn.conf.py")
    assert wanted - listed == set()


def test_nginx_accepts_the_largest_upload_the_app_accepts():
    site = (DEPLOY / "nginx-hcc-tuson.conf").read_text(encoding="utf-8")
    megabytes = int(re.search(r"client_max_body_size (\d+)m;", site).group(1))
    assert megabytes * 1024 * 1024 > DEFAULT_MAX_BYTES


def test_nginx_never_serves_private_media_and_sets_the_proxy_headers_the_app_trusts():
    site = (DEPLOY / "nginx-hcc-tuson.conf").read_text(encoding="utf-8")
    assert "var/private" not in site and "/var/lib/hcc-tuson" not in site
    assert re.search(r"location /media/ \{ return 404; \}", site)
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in site


def test_the_services_start_what_the_makefile_starts():
    assert "scripts/serve.sh" in (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "ExecStart=/srv/hcc-tuson/app/scripts/serve.sh" in (DEPLOY / "hcc-web.service").read_text(encoding="utf-8")
    assert "manage.py qcluster" in (DEPLOY / "hcc-worker.service").read_text(encoding="utf-8")
    assert "manage.py backup" in (DEPLOY / "hcc-backup.service").read_text(encoding="utf-8")
    assert "Persistent=true" in (DEPLOY / "hcc-backup.timer").read_text(encoding="utf-8")


def test_the_start_up_warm_up_opens_no_database_connection():
    """gunicorn loads the app once and forks (preload_app): a connection opened while tuson_hcc/wsgi.py
    warms up would be shared by every worker. The warm-up must work with the database unreachable."""
    import os
    import subprocess
    import sys

    script = (
        "import tuson_hcc.wsgi\n"
        "from django.db import connections\n"
        "assert all(c.connection is None for c in connections.all()), 'a connection was opened'\n"
    )
    env = {**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:9/unreachable", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
