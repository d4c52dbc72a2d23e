#!/bin/sh
# Smoke test of the Intake image against servers that already run (Kafka, Redis, PostgreSQL):
#
#   INTAKE_KAFKA_BOOTSTRAP=127.0.0.1:9092 INTAKE_REDIS_URL=redis://127.0.0.1:6379 \
#   INTAKE_PG_URL=postgresql://intake:secret@127.0.0.1:5432/intake INTAKE_APPLICANT_KEY_SECRET=... \
#   INTAKE_RECEIPT_SIGNING_KEY=... deploy/container/smoke.sh [--image IMAGE] [--submit API_KEY] [--keep]
#
# Runs `intake --version`, then `intake serve` in the background with host networking and every INTAKE_*
# variable of the caller, waits for /health/ready on the management port, and stops it again (--keep leaves
# it running, as container intake-smoke). --submit posts one application with that API key (the body is
# $SUBMIT_BODY, by default dev mode's demo application) and expects 202. Other settings:
#   READY_TIMEOUT  seconds to wait for ready (60)      PODMAN_RUN_OPTS  more `podman run` options
set -eu

IMAGE=localhost/intake:0.1.0-SNAPSHOT
KEY=
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --image) IMAGE=$2; shift 2 ;;
    --submit) KEY=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) echo "usage: $0 [--image IMAGE] [--submit API_KEY] [--keep]" >&2; exit 2 ;;
  esac
done
NAME=intake-smoke
MGMT=${INTAKE_MANAGEMENT_PORT:-9090}
API=${INTAKE_HTTP_PORT:-8080}

# What this host needs so that podman can start a container at all (each seen in a sandbox, as root):
set --
# - crun 1.8 (Debian 12's) refuses hybrid cgroups (v1 controllers plus a v2 mount):
#   "crun: cgroups in hybrid mode not supported, drop all controllers from cgroupv2"; runc handles them.
if [ -d /sys/fs/cgroup/unified ] && command -v runc >/dev/null; then set -- "$@" --runtime runc; fi
# - without CAP_SYS_RESOURCE podman's default limits (nofile and nproc 1048576 and more) are above the hard
#   limits and cannot be set: "setrlimit `RLIMIT_NOFILE`: Operation not permitted". Podman itself caps its
#   own nproc at 32768, which the container then cannot exceed either.
capeff=$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status)
if [ $(( (0x$capeff >> 24) & 1 )) -eq 0 ]; then
  hard() { awk -v what="$1" 'index($0, what) == 1 { print $(NF - 1) }' /proc/self/limits; }
  nofile=$(hard 'Max open files'); nproc=$(hard 'Max processes')
  { [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ]; } && nproc=32768
  [ "$nofile" = unlimited ] && nofile=1048576
  set -- "$@" --ulimit "nofile=$nofile:$nofile" --ulimit "nproc=$nproc:$nproc"
fi
# shellcheck disable=SC2086  # PODMAN_RUN_OPTS is a list of words
set -- "$@" ${PODMAN_RUN_OPTS:-}

echo "== podman run $* $IMAGE --version"
podman run --rm "$@" "$IMAGE" --version

# Every INTAKE_* variable of the caller, by name (podman takes the value from this environment).
for var in $(env | sed -n 's/^\(INTAKE_[A-Z0-9_]*\)=.*/\1/p'); do set -- "$@" -e "$var"; done
podman rm -f "$NAME" >/dev/null 2>&1 || true
echo "== podman run -d --name $NAME --network host $* $IMAGE serve"
podman run -d --name "$NAME" --network host "$@" "$IMAGE" serve >/dev/null
[ "$KEEP" = 1 ] || trap 'podman rm -f "$NAME" >/dev/null 2>&1 || true' EXIT

deadline=$(( $(date +%s) + ${READY_TIMEOUT:-60} ))
until curl -fsS "http://127.0.0.1:$MGMT/health/ready" 2>/dev/null; do
  if [ "$(podman inspect -f '{{.State.Running}}' "$NAME" 2>/dev/null)" != true ] || [ "$(date +%s)" -ge "$deadline" ]; then
    echo "== not ready; the container's log:" >&2
    podman logs "$NAME" 2>&1 | tail -n 40 >&2
    exit 1
  fi
  sleep 1
done
echo
echo "== ready on :$MGMT ($(podman inspect -f '{{.Config.User}}' "$NAME") in $(podman inspect -f '{{.ImageName}}' "$NAME"))"

if [ -n "$KEY" ]; then
  body=${SUBMIT_BODY:-'{"serviceCode":"SHTAX-0001","applicant":{"type":"INDIVIDUAL","id":"310101199001011234"},"channel":"WEB","payload":{"taxYear":2025,"annualIncome":180000,"withheldTax":9000}}'}
  echo "== POST http://127.0.0.1:$API/v1/applications"
  code=$(curl -sS -o /dev/stderr -w '%{http_code}' "http://127.0.0.1:$API/v1/applications" \
    -H "Authorization: Bearer $KEY" -H "Idempotency-Key: smoke-$(date +%s)-$$" \
    -H "Content-Type: application/json" -d "$body")
  echo
  [ "$code" = 202 ] || { echo "== expected 202, got $code" >&2; podman logs "$NAME" 2>&1 | tail -n 20 >&2; exit 1; }
  echo "== 202"
fi
echo "== ok"
