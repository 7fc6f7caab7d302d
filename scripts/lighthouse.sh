#!/bin/sh
# Lighthouse on the chapter page of the demo archive, served as in production
# (gunicorn, production settings, static files hashed and compressed by
# WhiteNoise), in Debian's Chromium. Prints the accessibility and performance
# scores; the reports are in var/lighthouse/chapter.report.{html,json}.
#
# Lighthouse comes from npm, pinned (12.2.3: Lighthouse 13 needs Node 22), into
# var/lighthouse/, outside the project's tracked files. Needs node and npm.
#   scripts/lighthouse.sh            (make lighthouse does the same)
#   LIGHTHOUSE_PORT=8123 scripts/lighthouse.sh
set -eu

LIGHTHOUSE_VERSION=12.2.3
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
OUT=$ROOT/var/lighthouse
SITE=$OUT/site
PORT=${LIGHTHOUSE_PORT:-8765}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}

for tool in node npm; do
    command -v "$tool" >/dev/null || { echo "lighthouse: $tool is missing (apt-get install nodejs npm)"; exit 2; }
done
[ -x "$CHROME_PATH" ] || { echo "lighthouse: no Chromium at $CHROME_PATH (make test-packages)"; exit 2; }
mkdir -p "$OUT"
LIGHTHOUSE=$OUT/node_modules/.bin/lighthouse
if ! "$LIGHTHOUSE" --version 2>/dev/null | grep -qx "$LIGHTHOUSE_VERSION"; then
    echo "Installing Lighthouse $LIGHTHOUSE_VERSION into $OUT"
    npm install --prefix "$OUT" --save-exact --no-audit --no-fund --loglevel=error \
        "lighthouse@$LIGHTHOUSE_VERSION" >/dev/null
fi

# A demo archive of its own, as production serves it.
export ARCHIVE_VAR_DIR="$SITE" DJANGO_SETTINGS_MODULE=archive.settings.production
export ARCHIVE_DEBUG=0 ARCHIVE_SSL_REDIRECT=0 ARCHIVE_HSTS_SECONDS=0
export ARCHIVE_SECRET_KEY=lighthouse-only-not-secret-lighthouse-only-not-secret-0123456789
cd "$ROOT"
"$PYTHON" manage.py migrate --no-input -v 0
"$PYTHON" manage.py load_demo >/dev/null
"$PYTHON" manage.py collectstatic --no-input -v 0
CHAPTER=$("$PYTHON" manage.py shell -v 0 -c '
from django.db.models import Count
from stories.models import Rating, Status, Work
work = (
    Work.objects.filter(status=Status.POSTED, rating=Rating.GENERAL)
    .annotate(made=Count("chapters")).filter(made__gte=2).order_by("-made", "pk").first()
)
print(work.chapters.order_by("position")[1].get_absolute_url())
')
"$(dirname "$PYTHON")/gunicorn" --bind "127.0.0.1:$PORT" --workers 2 --log-level warning \
    archive.wsgi:application &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null' EXIT INT TERM
for _ in $(seq 50); do
    "$PYTHON" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/')" \
        2>/dev/null && break
    sleep 0.2
done

URL="http://127.0.0.1:$PORT$CHAPTER"
echo "Lighthouse $LIGHTHOUSE_VERSION on $URL"
"$LIGHTHOUSE" "$URL" --quiet \
    --only-categories=accessibility,performance \
    --output=json --output=html --output-path="$OUT/chapter" \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu"
"$PYTHON" - "$OUT/chapter.report.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
for key in ("accessibility", "performance"):
    print(f"{report['categories'][key]['title']}: {round(report['categories'][key]['score'] * 100)}")
for key in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
            "cumulative-layout-shift", "speed-index"):
    audit = report["audits"][key]
    print(f"  {audit['title']}: {audit['displayValue']}")
for audit in report["audits"].values():
    if audit.get("scoreDisplayMode") == "binary" and audit.get("score") == 0:
        print(f"  failed: {audit['id']}: {audit['title']}")
PY
