#!/usr/bin/env bash
# CI smoke of the Gatling load tests: starts Intake in dev mode on its own ports and data dir (real Kafka, Redis
# and PostgreSQL as child processes), runs all six simulations with profile smoke against it in one Maven
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

for port in "$HTTP_PORT" "$MGMT_PORT"; do
  if ss -ltnH "( sport = :$port )" 2>/dev/null | grep -q .; then
    echo "smoke: port $port is taken; set SMOKE_HTTP_PORT / SMOKE_MANAGEMENT_PORT" >&2
    exit 1
  fi
done
[ "${SMOKE_FRESH:-0}" = 1 ] && rm -rf "$DATA"
mkdir -p "$OUT"
rm -f "$OUT/intake.log" "$OUT/gatling.log"

mvn_pid=
intake_pid=
# The Intake JVM is a child of the Maven JVM that exec:exec runs in: found that way, never by name alone (another
# dev mode may run beside this one).
find_intake() { pgrep -P "$mvn_pid" -f 'eu\.gov\.intake\.dev\.DevMain dev' 2>/dev/null | head -1 || true; }
stop_intake() {
  [ -n "$mvn_pid" ] || return 0
  [ -n "$intake_pid" ] || intake_pid=$(find_intake)
  if [ -n "$intake_pid" ] && kill -0 "$intake_pid" 2>/dev/null; then
    kill -TERM "$intake_pid" 2>/dev/null || true
    # grace (2 s) + drain (at most 10 s) + stopping Kafka, Redis and PostgreSQL
    for _ in $(seq 1 120); do kill -0 "$intake_pid" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$intake_pid" 2>/dev/null; then
      echo "smoke: Intake did not stop within 30 s of SIGTERM; SIGKILL (its servers die with it)" >&2
      kill -KILL "$intake_pid" 2>/dev/null || true
    fi
  fi
  for _ in $(seq 1 40); do kill -0 "$mvn_pid" 2>/dev/null || break; sleep 0.25; done
  kill -TERM "$mvn_pid" 2>/dev/null || true
  wait "$mvn_pid" 2>/dev/null || true
  # the dev servers keep their data under $DATA: anything still running on it is ours
  left=$(pgrep -f "$DATA" 2>/dev/null || true)
  if [ -n "$left" ]; then
    echo "smoke: processes left on $DATA: $left; killing them" >&2
    kill -KILL $left 2>/dev/null || true
  fi
  mvn_pid=
}
trap stop_intake EXIT
trap 'exit 130' INT TERM

echo "smoke: starting Intake in dev mode on 127.0.0.1:$HTTP_PORT (log: $OUT/intake.log)"
INTAKE_DATA_DIR="$DATA" INTAKE_HTTP_PORT="$HTTP_PORT" INTAKE_MANAGEMENT_PORT="$MGMT_PORT" INTAKE_HTTP_HOST=127.0.0.1 \
  ./mvnw -q -B compile exec:exec > "$OUT/intake.log" 2>&1 &
mvn_pid=$!
for _ in $(seq 1 360); do
  grep -q "Intake ready" "$OUT/intake.log" 2>/dev/null && break
  kill -0 "$mvn_pid" 2>/dev/null || break
  sleep 0.5
done
if ! grep -q "Intake ready" "$OUT/intake.log"; then
  echo "smoke: Intake did not start; the end of $OUT/intake.log:" >&2
  tail -30 "$OUT/intake.log" >&2
  exit 1
fi
intake_pid=$(find_intake)
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
stop_intake
finished=$(date +%s)
failed=$(grep -c ' : false (actual' "$OUT/gatling.log" || true)
echo "smoke: Intake start $((ready - started)) s, simulations $((gatling_done - ready)) s, stop $((finished - gatling_done)) s, total $((finished - started)) s"
if [ "$rc" -ne 0 ]; then
  echo "smoke: FAILED (Maven exit $rc, $failed assertion(s) false; see $OUT/gatling.log)"
  exit 1
fi
echo "smoke: all simulations passed their assertions"
