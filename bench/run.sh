#!/usr/bin/env bash
# Side-by-side benchmark of the bus against raw PostgreSQL, Kafka, RabbitMQ and NATS JetStream, all on this
# machine and in one run. Not part of the test suite.
#
#   bench/run.sh [--quick] [--no-build] [-- OPTIONS...]
#
#   --quick      short phases (about 8 minutes end to end on 2 cores once built); the full run takes 30-45 min
#   --no-build   use what the last build left (the EAR in Liberty, devstack.jar, bench.jar)
#   OPTIONS      passed to the benchmark program, e.g. --only anchors,bus.publish or --measure 5 (BenchMain);
#                --only setup,bus.warmup,bus.twoservers measures one server against two (it starts a second
#                Liberty server, eventbus2, a copy of the first on other ports, and stops it at its end)
#
# It builds like './eventbus run', starts PostgreSQL (fsync on), Kafka and Redis with devstack on a fresh data
# directory under bench/.state, then Liberty in the background (timing a cold and a warm start to
# /health/ready), runs the benchmark, and stops everything it started, also on failure or Ctrl-C. RabbitMQ
# (127.0.0.1:5672) and NATS (127.0.0.1:4222) are the machine's own; an anchor whose server does not answer is
# skipped with a note. Results: bench/results/<UTC timestamp>.json and .md (the markdown is also printed).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BENCH="$ROOT/bench"
STATE="$BENCH/.state"
WLP="$ROOT/ear/target/liberty/wlp"
SERVER_NAME=eventbus
SERVER="$WLP/usr/servers/$SERVER_NAME"
DEVSTACK_JAR="$ROOT/devstack/target/devstack.jar"
BENCH_JAR="$BENCH/target/bench.jar"

QUICK=()
BUILD=1
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=(--quick) ;;
    --no-build) BUILD=0 ;;
    --) shift; EXTRA=("$@"); break ;;
    -h|--help) sed -n '2,17p' "$BENCH/run.sh"; exit 0 ;;
    *) echo "usage: bench/run.sh [--quick] [--no-build] [-- OPTIONS...]" >&2; exit 2 ;;
  esac
  shift
done

TS=$(date -u +%Y%m%dT%H%M%SZ)
now_ms() { date +%s%3N; }
say() { echo "==> $*" >&2; }

if [ "$BUILD" = 1 ]; then
  say "building (mvn install, tests skipped)"
  mvn -B -q install -DskipTests -DskipITs -Dspotless.skip
  say "preparing the Liberty server (first run downloads Open Liberty, ~350 MB)"
  mvn -B -q -pl ear liberty:create liberty:deploy
  # the root build packages it when bench is one of its modules; otherwise (or when older than its sources) here
  if [ ! -f "$BENCH_JAR" ] || [ -n "$(find "$BENCH/src" "$BENCH/pom.xml" -newer "$BENCH_JAR" -print -quit)" ]; then
    say "building the benchmark"
    mvn -B -q -f bench/pom.xml package -Dspotless.skip
  fi
fi
for f in "$DEVSTACK_JAR" "$WLP/bin/server" "$SERVER/server.xml" "$BENCH_JAR"; do
  if [ ! -e "$f" ]; then
    echo "bench: $f is missing; run bench/run.sh without --no-build first" >&2
    exit 1
  fi
done
command -v curl >/dev/null || { echo "bench: curl is needed" >&2; exit 1; }
if "$WLP/bin/server" status "$SERVER_NAME" >/dev/null 2>&1; then
  echo "bench: the '$SERVER_NAME' Liberty server is already running (./eventbus run?); stop it first" >&2
  exit 1
fi

mkdir -p "$STATE"
rm -rf "$STATE"/data-*
DATA="$STATE/data-$TS"
ENV_FILE="$STATE/eventbus.env"
SERVER_STARTED=""
DEVSTACK_STARTED=""
DEVSTACK_PID=""
BENCH_PID=""

liberty_pid() {
  local p=""
  if [ -f "$SERVER/workarea/.sPid" ]; then
    p=$(tr -dc '0-9' < "$SERVER/workarea/.sPid")
  fi
  if [ -z "$p" ] || [ ! -d "/proc/$p" ]; then
    p=""
    for c in $(pgrep -f "ws-server.jar $SERVER_NAME( |\$)" || true); do
      if tr '\0' ' ' < "/proc/$c/cmdline" 2>/dev/null | grep -qF "$WLP/"; then
        p=$c
        break
      fi
    done
  fi
  echo "$p"
}

