#!/usr/bin/env bash
# The fault suite (issue 21): a steady publish load, one fault at a time, a ledger of every answer and every
# delivery, one verdict line per scenario. It starts its own PostgreSQL, Kafka, Redis and Liberty (through the
# arquillian-tests build) and stops them at the end.
#   tests/faults/run.sh                 full run: 1,000 ev/s, Liberty killed 10 times, 60 s outages (~45 min)
#   tests/faults/run.sh --quick         the quick run that every 'mvn verify' does (~6 min)
#   tests/faults/run.sh --scenarios s1,s3 --rate 500 --kills 3
# Scenarios: s0 baseline, s1 kill -9 Liberty, s2 Kafka SIGTERM and kill -9, s3 PostgreSQL stopped, s4 Redis
# stopped, s5 failing subscriber (then its dead letters redriven), s6 slow subscriber, s7 network trouble.
# Verdicts: arquillian-tests/target/faults/verdicts.txt (and verdicts.md, ledger.csv, deliveries.csv).
# Set MVN to wrap Maven (e.g. MVN='flock /tmp/mvn.lock mvn').
set -euo pipefail
cd "$(dirname "$0")/../.."
mode=full
extra=(-Dit.outbox.threshold=10000 -Dit.flow.threshold=2000 -Dit.flow.max.hold=PT1S -Dit.relay.threads=1 -Dit.auto.disable.after=PT24H)
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) mode=quick; extra=() ;;
    --scenarios) extra+=("-Dfaults.scenarios=$2"); shift ;;
    --rate) extra+=("-Dfaults.rate=$2"); shift ;;
    --kills) extra+=("-Dfaults.kills=$2"); shift ;;
    *) echo "usage: tests/faults/run.sh [--quick] [--scenarios s0,s1,...] [--rate N] [--kills N]" >&2; exit 2 ;;
  esac
  shift
done
status=0
${MVN:-mvn} -B -pl arquillian-tests -am verify -Dspotless.skip -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=FaultSuiteIT -Dfaults.mode="$mode" "${extra[@]}" || status=$?
echo "==> verdicts (arquillian-tests/target/faults/verdicts.txt):"
cat arquillian-tests/target/faults/verdicts.txt 2>/dev/null || true
exit $status
