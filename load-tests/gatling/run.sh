#!/usr/bin/env bash
# Runs one or all Gatling simulations against a running Intake and prints where the HTML reports are.
#   load-tests/gatling/run.sh SIMULATION|all [smoke|full] [baseUrl] [-Dknob=value ...]
#   load-tests/gatling/run.sh all                                   # all seven, smoke, http://127.0.0.1:8080
#   load-tests/gatling/run.sh SteadyLoad full                       # one, at realistic rates (1-3 minutes)
#   load-tests/gatling/run.sh DeadlineBurst full http://127.0.0.1:8080 -Dburst.baseRate=50
# Keys come from .intake/dev.json (dev mode: ./mvnw -q compile exec:exec), or DEV_JSON=path, or -DapiKey=...
# -DdeptKey=... for any other Intake. SIMULATION: SteadyLoad DeadlineBurst DoubleClickRetries BadInputMix
# BatchUploader ReadYourStatus (or a fully qualified class name). Exits non-zero when an assertion failed.
set -euo pipefail
cd "$(dirname "$0")/../.."

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[ $# -ge 1 ] || usage
sim=$1; profile=${2:-smoke}; base=${3:-http://127.0.0.1:8080}
shift $(( $# < 3 ? $# : 3 ))
case "$profile" in smoke|full) ;; *) echo "profile must be smoke or full, not $profile"; usage ;; esac

dev_json=${DEV_JSON:-.intake/dev.json}
case "$dev_json" in /*) ;; *) dev_json="$PWD/$dev_json" ;; esac

if command -v curl >/dev/null && ! curl -s -o /dev/null --max-time 5 "$base/openapi.yaml"; then
  echo "no Intake answers at $base: start dev mode first (./mvnw -q compile exec:exec) or pass its URL" >&2
  exit 1
fi

args=(-B -f load-tests/gatling/pom.xml gatling:test "-Dprofile=$profile" "-DbaseUrl=$base" "-DdevJson=$dev_json")
case "$sim" in
  all) ;;
  *.*) args+=("-Dgatling.simulationClass=$sim") ;;
  *) args+=("-Dgatling.simulationClass=intake.load.$sim") ;;
esac

results=load-tests/gatling/target/gatling
mkdir -p "$results"
before=$(ls "$results")
rc=0
./mvnw "${args[@]}" "$@" || rc=$?
echo
for run in $(ls "$results"); do
  grep -qxF "$run" <<< "$before" || echo "report: $PWD/$results/$run/index.html"
done
[ $rc -eq 0 ] && echo "run.sh $sim $profile: assertions passed" || echo "run.sh $sim $profile: FAILED (exit $rc)"
exit $rc
