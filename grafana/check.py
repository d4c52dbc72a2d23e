#!/usr/bin/env python3
"""A real check of Intake's dashboard and alerts (run by .ci/run; also by hand: python3 grafana/check.py).

1. promtool check rules and promtool test rules (the alerts' unit tests).
2. Starts Intake in dev mode (its own ports and data, under target/observability), and a real Prometheus
   (Debian's package) scraping its management port every second with the alerting rules loaded.
3. Serves traffic of every kind, including a short Kafka pause (SIGSTOP) so that the spool and the relay move.
4. Evaluates every dashboard panel query and every alert expression through Prometheus's HTTP API. Fails if
   a query is invalid, if it names a metric Intake does not export, or if a panel query returns no data.
Traffic goes to 127.0.0.1 only; everything it starts is stopped at the end, also on failure.
"""
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "target", "observability")
API, MGMT, PROM = 18480, 19490, 19491
DASHBOARD = os.path.join(ROOT, "grafana", "dashboards", "intake.json")
RULES = os.path.join(ROOT, "grafana", "alerts", "intake-rules.yml")
RATE_INTERVAL = "30s"
# PromQL words that look like names but are not metrics
PROMQL_WORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset"}
SYNTHETIC = {"up"}  # made by Prometheus itself for every target

failures = []
processes = []


def fail(message):
    failures.append(message)
    print("FAIL " + message, flush=True)


def run(cmd, cwd=None):
    print("$ " + " ".join(cmd), flush=True)
    return subprocess.run(cmd, cwd=cwd, check=False).returncode


def http(method, port, path, body=None, headers=None):
    data = body.encode() if isinstance(body, str) else body
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def wait_for(what, predicate, seconds):
    until = time.time() + seconds
    while time.time() < until:
        try:
            if predicate():
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"timed out waiting for {what}")


def start_intake():
    os.makedirs(WORK, exist_ok=True)
    log = open(os.path.join(WORK, "intake.log"), "w")
    env = dict(os.environ, INTAKE_DATA_DIR=os.path.join(WORK, ".intake"), INTAKE_HTTP_PORT=str(API),
               INTAKE_MANAGEMENT_PORT=str(MGMT), INTAKE_RELAY_INTERVAL="200ms")
    p = subprocess.Popen(["./mvnw", "-q", "-B", "compile", "exec:exec"], cwd=ROOT, env=env, stdout=log,
                         stderr=subprocess.STDOUT, start_new_session=True)
    processes.append(p)
    wait_for("Intake ready", lambda: "Intake ready" in open(log.name).read(), 300)
    return json.load(open(os.path.join(WORK, ".intake", "dev.json")))


def start_prometheus():
    config = os.path.join(WORK, "prometheus.yml")
    with open(config, "w") as f:
        f.write(f"""global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: ["{RULES}"]
scrape_configs:
  - job_name: intake
    static_configs:
      - targets: ["127.0.0.1:{MGMT}"]
""")
    log = open(os.path.join(WORK, "prometheus.log"), "w")
    p = subprocess.Popen(["prometheus", f"--config.file={config}", f"--storage.tsdb.path={os.path.join(WORK, 'tsdb')}",
                          f"--web.listen-address=127.0.0.1:{PROM}"], stdout=log, stderr=subprocess.STDOUT,
                         start_new_session=True)
    processes.append(p)
    wait_for("Prometheus ready", lambda: http("GET", PROM, "/-/ready")[0] == 200, 60)


def key_of(dev, client_id):
    return next(c["apiKey"] for c in dev["clients"] if c["clientId"] == client_id)


def tax_return(n):
    return json.dumps({"serviceCode": "SHTAX-0001", "applicant": {"type": "INDIVIDUAL", "id": f"3101011990{n:08d}"},
                       "channel": "WEB", "payload": {"taxYear": 2025, "annualIncome": 180000, "withheldTax": 9000}})


def submit(dev, n, key=None, body=None, idempotency=None):
    headers = {"Content-Type": "application/json", "Authorization": "Bearer " + (key or key_of(dev, "demo-web")),
               "Idempotency-Key": idempotency or f"check-{uuid.uuid4()}"}
    return http("POST", API, "/v1/applications", body or tax_return(n), headers)


def traffic(dev, stop):
    """A few requests a second of every kind, until told to stop: rates and quantiles need recent samples."""
    n = 0
    dept = {"Authorization": "Bearer " + key_of(dev, "dept-shtax"), "Content-Type": "application/json"}
    while not stop.is_set():
        n += 1
        status, body = submit(dev, n, idempotency=f"steady-{n}")
        if status == 202:
            app = json.loads(body)["applicationId"]
            submit(dev, n, idempotency=f"steady-{n}")                                  # a replay
            http("GET", API, f"/v1/applications/{app}", headers=dept)                  # a status read
            if n % 3 == 0:
                http("POST", API, f"/v1/applications/{app}/status", '{"status":"IN_REVIEW"}',
                     dict(dept, **{"Idempotency-Key": f"review-{n}"}))
        submit(dev, n, body='{"serviceCode":"NOPE-0000"}')                             # 422
        submit(dev, n, key="ik_AAAAAAAA_" + "A" * 43)                                  # 401
        time.sleep(0.1)


def kafka_pid():
    out = subprocess.run(["pgrep", "-f", f"kafka.Kafka .*{WORK}"], capture_output=True, text=True).stdout.split()
    return int(out[0]) if out else None