cleanup() {
  local status=$?
  set +e
  trap - EXIT INT TERM
  if [ -n "$BENCH_PID" ]; then
    kill "$BENCH_PID" 2>/dev/null
    wait "$BENCH_PID" 2>/dev/null
  fi
  if [ -n "$SERVER_STARTED" ]; then
    say "stopping Liberty"
    local pid
    pid=$(liberty_pid)
    if ! "$WLP/bin/server" stop "$SERVER_NAME" >"$STATE/server-stop.log" 2>&1 && [ -n "$pid" ]; then
      kill "$pid" 2>/dev/null
    fi
    cp "$SERVER/logs/messages.log" "$STATE/messages-$TS.log" 2>/dev/null
  fi
  if [ -f "$WLP/usr/servers/eventbus2/workarea/.sPid" ]; then
    # the two-servers scenario stops its second server itself; this is for a benchmark that was killed
    "$WLP/bin/server" stop eventbus2 >>"$STATE/server-stop.log" 2>&1
    cp "$WLP/usr/servers/eventbus2/logs/messages.log" "$STATE/messages2-$TS.log" 2>/dev/null
  fi
  if [ -n "$DEVSTACK_STARTED" ]; then
    say "stopping PostgreSQL, Kafka and Redis"
    java -jar "$DEVSTACK_JAR" stop --env-file "$ENV_FILE" >/dev/null 2>&1
    if [ -n "$DEVSTACK_PID" ]; then
      for _ in $(seq 1 50); do
        kill -0 "$DEVSTACK_PID" 2>/dev/null || break
        sleep 0.2
      done
      kill "$DEVSTACK_PID" 2>/dev/null
    fi
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "starting PostgreSQL (fsync on), Kafka and Redis (fresh data in $DATA)"
# Delivered rows stay in eb_delivery for the whole run (history window 2 h), so the scenarios count deliveries in
# one table; bench/history-cost/run.sh measures the delivery history and its move.
DEVSTACK_STARTED=1
if ! java -Xmx128m -jar "$DEVSTACK_JAR" start --background --data "$DATA" --env-file "$ENV_FILE" \
    --reserve EVENTBUS_HTTP_PORT --reserve EVENTBUS_HTTPS_PORT \
    --set "EVENTBUS_WEBHOOK_ALLOW=127.0.0.1/32,::1/128" \
    --set "EVENTBUS_RATELIMIT_DEFAULT_PER_SECOND=1000000" --set "EVENTBUS_RATELIMIT_DEFAULT_BURST=1000000" \
    --set "EVENTBUS_DELIVERY_HISTORY_WINDOW=PT2H" \
    >"$STATE/devstack-start.log" 2>&1; then
  cat "$STATE/devstack-start.log" >&2
  exit 1
fi
DEVSTACK_PID=$(sed -n 's/.*running in the background (pid \([0-9]*\)).*/\1/p' "$STATE/devstack-start.log" | head -1)

# Liberty reads server.env at start: keep its own lines (keystore password), add the stack's settings except
# the control token, owner-only, as ./eventbus run does.
(
  umask 077
  rm -f "$SERVER/server.env.new"
  grep -v -E '^(EVENTBUS_|DEVSTACK_)' "$SERVER/server.env" 2>/dev/null > "$SERVER/server.env.new" || true
  grep -v '^DEVSTACK_CONTROL_TOKEN=' "$ENV_FILE" >> "$SERVER/server.env.new" || true
)
mv "$SERVER/server.env.new" "$SERVER/server.env"
PORT=$(grep '^EVENTBUS_HTTP_PORT=' "$ENV_FILE" | cut -d= -f2)
URL="http://127.0.0.1:$PORT"

await_ready() {
  local deadline=$(( $(date +%s) + $1 ))
  until curl -fs -o /dev/null --max-time 5 "$URL/health/ready"; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "bench: Liberty not ready within $1 s; see $SERVER/logs/messages.log" >&2
      return 1
    fi
    sleep 0.2
  done
}

say "cold start of Liberty (server start --clean) until $URL/health/ready answers 200"
SERVER_STARTED=1
t0=$(now_ms)
"$WLP/bin/server" start "$SERVER_NAME" --clean >"$STATE/server-start.log" 2>&1 || true
await_ready 300
COLD=$(( $(now_ms) - t0 ))
say "cold start: ${COLD} ms; restarting for a warm start"
t0=$(now_ms)
"$WLP/bin/server" stop "$SERVER_NAME" >"$STATE/server-stop.log" 2>&1 || true
STOP=$(( $(now_ms) - t0 ))
t0=$(now_ms)
"$WLP/bin/server" start "$SERVER_NAME" >>"$STATE/server-start.log" 2>&1 || true
await_ready 300
WARM=$(( $(now_ms) - t0 ))
say "warm start: ${WARM} ms (stop took ${STOP} ms)"
PID=$(liberty_pid)
[ -n "$PID" ] || say "Liberty's pid not found: no RSS/CPU figures"
printf 'coldMs=%s\nwarmMs=%s\nstopMs=%s\n' "$COLD" "$WARM" "$STOP" > "$STATE/starts-$TS.env"

GIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ "$GIT" != unknown ] && ! git -C "$ROOT" diff --quiet HEAD -- 2>/dev/null; then
  GIT="$GIT-dirty"
fi
LIMIT=$([ ${#QUICK[@]} -gt 0 ] && echo 1200 || echo 7200)
say "running the benchmark${QUICK:+ (quick)}"
# in the background and waited for, so Ctrl-C reaches the trap at once (the trap ends it)
timeout "$LIMIT" java -Xmx1g -jar "$BENCH_JAR" \
  --url "$URL" --env-file "$ENV_FILE" --out "$BENCH/results" --run-id "$TS" \
  --liberty-pid "${PID:-0}" --clk-tck "$(getconf CLK_TCK 2>/dev/null || echo 100)" \
  --starts "$STATE/starts-$TS.env" --git-commit "$GIT" \
  --wlp "$WLP" --server-name "$SERVER_NAME" --devstack-pid "${DEVSTACK_PID:-0}" \
  --java-version "$(java -version 2>&1 | head -3 | tr '\n' ' ' | sed 's/ *$//')" \
  "${QUICK[@]}" "${EXTRA[@]}" &
BENCH_PID=$!
STATUS=0
wait "$BENCH_PID" || STATUS=$?
BENCH_PID=""
if [ "$STATUS" = 124 ]; then
  echo "bench: the benchmark did not finish within $LIMIT s and was stopped" >&2
fi
exit "$STATUS"
