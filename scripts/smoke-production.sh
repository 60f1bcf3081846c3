#!/usr/bin/env bash
# Production smoke test (issue 10, run by .ci/run): a fresh PostgreSQL database with the demo data,
# `make serve` with 2 workers and PRODUCTION=1, behind Debian's nginx running deploy/nginx-hcc-tuson.conf
# with a certificate made now, the worker running; then a real browser walks it as every demo role
# (tests/smoke/production_walk.py) and the /lookup/ limit is checked against both workers.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
PY="$ROOT/.venv/bin/python"
APP_PORT="${SMOKE_APP_PORT:-8141}"
HTTPS_PORT="${SMOKE_HTTPS_PORT:-8143}"
HTTP_PORT="${SMOKE_HTTP_PORT:-8142}"
DB="${SMOKE_DB:-hcc_smoke}"
PG="postgres://postgres@127.0.0.1:5432"
WORK="$(mktemp -d /tmp/hcc-smoke.XXXXXX)"
started=$SECONDS
serve_pid=""; worker_pid=""

cleanup() {
  status=$?
  [ -f "$WORK/nginx.pid" ] && kill -QUIT "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  for pid in $worker_pid $serve_pid; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for pid in $worker_pid $serve_pid; do
    for _ in $(seq 1 50); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  if [ "$status" -ne 0 ]; then
    echo "== smoke failed; last lines of the logs (kept in $WORK):"
    tail -n 30 "$WORK/serve.log" "$WORK/nginx-error.log" "$WORK/worker.log" 2>/dev/null || true
  else
    rm -rf "$WORK"
  fi
  [ -n "${SMOKE_REUSE_DB:-}" ] || dropdb -h 127.0.0.1 -U postgres --if-exists "$DB" 2>/dev/null || true
}
trap cleanup EXIT

bash scripts/system-deps.sh --with-browser --with-nginx

export DATABASE_URL="$PG/$DB" MEDIA_ROOT="${SMOKE_MEDIA_ROOT:-$WORK/private}"
export DEMO_PASSWORD="${SMOKE_DEMO_PASSWORD:-smoke-$(date +%s)-demo}"
# SMOKE_REUSE_DB=1 (local iterations only) keeps a database seeded by an earlier run.
if [ -n "${SMOKE_REUSE_DB:-}" ] && psql -h 127.0.0.1 -U postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
  echo "== reusing the seeded database $DB"
  psql -h 127.0.0.1 -U postgres -qc "DELETE FROM hcc_cache" "$DB"  # a fresh /lookup/ window
else
  echo "== fresh database $DB with the demo data"
  dropdb -h 127.0.0.1 -U postgres --if-exists "$DB"
  createdb -h 127.0.0.1 -U postgres "$DB"
  # Seeded before PRODUCTION=1 is set: in production seed_demo refuses to create demo users.
  "$PY" manage.py migrate --noinput --verbosity 0
  "$PY" manage.py seed_demo >"$WORK/seed.log"
  echo "   seeded in $((SECONDS - started)) s"
fi

echo "== make serve (PRODUCTION=1, 2 workers) on 127.0.0.1:$APP_PORT"
export PRODUCTION=1 SECRET_KEY="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(60))')"
export ALLOWED_HOSTS=localhost CSRF_TRUSTED_ORIGINS="https://localhost:$HTTPS_PORT"
export PUBLIC_BASE_URL="https://localhost:$HTTPS_PORT" TRUSTED_PROXY_COUNT=1
export PORT="$APP_PORT" WEB_CONCURRENCY=2 REQUEST_LOG_LEVEL=INFO
# `make test` has just set the virtualenv up: -o keeps make from redoing it.
setsid make -o .venv/.installed serve >"$WORK/serve.log" 2>&1 &
serve_pid=$!
if make -n worker >/dev/null 2>&1; then
  setsid make -o .venv/.installed worker >"$WORK/worker.log" 2>&1 &
  worker_pid=$!
  echo "   worker started (make worker)"
else
  echo "   no make worker target: the smoke runs without a worker"
fi