def spool_episode(dev):
    """Kafka paused for a moment: submissions go to the spool; resumed: the relay drains it."""
    pid = kafka_pid()
    if pid is None:
        fail("no Kafka process of the dev instance found to pause")
        return
    os.kill(pid, signal.SIGSTOP)
    try:
        for i in range(10):
            status, body = submit(dev, 900000 + i)
            if status != 202:
                fail(f"submission during the Kafka pause answered {status}: {body[:200]}")
    finally:
        os.kill(pid, signal.SIGCONT)


def exported_names():
    status, text = http("GET", MGMT, "/metrics")
    names = set()
    for line in text.splitlines():
        if line and not line.startswith("#"):
            names.add(re.split(r"[{ ]", line, maxsplit=1)[0])
    return names


def metric_names(expr):
    """The metric names a PromQL expression reads (label matchers, strings, functions and grouping removed)."""
    e = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    e = re.sub(r"\{[^}]*\}", " ", e)
    e = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", e)
    e = re.sub(r"\[[^\]]*\]", " ", e)
    e = re.sub(r"(?<![a-zA-Z_:])\d+(\.\d+)?([eE][-+]?\d+)?", " ", e)          # numbers, 1e-9 included
    names = set()
    for m in re.finditer(r"[a-zA-Z_:][a-zA-Z0-9_:]*", e):
        token = m.group(0)
        rest = e[m.end():].lstrip()
        if rest.startswith("(") or token in PROMQL_WORDS or re.fullmatch(r"\d+[smhdwy]", token):
            continue
        names.add(token)
    return names


def query(expr):
    status, body = http("GET", PROM, "/api/v1/query?" + urllib.parse.urlencode({"query": expr}))
    result = json.loads(body)
    if result.get("status") != "success":
        return None, result.get("error", body)
    return result["data"]["result"], None


def has_data(result):
    return any(sample["value"][1] not in ("NaN", "+Inf", "-Inf") for sample in result) if result else False


def dashboard_queries():
    dashboard = json.load(open(DASHBOARD))
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            expr = target["expr"].replace("$__rate_interval", RATE_INTERVAL).replace('instance=~"$instance"', 'instance=~".*"')
            yield panel["title"], expr
    for variable in dashboard["templating"]["list"]:
        if variable["type"] == "query":
            m = re.fullmatch(r"label_values\((\w+),\s*(\w+)\)", variable["definition"])
            if not m:
                fail(f"variable {variable['name']}: cannot read {variable['definition']}")
            else:
                yield f"variable {variable['name']}", f"group by ({m.group(2)}) ({m.group(1)})"


def alert_expressions():
    # the rules file is YAML; its expressions are the only block scalars or single-line values after "expr:"
    text = open(RULES).read()
    for m in re.finditer(r"- alert: (\w+)\n\s+(?:#[^\n]*\n\s+)*expr: (\|\n((?:\s{10}.*\n)+)|(.*)\n)", text):
        yield m.group(1), (m.group(3) or m.group(4)).strip()


def main():
    if run(["promtool", "check", "rules", RULES]) != 0:
        fail("promtool check rules")
    if run(["promtool", "test", "rules", "intake-rules.test.yml"], cwd=os.path.dirname(RULES)) != 0:
        fail("promtool test rules")

    dev = start_intake()
    start_prometheus()
    stop = threading.Event()
    loader = threading.Thread(target=traffic, args=(dev, stop), daemon=True)
    loader.start()
    try:
        time.sleep(5)
        spool_episode(dev)
        wait_for("the relay to publish", lambda: "intake_relay_published_total 0.0" not in http("GET", MGMT, "/metrics")[1], 60)
        time.sleep(20)                                           # 20 scrapes of steady traffic after the episode
        names = exported_names() | SYNTHETIC
        queries = [(f"panel '{title}'", expr, True) for title, expr in dashboard_queries()]
        alerts = list(alert_expressions())
        if len(alerts) != len(re.findall(r"- alert: ", open(RULES).read())):
            fail("could not read every alert's expression from the rules file")
        queries += [(f"alert {name}", expr, False) for name, expr in alerts]  # an alert need not fire now
        for what, expr, needs_data in queries:
            unknown = metric_names(expr) - names
            if unknown:
                fail(f"{what}: names metrics Intake does not export: {sorted(unknown)}")
            result, error = query(expr)
            if error:
                fail(f"{what}: invalid query: {error}")
            elif needs_data and not has_data(result):
                fail(f"{what}: no data for {expr}")
        checked = len(queries)
        status, body = http("GET", PROM, "/api/v1/rules")
        health = [r for g in json.loads(body)["data"]["groups"] for r in g["rules"] if r.get("health") not in ("ok", None)]
        for rule in health:
            fail(f"alert {rule['name']}: Prometheus evaluates it with health {rule['health']}: {rule.get('lastError')}")
        print(f"checked {checked} queries ({len(alerts)} alerts) against a live Intake", flush=True)
    finally:
        stop.set()
        loader.join(timeout=30)
        for p in reversed(processes):
            os.killpg(p.pid, signal.SIGTERM)  # Maven and the dev JVM (which stops its servers), or Prometheus
        for p in processes:
            try:
                p.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
    if failures:
        print(f"{len(failures)} problem(s)", flush=True)
        sys.exit(1)
    print("dashboard and alerts: OK", flush=True)


if __name__ == "__main__":
    main()
