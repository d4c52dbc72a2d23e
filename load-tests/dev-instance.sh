# Sourced by the load-test scripts: Intake in dev mode on ports and a data dir of the script's own (real Kafka,
# Redis and PostgreSQL as its child processes), started and stopped cleanly.
#   dev_instance_start OUT_DIR HTTP_PORT MGMT_PORT [extra INTAKE_*=value ...]   sets mvn_pid, intake_pid, DATA
#   dev_instance_stop                                                            SIGTERM, then SIGKILL after 30 s
# The caller sets `trap dev_instance_stop EXIT`. Traffic to it goes to 127.0.0.1 only.
mvn_pid=
intake_pid=
DATA=

dev_instance_ports_free() {
  for port in "$@"; do
    if ss -ltnH "( sport = :$port )" 2>/dev/null | grep -q .; then
      echo "port $port is taken; choose other ports" >&2
      return 1
    fi
  done
}

# The Intake JVM is a child of the Maven JVM that exec:exec runs in: found that way, never by name alone (another
# dev mode may run beside this one).
dev_instance_find() { pgrep -P "$mvn_pid" -f 'eu\.gov\.intake\.dev\.DevMain dev' 2>/dev/null | head -1 || true; }

dev_instance_start() {
  local out=$1 http=$2 mgmt=$3
  shift 3
  DATA=$out/.intake
  mkdir -p "$out"
  rm -f "$out/intake.log"
  dev_instance_ports_free "$http" "$mgmt" || return 1
  env INTAKE_DATA_DIR="$DATA" INTAKE_HTTP_PORT="$http" INTAKE_MANAGEMENT_PORT="$mgmt" INTAKE_HTTP_HOST=127.0.0.1 "$@" \
    ./mvnw -q -B compile exec:exec > "$out/intake.log" 2>&1 &
  mvn_pid=$!
  for _ in $(seq 1 360); do
    grep -q "Intake ready" "$out/intake.log" 2>/dev/null && break
    kill -0 "$mvn_pid" 2>/dev/null || break
    sleep 0.5
  done
  if ! grep -q "Intake ready" "$out/intake.log"; then
    echo "Intake did not start; the end of $out/intake.log:" >&2
    tail -30 "$out/intake.log" >&2
    return 1
  fi
  intake_pid=$(dev_instance_find)
}

dev_instance_stop() {
  [ -n "$mvn_pid" ] || return 0
  [ -n "$intake_pid" ] || intake_pid=$(dev_instance_find)
  if [ -n "$intake_pid" ] && kill -0 "$intake_pid" 2>/dev/null; then
    kill -TERM "$intake_pid" 2>/dev/null || true
    # grace (2 s) + drain (at most 10 s) + stopping Kafka, Redis and PostgreSQL
    for _ in $(seq 1 120); do kill -0 "$intake_pid" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$intake_pid" 2>/dev/null; then
      echo "Intake did not stop within 30 s of SIGTERM; SIGKILL (its servers die with it)" >&2
      kill -KILL "$intake_pid" 2>/dev/null || true
    fi
  fi
  for _ in $(seq 1 40); do kill -0 "$mvn_pid" 2>/dev/null || break; sleep 0.25; done
  kill -TERM "$mvn_pid" 2>/dev/null || true
  wait "$mvn_pid" 2>/dev/null || true
  # the dev servers keep their data under $DATA: anything still running on it is ours
  local left
  left=$(pgrep -f "$DATA" 2>/dev/null || true)
  if [ -n "$left" ]; then
    echo "processes left on $DATA: $left; killing them" >&2
    kill -KILL $left 2>/dev/null || true
  fi
  mvn_pid=
}
