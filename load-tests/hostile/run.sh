#!/usr/bin/env bash
# Hostile traffic at volume (issue 13, item 10) against Intake in dev mode on ports and a data dir of its own:
# a siege of idle, slow-body and slowloris connections, then hostile requests from the mutated hostile corpus
# with the siege still on, and well-formed submissions of another client at a constant rate throughout
# (dev/src/test/java/eu/gov/intake/hostile/HostileVolume.java says what each phase sends). Traffic goes to
# 127.0.0.1 only; the run is bounded by its request count and stops by itself. Exits non-zero when Intake died,
# answered a 5xx other than a deliberate 503, or the well-formed traffic fell under 99 % accepted or (in the
# siege) a p99 of 1 s.
#   load-tests/hostile/run.sh     # the full run: 30 s warm-up under the siege, 60 s siege measured, 100,000 requests
#   REQUESTS=20000 SIEGE_SECONDS=20 load-tests/hostile/run.sh     # the short version .ci/run runs (still 30 s of warm-up)
#   IDLE=2000 SLOW=1000 WORKERS=32 GOOD_RATE=50 HOSTILE_HTTP_PORT=18280 HOSTILE_MANAGEMENT_PORT=19290   (defaults)
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=$PWD/target/hostile
HTTP_PORT=${HOSTILE_HTTP_PORT:-18280}
MGMT_PORT=${HOSTILE_MANAGEMENT_PORT:-19290}

./mvnw -q -B -pl dev -am test-compile -DskipTests
./mvnw -q -B -pl dev dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/classpath.txt" > /dev/null

source load-tests/dev-instance.sh
trap dev_instance_stop EXIT
trap 'exit 130' INT TERM
rm -rf "$OUT/.intake"
echo "hostile: starting Intake in dev mode on 127.0.0.1:$HTTP_PORT (log: $OUT/intake.log)"
dev_instance_start "$OUT" "$HTTP_PORT" "$MGMT_PORT" || exit 1
[ -n "$intake_pid" ] || { echo "hostile: Intake's process not found under Maven's" >&2; exit 1; }
# the JDK dev mode runs on (>= 21, found by the build), for the generator's virtual threads
java_bin=$(readlink -f "/proc/$intake_pid/exe")
rc=0
"$java_bin" -Xmx1g -cp "dev/target/test-classes:dev/target/classes:$(cat "$OUT/classpath.txt")" \
  -Dport="$HTTP_PORT" -DmanagementPort="$MGMT_PORT" -Dpid="$intake_pid" -DdevJson="$DATA/dev.json" \
  -Drequests="${REQUESTS:-100000}" -Dworkers="${WORKERS:-32}" -Didle="${IDLE:-2000}" -Dslow="${SLOW:-1000}" \
  -DgoodRate="${GOOD_RATE:-50}" -DsiegeSeconds="${SIEGE_SECONDS:-60}" -DwarmSeconds="${WARM_SECONDS:-30}" \
  eu.gov.intake.hostile.HostileVolume 2>&1 | tee "$OUT/hostile.txt" || rc=$?
# Intake's own view: its error lines (5xx are logged by ServerErrorLog) and whether it stops cleanly
echo "hostile: Intake log lines at WARN or ERROR: $(grep -cE ' (WARN|ERROR) ' "$OUT/intake.log" || true) (see $OUT/intake.log)"
dev_instance_stop
exit $rc
