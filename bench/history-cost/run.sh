#!/usr/bin/env bash
# Lease and settle cost with many delivered rows present (issue 18), on a plain PostgreSQL. Not part of the tests.
#
#   bench/history-cost/run.sh [--rows N] [--rounds N]
#
#   --rows     delivered rows loaded (default 10,000,000), with as many attempt records
#   --rounds   lease+settle rounds timed per phase (default 2,000: 200 per subscription, 50 events each)
#
# Creates the database eb_history_cost (dropped first) on the server that PGHOST, PGPORT and PGUSER name (default
# 127.0.0.1:5432, user postgres: the machine's PostgreSQL, see ENVIRONMENT.md), migrates it with sql/V*.sql and
# runs three phases, each after queueing a fresh backlog of 12,000 events for 10 subscriptions (5 unordered,
# 5 ordered with 64 keys):
#   1. empty history: the rounds, then every delivered row moved to the history (timed per batch);
#   2. N delivered rows (and attempts) loaded into today's history partitions: the rounds and the moves again,
#      and the reads of GET /v1/events/{id}/deliveries for an event among them;
#   3. the model before V018: N delivered rows left in eb_delivery itself: the rounds.
# Every statement runs under EXPLAIN (ANALYZE, BUFFERS); the report gives p50/p95 execution time and buffers per
# statement and phase, and bytes per row. The database is left for inspection: drop it when done.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
ROWS=10000000
ROUNDS=2000
BACKLOG=12000
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) ROWS=$2; shift ;;
    --rounds) ROUNDS=$2; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "usage: bench/history-cost/run.sh [--rows N] [--rounds N]" >&2; exit 2 ;;
  esac
  shift
done
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
DB=eb_history_cost
say() { echo "==> $(date -u +%H:%M:%S) $*" >&2; }
q() { psql -d "$DB" -X -q -v ON_ERROR_STOP=1 "$@"; }

say "database $DB on $PGHOST:$PGPORT ($(psql -d postgres -X -Atc 'show server_version'))"
psql -d postgres -X -q -c "drop database if exists $DB" -c "create database $DB"
for f in "$ROOT"/sql/V*.sql; do q -f "$f"; done
q -f history-cost.sql

phase() {
  say "phase '$1': backlog of $BACKLOG events x 10 subscriptions, $ROUNDS rounds"
  q -c "select from bench_backlog($BACKLOG)" -c "vacuum analyze"
  q -c "call bench_rounds('$1', $ROUNDS)"
}

phase "1 empty history"
say "bytes of a delivered row in eb_delivery (written by the rounds)"
q -c "select count(*) as delivered_rows, round(avg(pg_column_size(d.*))) as row_bytes
        from eb_delivery d where state = 'DELIVERED'"
say "moving them"
q -c "call bench_move_all('1 empty history')"

say "loading $ROWS delivered rows and $ROWS attempt records into today's history partitions"
q -v rows="$ROWS" -f load-history.sql
q -c "vacuum analyze"
phase "2 history: $ROWS rows"
say "moving them"
q -c "call bench_move_all('2 history: $ROWS rows')"
q -c "call bench_reads('2 history: $ROWS rows')"
say "sizes"
q -f sizes.sql

say "loading $ROWS delivered rows into eb_delivery itself (the model before V018)"
q -v rows="$ROWS" -f load-queue.sql
q -c "vacuum analyze"
phase "3 before V018: $ROWS rows in eb_delivery"
q -f sizes.sql

say "statement cost per phase (EXPLAIN ANALYZE: execution time, buffers hit or read)"
q -c "select phase, statement, count(*) as runs,
             round(percentile_cont(0.5) within group (order by ms)::numeric, 3) as p50_ms,
             round(percentile_cont(0.95) within group (order by ms)::numeric, 3) as p95_ms,
             round(avg(buffers)) as avg_buffers
        from bench_timing group by phase, statement order by statement, phase"
