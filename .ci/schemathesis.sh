#!/usr/bin/env bash
# Fuzz the JSON API against its own OpenAPI schema with schemathesis: no request may end in a
# server error. Starts the app with gunicorn on a free local port, against a fresh SQLite
# database in a temporary folder with the demo data, and stops it on exit.
#
#   bash .ci/schemathesis.sh              (from the repository root; called by .ci/run)
#
# Environment: SCHEMATHESIS_EXAMPLES (default 20 per operation), SCHEMATHESIS_SEED (default
# fixed, so that a failure can be replayed), SCHEMATHESIS_TIMEOUT (seconds per run, 150).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
BIN="$ROOT/.venv/bin"
EXAMPLES="${SCHEMATHESIS_EXAMPLES:-20}"
SEED="${SCHEMATHESIS_SEED:-20231005}"
TIMEOUT="${SCHEMATHESIS_TIMEOUT:-150}"

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

export DATABASE_URL="sqlite:///$WORK/thidua.sqlite3"
export THIDUA_MEDIA_ROOT="$WORK/media"
export THIDUA_LOG_LEVEL=WARNING
MANAGE=("$BIN/python" "$ROOT/manage.py")

echo "== schemathesis: fresh database with the demo data in $WORK =="
THIDUA_DEBUG=1 "${MANAGE[@]}" migrate --no-input >/dev/null
THIDUA_DEBUG=1 "${MANAGE[@]}" load_demo >/dev/null
# The demo's provincial reviewer reads everything and imports source data; the demo editor of
# commune 31498 (a draft in an open period) is the one whose writes can succeed.
REVIEWER_TOKEN="$("${MANAGE[@]}" create_api_token sotttt --name ci)"
EDITOR_TOKEN="$("${MANAGE[@]}" create_api_token xa31498 --name ci)"

PORT="$("$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
# DEBUG off, as in production (an error must not become a debug page), but plain HTTP on
# the loopback: no redirect to HTTPS.
THIDUA_DEBUG=0 THIDUA_SSL_REDIRECT=0 THIDUA_SECRET_KEY="ci-$RANDOM-$RANDOM-$RANDOM-schemathesis" \
    "$BIN/gunicorn" thidua.wsgi:application \
    --bind "127.0.0.1:$PORT" --workers 2 --timeout 60 \
    --access-logfile /dev/null --error-logfile "$WORK/server.log" \
    >>"$WORK/server.log" 2>&1 &
SERVER_PID=$!

ready() {
    "$BIN/python" -c "import urllib.request; urllib.request.urlopen('$BASE/api/openapi.json', timeout=2)" 2>/dev/null
}
for _ in $(seq 1 60); do
    ready && break
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.5
done
if ! ready; then
    echo "The server did not start:" >&2
    cat "$WORK/server.log" >&2
    exit 1
fi

# Half of the generated path values are real codes of the demo, so that requests get past
# the lookups into the services (imports, scoring) instead of stopping at 404.
cat >"$WORK/reviewer.toml" <<'TOML'
[dictionaries.periods]
values = ["2023"]
[dictionaries.units]
values = ["31498", "31501", "941", "SO-TTTT"]
[dictionaries.criteria]
values = ["X01", "X03", "X11", "X14", "H05", "T06"]
[dictionaries.levels]
values = ["tinh", "huyen", "xa"]

[parameters]
"path.period_code" = { dictionary = "periods", probability = 0.5 }
"path.unit_code" = { dictionary = "units", probability = 0.5 }
"path.criterion_code" = { dictionary = "criteria", probability = 0.5 }
"path.level_code" = { dictionary = "levels", probability = 0.5 }
TOML
# The editor writes to its own commune, every kind of criterion of its level (deadline,
# ratio, threshold, choice): the fuzzed bodies reach the scoring engine's validation.
cat >"$WORK/editor.toml" <<'TOML'
[dictionaries.criteria]
values = ["X01", "X02", "X03", "X11", "X14"]

[parameters]
"path.period_code" = "2023"
"path.unit_code" = "31498"
"path.criterion_code" = { dictionary = "criteria" }
TOML

run() {
    local config="$1" token="$2" examples="$3"
    shift 3
    # From the temporary folder: schemathesis and hypothesis keep their files in the cwd.
    (cd "$WORK" && timeout "$TIMEOUT" "$BIN/schemathesis" --config-file "$config" \
        run "$BASE/api/openapi.json" \
        --header "Authorization: Bearer $token" \
        --checks not_a_server_error \
        --phases examples,coverage,fuzzing \
        --max-examples "$examples" \
        --seed "$SEED" \
        --workers 2 \
        --request-timeout 30 \
        --generation-database none \
        --generation-with-security-parameters false \
        --no-color \
        "$@")
}

status=0
echo "== schemathesis: every operation as the provincial reviewer (sotttt) =="
run "$WORK/reviewer.toml" "$REVIEWER_TOKEN" "$EXAMPLES" || status=$?
echo "== schemathesis: the unit editor (xa31498) writing inputs =="
run "$WORK/editor.toml" "$EDITOR_TOKEN" "$((EXAMPLES * 5))" --include-method PUT || status=$?

# A server error the checks did not see (e.g. in a response schemathesis did not validate).
if grep -q "Traceback\|API error on" "$WORK/server.log"; then
    echo "The server logged errors:" >&2
    cat "$WORK/server.log" >&2
    status=1
fi
if [ "$status" -ne 0 ]; then
    echo "schemathesis: FAILED (seed $SEED)" >&2
    grep -v "WARNING django.request" "$WORK/server.log" | tail -n 80 >&2 || true
fi
exit "$status"
