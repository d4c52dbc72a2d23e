#!/usr/bin/env bash
# CI smoke of the Gatling load tests: starts Intake in dev mode on its own ports and data dir (real Kafka, Redis
# and PostgreSQL as child processes), runs all seven simulations with profile smoke against it in one Maven
# invocation, stops dev mode cleanly (SIGTERM: Intake drains and stops its servers) and leaves no process behind.
# Exits non-zero when Intake did not start or any simulation's assertions failed. Traffic goes to 127.0.0.1 only.
#   load-tests/gatling/smoke.sh
#   SMOKE_HTTP_PORT=18180 SMOKE_MANAGEMENT_PORT=19190   the ports (defaults shown; never dev mode's 8080/9090)
#   SMOKE_FRESH=1                                       start from an empty data dir (target/gatling-smoke/.intake)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
HTTP_PORT=${SMOKE_HTTP_PORT:-18180}
MGMT_PORT=${SMOKE_MANAGEMENT_PORT:-19190}
OUT=$ROOT/target/gatling-smoke
DATA=$OUT/.intake
started=$(date +%s)

[ "${SMOKE_FRESH:-0}" = 1 ] && rm -rf "$DATA"
rm -f "$OUT/gatling.log"
source load-tests/dev-instance.sh
trap dev_instance_stop EXIT
trap 'exit 130' INT TERM

echo "smoke: starting Intake in dev mode on 127.0.0.1:$HTTP_PORT (log: $OUT/intake.log)"
dev_instance_start "$OUT" "$HTTP_PORT" "$MGMT_PORT" || exit 1
ready=$(date +%s)
echo "smoke: Intake ready after $((ready - started)) s (pid ${intake_pid:-?})"

results=load-tests/gatling/target/gatling
mkdir -p "$results"
before=$(ls "$results")
rc=0
./mvnw -q -B -f load-tests/gatling/pom.xml gatling:test -Dprofile=smoke \
  "-DbaseUrl=http://127.0.0.1:$HTTP_PORT" "-DdevJson=$DATA/dev.json" "$@" 2>&1 | tee "$OUT/gatling.log" || rc=$?
gatling_done=$(date +%s)

echo
for run in $(ls "$results"); do
  grep -qxF "$run" <<< "$before" || echo "report: $ROOT/$results/$run/index.html"
done
echo "smoke: stopping Intake (SIGTERM)"
dev_instance_stop
finished=$(date +%s)
failed=$(grep -c ' : false (actual' "$OUT/gatling.log" || true)
echo "smoke: Intake start $((ready - started)) s, simulations $((gatling_done - ready)) s, stop $((finished - gatling_done)) s, total $((finished - started)) s"
if [ "$rc" -ne 0 ]; then
  echo "smoke: FAILED (Maven exit $rc, $failed assertion(s) false; see $OUT/gatling.log)"
  exit 1
fi
echo "smoke: all simulations passed their assertions"
