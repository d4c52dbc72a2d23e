#!/usr/bin/env bash
# The benchmark, one command, one run, on this machine: (a) the ceiling, a Vert.x route that answers 202 to
# the same request and does nothing; (b) Kafka alone, Kafka's producer perf tool with Intake's producer
# settings (acks=all, idempotent, lz4, linger 5 ms) and the same ~1 KB application as record; (c) Intake in
# dev mode (real Kafka, Redis and PostgreSQL) at saturation; (d) Intake's latency at 50 % of that rate.
# (a), (c) and (d) use the same wrk client and the same application with a fresh Idempotency-Key per
# request. Traffic goes to 127.0.0.1 only and every run stops by itself.
#   load-tests/bench/run.sh            # DURATION=20s WARMUP=30s CONNECTIONS=64 THREADS=2 by default
# Each measured window prints, per process, CPU microseconds and context switches per accepted application (per
# request for the ceiling), from /proc; then the ratios of Intake to the ceiling. Last, (e) the same with Kafka
# paused (SIGSTOP): every application through the PostgreSQL spool. Between them, an open-model latency sweep
# (Gatling, constant arrival rates at 10-90 % of saturation) drawn as target/bench/open-sweep.svg.
#   PROFILE=1 load-tests/bench/run.sh  # also records a JFR profile of Intake and prints where its samples go
#   QUICK=1 load-tests/bench/run.sh    # the ceiling and Intake's saturation only (with PROFILE=1: a profile of that)
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-20s}
# both sides warm as long: the JIT takes about 30 s here, and an Intake measured while C2 still compiles pays for it
WARMUP=${WARMUP:-30s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
OUT=target/bench
LUA=load-tests/bench/submit.lua

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

rm -rf "$OUT" && mkdir -p "$OUT"
./mvnw -q -B test-compile
pids=()
kafka_pid() { pgrep -f "kafka.Kafka .*$OUT" | head -1 || true; }
cleanup() {
  kp=$(kafka_pid); [ -n "$kp" ] && kill -CONT "$kp" 2>/dev/null || true   # a stopped broker cannot shut down
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  # and the JVMs Maven started on the benchmark's ports, should Maven not take them down itself
  for pid in $(ss -ltnpH '( sport = :18080 or sport = :18081 )' 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u); do
    kill -TERM "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap cleanup EXIT

./mvnw -q -B test-compile exec:exec@ceiling > "$OUT/ceiling.log" 2>&1 &
pids+=($!)
# one Maven build at a time: two at once write the same build-info file (service/target/antrun) and one fails
for _ in $(seq 1 240); do grep -q "ceiling listening" "$OUT/ceiling.log" 2>/dev/null && break; sleep 0.5; done
jvm_extra="-Dintake.jvm.extra=none"
[ "${PROFILE:-0}" = 1 ] && jvm_extra="-XX:StartFlightRecording=filename=$PWD/$OUT/intake.jfr,settings=profile"
INTAKE_DATA_DIR="$OUT/.intake" INTAKE_HTTP_PORT=18080 INTAKE_MANAGEMENT_PORT=19090 INTAKE_HTTP_HOST=127.0.0.1 \
  ./mvnw -q -B compile exec:exec "-Dintake.jvm.extra=$jvm_extra" > "$OUT/intake.log" 2>&1 &
pids+=($!)

for _ in $(seq 1 240); do
  kill -0 "${pids[1]}" 2>/dev/null || break
  grep -q "Intake ready" "$OUT/intake.log" 2>/dev/null && grep -q "ceiling listening" "$OUT/ceiling.log" 2>/dev/null && break
  sleep 0.5
done
grep -q "Intake ready" "$OUT/intake.log" || { echo "Intake did not start; see $OUT/intake.log"; exit 1; }
export API_KEY=$(grep -o '"apiKey" : "[^"]*"' "$OUT/.intake/dev.json" | head -1 | cut -d'"' -f4)

run() {  # name url duration
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$3" -s "$LUA" "$2/v1/applications" | grep RESULT | sed "s/^RESULT/$1/"
}

# CPU ticks and context switches of each process over a measured window: on 2 shared cores, this is where the
# time goes. PostgreSQL works in one backend process per connection: its postmaster's children count too; a JVM's
# switches are its threads' (/proc/<pid>/task/*/status).
declare -A procs=([intake]="eu.gov.intake.dev.DevMain dev" [kafka]="kafka.Kafka" [redis]="redis-server" \
  [postgres]="bin/postgres -D $OUT" [ceiling]="eu.gov.intake.bench.CeilingServer")
pids_of() {
  local main; main=$(pgrep -f "${procs[$1]}" | head -1)
  [ "$1" = postgres ] && echo "$main $(pgrep -P "$main" | xargs)" || echo "$main"
}
ticks() { local t=0; for p in $(pids_of "$1"); do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo $t; }
switches() {
  local n=0
  for p in $(pids_of "$1"); do
    n=$((n + $(cat /proc/$p/task/*/status 2>/dev/null | awk '/ctxt_switches/{s+=$2} END{print s+0}')))
  done
  echo $n
}
# CPU ticks per thread of a JVM, grouped by the thread's name without its number (/proc/<pid>/task/*/comm):
# where a JVM's time goes outside its Java frames too (GC, the JIT, Kafka's I/O thread, the event loop)
thread_ticks() {
  for t in /proc/"$1"/task/*; do
    printf '%s\t%s\n' "$({ tr -d '\n' < "$t/comm"; } 2>/dev/null | sed 's/[#-]*[0-9]*$//')" "$(awk '{print $14 + $15}' "$t/stat" 2>/dev/null || echo 0)"
  done | awk -F'\t' '{s[$1]+=$2} END{for (k in s) print k "\t" s[k]}'
}
# threads_per_app PID BEFORE_FILE REQUESTS: the thread groups that took at least 2 us per request
threads_per_app() {
  local tick; tick=$(getconf CLK_TCK)
  thread_ticks "$1" | awk -F'\t' -v t="$tick" -v n="$3" 'NR==FNR{b[$1]=$2; next} {us=($2-b[$1])/t*1e6/n; if (us>=2) printf "  %6.0f us  %s\n", us, $1}' "$2" - | sort -rn
}
declare -A t0 c0
mark() { for name in "$@"; do t0[$name]=$(ticks "$name"); c0[$name]=$(switches "$name"); done; }
# per_app NAME REQUESTS PROCESS...: "process=cpu_us/ctx" per request, and the sum over them, into $OUT/NAME.cpu
per_app() {
  local name=$1 n=$2; shift 2
  local tick line all_us=0 all_ctx=0; tick=$(getconf CLK_TCK)
  line="$name per request (n=$n): cpu_us/context_switches"
  for p in "$@"; do
    local us ctx
    us=$(awk -v a="${t0[$p]}" -v b="$(ticks "$p")" -v t="$tick" -v n="$n" 'BEGIN{printf "%.0f", (b-a)/t*1e6/n}')
    ctx=$(awk -v a="${c0[$p]}" -v b="$(switches "$p")" -v n="$n" 'BEGIN{printf "%.2f", (b-a)/n}')
    line="$line $p=$us/$ctx"; all_us=$((all_us + us)); all_ctx=$(awk -v a="$all_ctx" -v b="$ctx" 'BEGIN{printf "%.2f", a+b}')
  done
  echo "$line all=$all_us/$all_ctx" | tee "$OUT/$name.cpu"
}
# the accepted ones: requests answered 2xx
requests_of() {
  local n bad; n=$(grep -o 'requests=[0-9]*' "$OUT/$1.txt" | cut -d= -f2); bad=$(grep -o 'non2xx=[0-9]*' "$OUT/$1.txt" | cut -d= -f2)
  echo $((n - ${bad:-0}))
}

echo "hardware: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem/{print $2}') GiB; wrk -t$THREADS -c$CONNECTIONS -d$DURATION; commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
run warmup-ceiling http://127.0.0.1:18081 "$WARMUP" > /dev/null
mark ceiling
run ceiling http://127.0.0.1:18081 "$DURATION" | tee "$OUT/ceiling.txt"
per_app ceiling "$(requests_of ceiling)" ceiling
quick() { [ "${QUICK:-0}" = 1 ]; }
# (b) Kafka alone, on the broker Intake uses, before Intake takes load: a topic like a department's
if ! quick; then
jdk_java=$(readlink -f "/proc/$(pgrep -f 'eu.gov.intake.dev.DevMain dev' | head -1)/exe")
kafka_cp=$(cat dev/target/kafka-broker.classpath)
bootstrap=$(grep -o '"kafka" : "[^"]*"' "$OUT/.intake/dev.json" | cut -d'"' -f4)
"$jdk_java" -cp "$kafka_cp" org.apache.kafka.tools.TopicCommand --bootstrap-server "$bootstrap" --create --if-not-exists \
  --topic bench.kafka-alone --partitions 6 --replication-factor 1 > /dev/null 2>&1 || true
sed -n 's/^local body = \[\[\(.*\)\]\]$/\1/p' "$LUA" > "$OUT/record.json"
"$jdk_java" -cp "$kafka_cp" -Dlog4j2.level=warn org.apache.kafka.tools.ProducerPerformance --topic bench.kafka-alone \
  --num-records "${KAFKA_RECORDS:-600000}" --throughput -1 --payload-file "$OUT/record.json" --payload-delimiter $'\x1e' \
  --producer-props bootstrap.servers="$bootstrap" acks=all enable.idempotence=true linger.ms=5 compression.type=lz4 \
  2>/dev/null | tail -1 > "$OUT/kafka.txt"
# "N records sent, R records/sec (M MB/sec), A ms avg latency, X ms max latency, P ms 50th, .. 95th, .. 99th, .. 99.9th."
awk -F'[ (,]+' '{printf "kafka-alone rps=%.0f ok_rps=%.0f p50_ms=%s p99_ms=%s p999_ms=%s records=%s (producer perf tool, as fast as it can: avg %s ms, max %s ms)\n", $4, $4, $16, $22, $25, $1, $8, $12}' "$OUT/kafka.txt" \
  | tee "$OUT/kafka-summary.txt"
fi

run warmup-intake http://127.0.0.1:18080 "$WARMUP" > /dev/null
# then until the JIT settles: 10 s more while its compiler threads took over 5 % of Intake's CPU (at most twice; it
# never quite settles here: C2 keeps recompiling at 5-9 % after 70 s)
intake_pid=$(pids_of intake)
jit_share() {  # the compiler threads' share of the JVM's CPU since the given snapshot, in percent
  thread_ticks "$1" | awk -F'\t' 'NR==FNR{b[$1]=$2; next} {d=$2-b[$1]; all+=d; if ($1 ~ /Compiler/) jit+=d} END{printf "%.0f", all ? 100*jit/all : 0}' "$2" -
}
for _ in 1 2; do
  thread_ticks "$intake_pid" > "$OUT/jit.before"
  run warmup-intake http://127.0.0.1:18080 10s > /dev/null
  share=$(jit_share "$intake_pid" "$OUT/jit.before")
  echo "warm-up: the JIT took $share % of Intake's CPU in the last 10 s"
  [ "$share" -le 5 ] && break
done
mark intake kafka redis postgres
thread_ticks "$intake_pid" > "$OUT/intake-threads.before"
run intake http://127.0.0.1:18080 "$DURATION" | tee "$OUT/intake.txt"
per_app intake "$(requests_of intake)" intake kafka redis postgres
echo "intake's threads, cpu per accepted application:"
threads_per_app "$intake_pid" "$OUT/intake-threads.before" "$(requests_of intake)" | tee "$OUT/intake-threads.txt"
[ "${PROFILE:-0}" = 1 ] && jcmd_pid=$(pgrep -f "eu.gov.intake.dev.DevMain dev" | head -1) \
  && "$(dirname "$(readlink -f "/proc/$jcmd_pid/exe")")/jcmd" "$jcmd_pid" JFR.dump filename="$PWD/$OUT/intake-saturation.jfr" > /dev/null
if ! quick; then

# (d) the same client offering half the saturation rate: each connection pauses between requests. wrk waits for
# an answer before it pauses, so a 5 s calibration run measures how much of each cycle the answer takes.
sat=$(grep -o 'ok_rps=[0-9]*' "$OUT/intake.txt" | cut -d= -f2)
half=$((sat / 2))
delay_ms=$(awk -v c="$CONNECTIONS" -v r="$half" 'BEGIN{printf "%.1f", c * 1000 / r}')
got=$(DELAY_MS=$delay_ms run calibrate http://127.0.0.1:18080 5s | grep -o 'ok_rps=[0-9]*' | cut -d= -f2)
delay_ms=$(awk -v c="$CONNECTIONS" -v r="$half" -v g="$got" -v d="$delay_ms" \
  'BEGIN{x = d - (c * 1000 / g - c * 1000 / r); if (x < 0) x = 0; printf "%.1f", x}')
DELAY_MS=$delay_ms run "intake-at-50%" http://127.0.0.1:18080 "$DURATION" | tee "$OUT/intake-half.txt" \
  | sed "s/\$/ (offered ~$half\/s: $CONNECTIONS connections, ${delay_ms} ms between requests)/"

# (f) the batch route (counters, partners): BATCH_ITEMS (10) applications per request, warmed up like (c); per
# accepted application, counted by Intake's own metric
accepted_now() { curl -s 127.0.0.1:19090/metrics | awk '/^intake_submissions_total\{.*outcome="accepted"/{s+=$NF} END{printf "%.0f", s}'; }
counter_key=$(python3 -c "import json,sys; print(next(c['apiKey'] for c in json.load(open(sys.argv[1]))['clients'] if c['clientId']=='demo-counter'))" "$OUT/.intake/dev.json")
API_KEY=$counter_key wrk -t"$THREADS" -c"$CONNECTIONS" -d15s -s load-tests/bench/submit-batch.lua http://127.0.0.1:18080 > /dev/null
mark intake kafka redis postgres
before_batch=$(accepted_now)
API_KEY=$counter_key wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s load-tests/bench/submit-batch.lua http://127.0.0.1:18080 \
  | grep RESULT | sed "s/^RESULT/batch-requests/" > "$OUT/batch.txt"
batch_apps=$(( $(accepted_now) - before_batch ))
seconds=${DURATION%s}
echo "batch applications_per_s=$(( batch_apps / seconds )) accepted=$batch_apps ($(cat "$OUT/batch.txt"))"
per_app batch "$batch_apps" intake kafka redis postgres

# (d') the open-model sweep: constant arrival rates at 10 to 90 % of saturation (Gatling), latency drawn as a chart
results=load-tests/gatling/target/gatling
mkdir -p "$results"
./mvnw -q -B -f load-tests/gatling/pom.xml gatling:test -Dprofile=full -Dgatling.simulationClass=intake.load.OpenSweep \
  -DbaseUrl=http://127.0.0.1:18080 "-DdevJson=$OUT/.intake/dev.json" -Dsweep.saturation="$sat" -Dsweep.stepSeconds="${SWEEP_STEP:-20}" \
  -Dgatling.charting.indicators.percentile1=50 -Dgatling.charting.indicators.percentile2=99 \
  -Dgatling.charting.indicators.percentile3=99.9 -Dgatling.charting.indicators.percentile4=100 > "$OUT/sweep.log" 2>&1 \
  || echo "open sweep: Gatling reported a failure, see $OUT/sweep.log"
sweep=$(ls -td "$results"/opensweep-* 2>/dev/null | head -1)
[ -n "$sweep" ] && python3 load-tests/bench/sweep.py "$sweep" "$sat" "$OUT/open-sweep.svg"

pid=$(pgrep -f "eu.gov.intake.dev.DevMain dev" | head -1)
heap=$(curl -s 127.0.0.1:19090/metrics | awk '/^jvm_memory_used_bytes\{area="heap"/{s+=$NF} END{printf "%.0f", s/1048576}')
rss=$(ps -o rss= -p "$pid" | awk '{printf "%.0f", $1/1024}')
ceil=$(grep -o 'ok_rps=[0-9]*' "$OUT/ceiling.txt" | cut -d= -f2)
intake=$(grep -o 'ok_rps=[0-9]*' "$OUT/intake.txt" | cut -d= -f2)
accepted=$(curl -s 127.0.0.1:19090/metrics | awk '/^intake_submissions_total\{.*outcome="accepted"/{s+=$NF} END{printf "%.0f", s}')
spooled=$(curl -s 127.0.0.1:19090/metrics | awk '/^intake_spool_depth /{printf "%.0f", $NF}')
echo "intake heap used ${heap} MiB, RSS ${rss} MiB, accepted counter ${accepted}, spool depth ${spooled}"
kafka=$(grep -o 'ok_rps=[0-9]*' "$OUT/kafka-summary.txt" | cut -d= -f2)
awk -v i="$intake" -v c="$ceil" -v k="$kafka" 'BEGIN{printf "ratio intake/ceiling = %.3f, intake/kafka-alone = %.3f\n", i/c, i/k}'
cpu_of() { grep -o "$2=[0-9]*" "$OUT/$1.cpu" | cut -d= -f2; }
awk -v i="$(cpu_of intake intake)" -v a="$(cpu_of intake all)" -v c="$(cpu_of ceiling ceiling)" \
  'BEGIN{printf "cpu per request / ceiling: intake %.1fx, all four %.1fx (the aim: all Intake processes at most 10x)\n", i/c, a/c}'

# (e) the spool alone: Kafka paused (SIGSTOP), every 202 from PostgreSQL; warmed up through the spool first
kill -STOP "$(kafka_pid)"
run warmup-spool http://127.0.0.1:18080 10s > /dev/null
mark intake redis postgres
run spool-only http://127.0.0.1:18080 "$DURATION" | tee "$OUT/spool-only.txt"
per_app spool-only "$(requests_of spool-only)" intake redis postgres
kill -CONT "$(kafka_pid)"
fi

if [ "${PROFILE:-0}" = 1 ]; then
  # the recording up to the end of the saturation run (start, warm-up and the measured window)
  jfr="$(dirname "$(readlink -f "/proc/$jcmd_pid/exe")")/jfr"   # the JDK Intake runs on, not the one on the PATH
  "$jfr" print --events jdk.ExecutionSample --stack-depth 96 "$OUT/intake-saturation.jfr" | python3 load-tests/bench/profile.py
  echo "hottest top frames ($OUT/intake-saturation.jfr):"
  "$jfr" print --events jdk.ExecutionSample --stack-depth 1 "$OUT/intake-saturation.jfr" | grep -A1 'stackTrace = \[' \
    | grep -v -e 'stackTrace' -e '^--' | sed 's/line:.*//' | sort | uniq -c | sort -rn | head -25
fi
