#!/usr/bin/env bash
# Production entry point (`make serve`, deploy/hcc-web.service): migrate, collect static files, gunicorn.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PY:-.venv/bin/python}"

missing=()
[ "${PRODUCTION:-}" = "1" ] || missing+=("PRODUCTION=1")
for name in SECRET_KEY ALLOWED_HOSTS DATABASE_URL; do
  [ -n "${!name:-}" ] || missing+=("$name")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "make serve cần các biến môi trường: ${missing[*]} (xem deploy/hcc.env.example)" >&2
  exit 2
fi

"$PY" manage.py migrate --noinput
"$PY" manage.py collectstatic --noinput --verbosity 0
"$PY" manage.py check --deploy --fail-level ERROR
exec "$(dirname "$PY")/gunicorn" --config deploy/gunicorn.conf.py tuson_hcc.wsgi
