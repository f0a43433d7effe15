#!/usr/bin/env bash
# The soak test (issue 21): a steady publish load to an ordered webhook and the co-deployed example's CDI observers,
# sampled every 10 s (RSS, heap after GC, outbox backlog, relay lag, delivery lags, 429s) into
# arquillian-tests/target/soak/soak.csv and soak.png, with a verdict line in verdict.txt. The server runs with the
# production defaults for the history window, the service directory, alerts and monitoring (the other tests shorten
# them). Like the fault suite it
# starts its own PostgreSQL, Kafka, Redis and Liberty (through the arquillian-tests build) and stops them at the end.
#   tests/soak/run.sh                      30 minutes at 500 ev/s
#   tests/soak/run.sh --minutes 3 --rate 200
# On a shared machine hold the build lock for the whole run and let Maven not take it again:
#   flock /tmp/mvn.lock tests/soak/run.sh        (MVN defaults to 'mvn -o')
set -euo pipefail
cd "$(dirname "$0")/../.."
minutes=30
rate=500
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes="$2"; shift ;;
    --rate) rate="$2"; shift ;;
    *) echo "usage: tests/soak/run.sh [--minutes N] [--rate N]" >&2; exit 2 ;;
  esac
  shift
done
status=0
${MVN:-mvn -o} -B -pl arquillian-tests -am verify -Dspotless.skip -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=SoakIT -Dsoak.minutes="$minutes" -Dsoak.rate="$rate" \
  -Dit.outbox.threshold=10000 -Dit.flow.threshold=2000 -Dit.flow.max.hold=PT1S -Dit.relay.threads=1 -Dit.auto.disable.after=PT24H \
  -Dit.history.window=PT10M -Dit.directory.ttl=PT2S -Dit.alerts.interval=PT15S -Dit.monitoring.cache=PT15S \
  || status=$?
echo "==> verdict (arquillian-tests/target/soak/verdict.txt):"
cat arquillian-tests/target/soak/verdict.txt 2>/dev/null || true
exit $status