echo "== nginx (deploy/nginx-hcc-tuson.conf) with a certificate made now, on https://localhost:$HTTPS_PORT"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
mkdir -p "$WORK/nginx-tmp"
sed -e "s#server 127.0.0.1:8000;#server 127.0.0.1:$APP_PORT;#" \
    -e "s#listen 80;#listen 127.0.0.1:$HTTP_PORT;#" -e "s#listen 443 ssl http2;#listen 127.0.0.1:$HTTPS_PORT ssl http2;#" \
    -e '/listen \[::\]/d' -e "s#hcc.example.vn#localhost#g" \
    -e "s#/etc/letsencrypt/live/localhost/fullchain.pem#$WORK/cert.pem#" \
    -e "s#/etc/letsencrypt/live/localhost/privkey.pem#$WORK/key.pem#" \
    -e "s#/var/log/nginx/#$WORK/#g" deploy/nginx-hcc-tuson.conf >"$WORK/site.conf"
user_line=""; [ "$(id -u)" -eq 0 ] && user_line="user root;"
cat >"$WORK/nginx.conf" <<NGINX
$user_line
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    client_body_temp_path $WORK/nginx-tmp/body;
    proxy_temp_path $WORK/nginx-tmp/proxy;
    fastcgi_temp_path $WORK/nginx-tmp/fastcgi;
    uwsgi_temp_path $WORK/nginx-tmp/uwsgi;
    scgi_temp_path $WORK/nginx-tmp/scgi;
    access_log $WORK/nginx-access.log;
    include $WORK/site.conf;
}
NGINX
/usr/sbin/nginx -t -q -p "$WORK" -c "$WORK/nginx.conf"
/usr/sbin/nginx -p "$WORK" -c "$WORK/nginx.conf"

echo "== waiting for gunicorn (migrate, collectstatic)"
for _ in $(seq 1 300); do
  code="$(curl -sk -o /dev/null -w '%{http_code}' "https://localhost:$HTTPS_PORT/accounts/login/" || true)"
  [ "$code" = "200" ] && break
  kill -0 "$serve_pid" 2>/dev/null || { echo "make serve stopped"; exit 1; }
  sleep 1
done
[ "$code" = "200" ] || { echo "the login page never answered 200 (last: $code)"; exit 1; }
echo "   serving after $((SECONDS - started)) s"
# The HTTP server only redirects to HTTPS.
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/")" = "301" ]
# Private media is never served by the proxy.
[ "$(curl -sk -o /dev/null -w '%{http_code}' "https://localhost:$HTTPS_PORT/media/x")" = "404" ]

echo "== browser walk over HTTPS as every demo role, and the /lookup/ limit"
"$PY" tests/smoke/production_walk.py "https://localhost:$HTTPS_PORT" "$DEMO_PASSWORD" \
  --requests-out "$WORK/lookup.json" ${SMOKE_SCREENSHOTS:+--screenshots "$SMOKE_SCREENSHOTS"}

# Both gunicorn workers answered the lookups: their request ids appear in the log under two pids.
# And the id nginx gave each request is the one the app logged and answered with.
"$PY" - "$WORK/lookup.json" "$WORK/serve.log" "$WORK/hcc-tuson.access.log" <<'PYTHON'
import json, re, sys
answers = json.load(open(sys.argv[1]))
ids = {request_id for _, request_id in answers}
proxied = set(re.findall(r" rid=(\w+) ", open(sys.argv[3]).read()))
if not ids <= proxied:
    sys.exit(f"request ids not from nginx: {sorted(ids - proxied)[:3]}")
pids = {}
for line in open(sys.argv[2], encoding="utf-8", errors="replace"):
    if m := re.search(r"\[pid=(\d+) req=(\w+) ", line):
        if m.group(2) in ids:
            pids.setdefault(m.group(1), []).append(m.group(2))
print("   /lookup/ answered by gunicorn workers:", {pid: len(r) for pid, r in pids.items()})
sys.exit(0 if len(pids) >= 2 else "the lookups did not reach both workers")
PYTHON

echo "== load smoke: 8 desks stamping and browsing for 20 s without pause, then every ledger verified"
# No pause between requests: the most concurrent writes the smoke can make (errors and gaps are what it gates).
if ! "$PY" manage.py loadtest --url "http://127.0.0.1:$APP_PORT" --host localhost --desks 8 --seconds 20 --pause 0 --json \
  >"$WORK/load.json"; then
  cat "$WORK/load.json"
  exit 1
fi
"$PY" -c 'import json,sys; r=json.load(open(sys.argv[1])); print("  ", {k: r[k] for k in ("requests", "errors", "p50_ms", "p95_ms", "load_average")})' "$WORK/load.json"
echo "== production smoke passed in $((SECONDS - started)) s"
