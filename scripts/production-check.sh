#!/usr/bin/env bash
# Follow the README's "Running in production on PostgreSQL" block against the database that
# scripts/with-postgres.sh starts, serve the demo with gunicorn and crawl it:
#
#   scripts/with-postgres.sh scripts/production-check.sh      (make test-production)
#
# Static and media files go to a temporary directory; e-mail is written out, not sent. The crawl
# (scripts/production_crawl.py) fails on any 5xx, template debug text or server-logged error on a
# page, and any stylesheet, script, image or CSS url() that does not answer 200.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?run this through scripts/with-postgres.sh, which starts PostgreSQL and sets DATABASE_URL}"

bin=.venv/bin
started=$(date +%s)
tmp=$(mktemp -d /tmp/mobilise-production.XXXXXX)
server=""
finish() {
  status=$?
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  if [ "$status" != 0 ] && [ -s "$tmp/server.log" ]; then
    echo "--- the end of the server's log (without its access log and what the crawl summarised) ---" >&2
    grep -v -e '^127\.0\.0\.1 - ' -e 'Template used an undefined value' "$tmp/server.log" | tail -n 20 >&2
  fi
  rm -rf "$tmp"
  echo "production check: $([ "$status" = 0 ] && echo passed || echo FAILED) in $(($(date +%s) - started))s"
}
trap finish EXIT

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export DJANGO_SETTINGS_MODULE=mobilise.settings.production
SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')
export SECRET_KEY
export ALLOWED_HOSTS=127.0.0.1,localhost
# The crawl comes through a pretend TLS proxy (X-Forwarded-Proto: https), so the site's origin is https.
export CSRF_TRUSTED_ORIGINS="https://127.0.0.1:$port,https://localhost:$port"
export CACHE_URL=dbcache://mobilise_cache
export EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend
export STATIC_ROOT="$tmp/static" MEDIA_ROOT="$tmp/media"

step() {
  local from=$SECONDS
  echo "+ mobilise $*" >&2
  "$bin/mobilise" "$@"
  echo "  ($((SECONDS - from))s)" >&2
}
# The README's order; its interactive createsuperuser runs here without questions.
step migrate --no-input -v 0
step createcachetable
step check --deploy --fail-level WARNING
step collectstatic --no-input -v 0
step places load
DJANGO_SUPERUSER_PASSWORD=$(python3 -c 'import secrets; print(secrets.token_urlsafe(16))') \
  step createsuperuser --no-input --email ops@production-check.example
step demo
# The daily and 15-minute cron jobs, once each (the reminders' e-mails go to the log).
step assurance_reminders >"$tmp/cron.log"
step budgets advance
step retention
# The demo and the jobs queue background work (recalculations, e-mails) as production would: run it.
step db_worker --batch --no-startup-delay -v 0 >>"$tmp/cron.log"
echo "  the jobs and the worker sent $(grep -c '^Subject: ' "$tmp/cron.log" || true) e-mails"

"$bin/gunicorn" mobilise.wsgi --workers 2 --bind "127.0.0.1:$port" --access-logfile - --no-control-socket >"$tmp/server.log" 2>&1 &
server=$!
# Arguments go to the crawler (e.g. --verbose, --per-pattern 2).
"$bin/python" scripts/production_crawl.py "http://127.0.0.1:$port" --server-log "$tmp/server.log" --wait 60 "$@"
