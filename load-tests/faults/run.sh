#!/usr/bin/env bash
# The fault-injection suite (issue 15): Intake's distribution, two instances behind HAProxy, on three Kafka brokers,
# a Redis Cluster (three masters, a replica each) and PostgreSQL, all on loopback, started here and stopped at the
# end. Each scenario runs a bounded load of clients that retry with the same Idempotency-Key, injects its fault with
# real signals (SIGKILL, SIGSTOP), heals it, then verifies what Kafka, the spool and the ledger hold against every
# acknowledgement (dist/src/test/java/eu/gov/intake/faults/). Exits non-zero if an acknowledged application was lost,
# changed, published under two ids or reordered, or if one broker of three killed cost 0.1 % of requests or more.
#   load-tests/faults/run.sh                                   # every scenario, 30 s of load each (about 7 min)
#   SCENARIOS=kafka-broker,intake-kill SECONDS_PER=20 WORKERS=12 load-tests/faults/run.sh   # the short version .ci/run runs
#   WORKERS=24 PACE_MILLIS=20                                  # (defaults) concurrent clients, pause between applications
# Needs Debian's haproxy, redis-server and redis-tools, and iptables for kafka-partition; runs as root (the
# instances run as user nobody, whose packets the partition drops). The report: target/faults/report.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=$PWD/target/faults
mkdir -p "$OUT"
command -v haproxy >/dev/null || { echo "faults: haproxy is needed (apt-get install haproxy)" >&2; exit 1; }
case ",${SCENARIOS:-all}," in *,all,*|*,kafka-partition,*)
  command -v iptables >/dev/null || { echo "faults: the kafka-partition scenario needs iptables (apt-get install iptables)" >&2; exit 1; } ;;
esac

# the distribution and the suite's classes, built as CI builds them
./mvnw -q -B -DskipTests -pl service,dev -am install
./mvnw -q -B -DskipTests -pl dist package
./mvnw -q -B -pl dist dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/classpath.txt" > /dev/null
version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -1)
# a JDK >= 21, where the build looks for one (JAVA_HOME, else /usr/lib/jvm): the suite uses virtual threads
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | cut -d. -f1; }
java_bin=
for candidate in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} /usr/lib/jvm/*/bin/java; do
  if [ -x "$candidate" ] && [ "$(java_major "$candidate")" -ge 21 ] 2>/dev/null; then java_bin=$candidate; break; fi
done
[ -n "$java_bin" ] || { echo "faults: no Java 21 or newer found (JAVA_HOME or /usr/lib/jvm)" >&2; exit 1; }
rm -rf "$OUT/estate"
"$java_bin" -Xmx1g --enable-native-access=ALL-UNNAMED -cp "dist/target/test-classes:$(cat "$OUT/classpath.txt")" \
  -Dtarball="dist/target/intake-$version.tar.gz" -Dout="$OUT" \
  -Dintake.kafka.classpath="$PWD/dev/target/kafka-broker.classpath" \
  -Dscenarios="${SCENARIOS:-all}" -Dseconds="${SECONDS_PER:-30}" -Dworkers="${WORKERS:-24}" -DpaceMillis="${PACE_MILLIS:-20}" \
  eu.gov.intake.faults.FaultSuite 2>&1 | tee "$OUT/suite.txt"
exit "${PIPESTATUS[0]}"
