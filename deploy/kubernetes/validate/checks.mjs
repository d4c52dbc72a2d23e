// What the schemas cannot see: that the objects fit together, and fit what Intake needs (README.md and the
// service's facts: ports, probes, shutdown timings, non-root, the settings table). Each check returns
// problems as strings; the caller prefixes them with what was built (base, overlay example).
import { isDeepStrictEqual } from "node:util";

export const SECRET_SETTINGS = ["INTAKE_PG_URL", "INTAKE_REDIS_URL", "INTAKE_APPLICANT_KEY_SECRET", "INTAKE_RECEIPT_SIGNING_KEY"];
// The one object the manifests use without defining it: the operator creates it (deployment.yaml).
export const EXTERNAL_SECRET = "intake-secrets";
const RUN_AS_USER = 10001;
const MONITORING_NAMESPACE = { "kubernetes.io/metadata.name": "monitoring" };
const PROBES = { startupProbe: "/health/started", livenessProbe: "/health/live", readinessProbe: "/health/ready" };

const str = (v) => JSON.stringify(v);

/** Durations as Intake reads them: 500ms, 10s, 5m, 24h, 1d. */
export function seconds(duration) {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(String(duration));
  if (!m) return null;
  return Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }[m[2]];
}

/** matchLabels only: a selector with matchExpressions is reported, not guessed at. */
function selects(selector, labels, where, problems) {
  if (!selector || typeof selector !== "object") return false;
  if (selector.matchExpressions?.length) {
    problems.push(`${where}: matchExpressions are not checked here; use matchLabels`);
    return false;
  }
  const wanted = selector.matchLabels ?? selector;
  if (Object.keys(wanted).length === 0) return true;
  return Object.entries(wanted).every(([k, v]) => labels?.[k] === v);
}

function one(objects, kind, problems, name) {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
  if (found.length !== 1) problems.push(`expected one ${kind}${name ? ` named ${name}` : ""}, found ${found.length}`);
  return found[0];
}

function effective(pod, container, field) {
  return container.securityContext?.[field] ?? pod.securityContext?.[field];
}

function checkPod(owner, objects, problems) {
  const where = `${owner.kind} ${owner.metadata.name}`;
  const pod = owner.spec?.template?.spec ?? {};
  const ns = owner.metadata.namespace;
  const inNs = (o) => o.metadata?.namespace === ns;

  const sa = pod.serviceAccountName;
  const account = objects.find((o) => o.kind === "ServiceAccount" && o.metadata.name === sa && inNs(o));
  if (!account) problems.push(`${where}: serviceAccountName ${str(sa)} is no ServiceAccount here`);
  else if (account.automountServiceAccountToken !== false) problems.push(`ServiceAccount ${sa}: automountServiceAccountToken must be false`);
  if (pod.automountServiceAccountToken !== false) problems.push(`${where}: automountServiceAccountToken must be false (Intake does not use the API)`);
  if (pod.enableServiceLinks !== false) {
    problems.push(`${where}: enableServiceLinks must be false: the Service \`intake\` would put INTAKE_SERVICE_HOST, INTAKE_PORT... among Intake's settings`);
  }
  const psc = pod.securityContext ?? {};
  if (psc.runAsNonRoot !== true) problems.push(`${where}: pod securityContext.runAsNonRoot must be true`);
  if (psc.runAsUser !== RUN_AS_USER) problems.push(`${where}: pod securityContext.runAsUser must be ${RUN_AS_USER}`);
  if (psc.seccompProfile?.type !== "RuntimeDefault") problems.push(`${where}: pod seccompProfile must be RuntimeDefault`);

  const volumes = new Map((pod.volumes ?? []).map((v) => [v.name, v]));
  const containers = [...(pod.initContainers ?? []), ...(pod.containers ?? [])];
  if (!pod.containers?.length) problems.push(`${where}: no containers`);
  const secretKeys = new Set();
  const env = new Map();
  for (const c of containers) {
    const cw = `${where} container ${c.name}`;
    if (effective(pod, c, "runAsNonRoot") !== true) problems.push(`${cw}: runAsNonRoot must be true`);
    if (effective(pod, c, "runAsUser") !== RUN_AS_USER) problems.push(`${cw}: runAsUser must be ${RUN_AS_USER}`);
    if ((c.securityContext?.seccompProfile ?? psc.seccompProfile)?.type !== "RuntimeDefault") problems.push(`${cw}: seccompProfile must be RuntimeDefault`);
    if (c.securityContext?.readOnlyRootFilesystem !== true) problems.push(`${cw}: readOnlyRootFilesystem must be true`);
    if (c.securityContext?.allowPrivilegeEscalation !== false) problems.push(`${cw}: allowPrivilegeEscalation must be false`);
    if (c.securityContext?.privileged) problems.push(`${cw}: must not be privileged`);
    if (!(c.securityContext?.capabilities?.drop ?? []).includes("ALL")) problems.push(`${cw}: capabilities.drop must include ALL`);
    if ((c.securityContext?.capabilities?.add ?? []).length) problems.push(`${cw}: capabilities.add must be empty`);
    if (c.command?.[0] !== "/opt/intake/bin/intake") problems.push(`${cw}: command must be ["/opt/intake/bin/intake"], is ${str(c.command)}`);
    for (const m of c.volumeMounts ?? []) {
      if (!volumes.has(m.name)) problems.push(`${cw}: volumeMount ${m.name} names no volume`);
    }
    const tmp = (c.volumeMounts ?? []).find((m) => m.mountPath === "/tmp");
    if (!tmp || !volumes.get(tmp.name)?.emptyDir) problems.push(`${cw}: /tmp must be an emptyDir mount (the root filesystem is read-only)`);
    for (const from of c.envFrom ?? []) {
      if (from.configMapRef) {
        const cm = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === from.configMapRef.name && inNs(o));
        if (!cm) problems.push(`${cw}: envFrom configMapRef ${str(from.configMapRef.name)} is no ConfigMap here`);
        for (const [k, v] of Object.entries(cm?.data ?? {})) env.set(k, v);
      }
      if (from.secretRef) {
        const known = from.secretRef.name === EXTERNAL_SECRET
          || objects.some((o) => o.kind === "Secret" && o.metadata.name === from.secretRef.name && inNs(o));
        if (!known) problems.push(`${cw}: envFrom secretRef ${str(from.secretRef.name)} is neither ${EXTERNAL_SECRET} nor a Secret here`);
      }
    }
    for (const e of c.env ?? []) {
      const cmRef = e.valueFrom?.configMapKeyRef;
      const secretRef = e.valueFrom?.secretKeyRef;
      if (cmRef) {
        const cm = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === cmRef.name && inNs(o));
        if (!cm || !(cmRef.key in (cm.data ?? {}))) problems.push(`${cw}: env ${e.name}: no key ${cmRef.key} in ConfigMap ${cmRef.name}`);
        else env.set(e.name, cm.data[cmRef.key]);
      } else if (secretRef) {
        const secret = objects.find((o) => o.kind === "Secret" && o.metadata.name === secretRef.name && inNs(o));
        if (secretRef.name !== EXTERNAL_SECRET && !secret) problems.push(`${cw}: env ${e.name}: Secret ${secretRef.name} is neither ${EXTERNAL_SECRET} nor here`);
        if (!SECRET_SETTINGS.includes(e.name)) problems.push(`${cw}: env ${e.name} comes from a Secret but is not one of the secret settings`);
        if (secretRef.key !== e.name) problems.push(`${cw}: env ${e.name}: Secret key ${secretRef.key} should be named like the variable`);
        secretKeys.add(e.name);
        env.set(e.name, "(secret)");
      } else if (e.name) {
        env.set(e.name, e.value);
      }
    }
  }
  for (const s of SECRET_SETTINGS) {
    if (!secretKeys.has(s)) problems.push(`${where}: ${s} must come from the Secret ${EXTERNAL_SECRET} (secretKeyRef)`);
  }
  return { pod, containers, env };
}

function checkProbesAndShutdown(deploy, container, env, problems) {
  const where = `Deployment ${deploy.metadata.name} container ${container.name}`;
  const ports = new Map((container.ports ?? []).map((p) => [p.name, p.containerPort]));
  const numbers = new Set((container.ports ?? []).map((p) => p.containerPort));
  if (ports.get("http") !== Number(env.get("INTAKE_HTTP_PORT") ?? 8080)) problems.push(`${where}: port http must be INTAKE_HTTP_PORT (${env.get("INTAKE_HTTP_PORT") ?? 8080})`);
  if (ports.get("management") !== Number(env.get("INTAKE_MANAGEMENT_PORT") ?? 9090)) {
    problems.push(`${where}: port management must be INTAKE_MANAGEMENT_PORT (${env.get("INTAKE_MANAGEMENT_PORT") ?? 9090})`);
  }
  for (const [probe, wantedPath] of Object.entries(PROBES)) {
    const get = container[probe]?.httpGet;
    if (!get) {
      problems.push(`${where}: ${probe} must be an httpGet on ${wantedPath}`);
      continue;
    }
    if (get.path !== wantedPath) problems.push(`${where}: ${probe} path must be ${wantedPath}, is ${get.path}`);
    const port = typeof get.port === "string" ? ports.get(get.port) : (numbers.has(get.port) ? get.port : undefined);
    if (port === undefined) problems.push(`${where}: ${probe} port ${str(get.port)} names no container port`);
    else if (port !== ports.get("management")) problems.push(`${where}: ${probe} must use the management port`);
  }
  const preStop = container.lifecycle?.preStop;
  let pause = 0;
  if (preStop?.sleep) pause = preStop.sleep.seconds;
  else if (preStop?.exec) {
    const m = /^sleep (\d+)$/.exec((preStop.exec.command ?? []).slice(-1)[0] ?? "");
    if (!m) problems.push(`${where}: preStop exec is not \`sleep N\`: cannot check the shutdown budget`);
    else pause = Number(m[1]);
  }
  if (!preStop) problems.push(`${where}: no preStop pause: endpoints still send traffic for a moment after the pod's end begins`);
  const grace = seconds(env.get("INTAKE_SHUTDOWN_GRACE") ?? "2s");
  const timeout = seconds(env.get("INTAKE_SHUTDOWN_TIMEOUT") ?? "10s");
  if (grace === null || timeout === null) problems.push(`${where}: INTAKE_SHUTDOWN_GRACE / INTAKE_SHUTDOWN_TIMEOUT are not durations`);
  const period = deploy.spec.template.spec.terminationGracePeriodSeconds ?? 30;
  if (!(period > pause + grace + timeout)) {
    problems.push(`Deployment ${deploy.metadata.name}: terminationGracePeriodSeconds ${period} must exceed preStop ${pause} s + INTAKE_SHUTDOWN_GRACE ${grace} s + INTAKE_SHUTDOWN_TIMEOUT ${timeout} s`);
  }
  return ports;
}

function checkNetworkPolicy(policy, podLabels, containerPorts, problems) {
  const where = `NetworkPolicy ${policy.metadata.name}`;
  if (!selects(policy.spec.podSelector, podLabels, `${where} podSelector`, problems)) problems.push(`${where}: podSelector does not select the API pods`);
  if (!(policy.spec.policyTypes ?? []).includes("Ingress")) problems.push(`${where}: policyTypes must include Ingress`);
  const management = containerPorts.get("management");
  const http = containerPorts.get("http");
  const resolve = (p) => (typeof p.port === "string" ? containerPorts.get(p.port) : p.port);
  let httpAllowed = false;
  let managementAllowed = false;
  for (const [i, rule] of (policy.spec.ingress ?? []).entries()) {
    const rw = `${where} ingress[${i}]`;
    const ports = rule.ports ?? [];
    for (const p of ports) {
      if (resolve(p) === undefined) problems.push(`${rw}: port ${str(p.port)} names no container port`);
      if (p.endPort !== undefined) problems.push(`${rw}: port ranges are not checked here`);
    }
    const covers = (n) => ports.length === 0 || ports.some((p) => resolve(p) === n);
    if (covers(http)) httpAllowed = true;
    if (!covers(management)) continue;
    managementAllowed = true;
    const peers = rule.from ?? [];
    const onlyMonitoring = peers.length > 0 && peers.every((peer) => !peer.ipBlock
      && isDeepStrictEqual(peer.namespaceSelector, { matchLabels: MONITORING_NAMESPACE }));
    if (!onlyMonitoring) {
      problems.push(`${rw}: lets ${ports.length ? "the management port" : "every port, the management port too,"} in from `
        + `${peers.length ? str(peers) : "anywhere"}; only the namespace labelled kubernetes.io/metadata.name: monitoring may reach it`);
    }
  }
  if (!httpAllowed) problems.push(`${where}: no ingress rule lets the API port in`);
  if (!managementAllowed) problems.push(`${where}: no ingress rule lets the monitoring namespace reach the management port (metrics)`);
}

/** Cross-references of one built object set (base or an overlay). rules: the groups of grafana's rule file. */
export function checkBuilt(objects, { rules, overlay, isSetting }) {
  const problems = [];
  const deploy = one(objects, "Deployment", problems, "intake");
  const job = one(objects, "Job", problems);
  const service = one(objects, "Service", problems);
  const hpa = one(objects, "HorizontalPodAutoscaler", problems);
  const pdb = one(objects, "PodDisruptionBudget", problems);
  const policy = one(objects, "NetworkPolicy", problems);
  const monitor = one(objects, "ServiceMonitor", problems);
  const rule = one(objects, "PrometheusRule", problems);
  one(objects, "ConfigMap", problems);
  one(objects, "ServiceAccount", problems);
  for (const s of objects.filter((o) => o.kind === "Secret")) problems.push(`Secret ${s.metadata.name}: no Secret belongs in the repository`);
  const namespaces = new Set(objects.map((o) => o.metadata?.namespace));
  if (namespaces.size !== 1) problems.push(`objects are in several namespaces: ${[...namespaces].join(", ")}`);
  if (problems.length) return problems;

  const podLabels = deploy.spec.template.metadata?.labels ?? {};
  const jobLabels = job.spec.template.metadata?.labels ?? {};
  const { containers, env } = checkPod(deploy, objects, problems);
  const jobPod = checkPod(job, objects, problems);
  for (const cm of objects.filter((o) => o.kind === "ConfigMap")) {
    for (const key of Object.keys(cm.data ?? {})) {
      if (!isSetting(key)) problems.push(`ConfigMap ${cm.metadata.name}: ${key} is not a setting of Intake (README's Configuration table)`);
      if (SECRET_SETTINGS.includes(key)) problems.push(`ConfigMap ${cm.metadata.name}: ${key} is a secret: it belongs in the Secret ${EXTERNAL_SECRET}`);
    }
  }
  if (!selects(deploy.spec.selector, podLabels, "Deployment selector", problems)) problems.push("Deployment: selector does not match its pod template's labels");
  if (selects(deploy.spec.selector, jobLabels, "Deployment selector", [])) problems.push("Deployment: selector also matches the migration Job's pods");
  if (env.get("INTAKE_MIGRATE") !== "off") problems.push(`Deployment: INTAKE_MIGRATE must be "off" (the migration Job migrates), is ${str(env.get("INTAKE_MIGRATE"))}`);
  if (deploy.spec.replicas !== undefined) problems.push("Deployment: `replicas` must be left to the HorizontalPodAutoscaler (every apply would reset it)");
  for (const [i, t] of (deploy.spec.template.spec.topologySpreadConstraints ?? []).entries()) {
    if (!selects(t.labelSelector, podLabels, `Deployment topologySpreadConstraints[${i}]`, problems)) problems.push(`Deployment: topologySpreadConstraints[${i}] does not select its own pods`);
  }
  const api = containers.find((c) => (c.args ?? [])[0] === "serve");
  if (!api) problems.push(`Deployment: no container runs \`intake serve\` (args ["serve"])`);
  const ports = api ? checkProbesAndShutdown(deploy, api, env, problems) : new Map();

  // migration Job
  const migrate = jobPod.containers.find((c) => isDeepStrictEqual(c.args, ["migrate"]));
  if (!migrate) problems.push(`Job ${job.metadata.name}: no container runs \`intake migrate\` (args ["migrate"])`);
  if (job.spec.backoffLimit === undefined) problems.push(`Job ${job.metadata.name}: backoffLimit must be set`);
  if (job.spec.ttlSecondsAfterFinished === undefined) problems.push(`Job ${job.metadata.name}: ttlSecondsAfterFinished must be set`);
  if (!["Never", "OnFailure"].includes(job.spec.template.spec.restartPolicy)) problems.push(`Job ${job.metadata.name}: restartPolicy must be Never or OnFailure`);
  const images = new Set([...containers, ...jobPod.containers].map((c) => c.image));
  if (images.size !== 1) problems.push(`the Deployment and the migration Job must run the same image, found ${[...images].join(", ")}`);
  const image = [...images][0] ?? "";
  if (overlay) {
    if (!/[:@]/.test(image.split("/").pop()) || image.endsWith(":latest")) problems.push(`image ${image}: an overlay must pin a tag or digest (not latest)`);
    for (const [k, v] of env) {
      if (String(v).includes(".invalid")) problems.push(`ConfigMap: ${k} is still the base's placeholder ${str(v)}; set it in the overlay`);
    }
  }

  // ../README.md applies `-l 'app.kubernetes.io/component!=api'` first: what the Job needs, not the API.
  const early = objects.filter((o) => o.metadata.labels?.["app.kubernetes.io/component"] !== "api").map((o) => o.kind);
  for (const kind of ["ServiceAccount", "ConfigMap", "Job"]) {
    if (!early.includes(kind)) problems.push(`${kind}: labelled component api, so the README's first apply (before the migration) leaves it out`);
  }
  for (const kind of ["Deployment", "HorizontalPodAutoscaler"]) {
    if (early.includes(kind)) problems.push(`${kind}: not labelled app.kubernetes.io/component: api, so the README's first apply starts it before the migration`);
  }

  // Service: the scrape job label is its name
  if (service.metadata.name !== "intake") problems.push(`Service ${service.metadata.name}: must be named intake, the alerts' up{job="intake"}`);
  if (service.spec.type && service.spec.type !== "ClusterIP") problems.push(`Service: type must be ClusterIP`);
  if (!selects(service.spec.selector, podLabels, "Service selector", problems)) problems.push("Service: selector does not match the API pods");
  if (selects(service.spec.selector, jobLabels, "Service selector", [])) problems.push("Service: selector also matches the migration Job's pods");
  const servicePorts = new Map((service.spec.ports ?? []).map((p) => [p.name, p]));
  for (const name of ["http", "management"]) {
    const p = servicePorts.get(name);
    if (!p) problems.push(`Service: no port named ${name}`);
    else if ((typeof p.targetPort === "string" ? ports.get(p.targetPort) : p.targetPort ?? p.port) !== ports.get(name)) {
      problems.push(`Service port ${name}: targetPort ${str(p.targetPort)} is not the container's ${name} port`);
    }
  }

  // HPA, PDB
  const ref = hpa.spec.scaleTargetRef;
  if (ref.apiVersion !== "apps/v1" || ref.kind !== "Deployment" || ref.name !== deploy.metadata.name) problems.push(`HorizontalPodAutoscaler: scaleTargetRef ${str(ref)} is not the Deployment`);
  if ((hpa.spec.minReplicas ?? 1) < 2) problems.push("HorizontalPodAutoscaler: minReplicas must be at least 2");
  if (hpa.spec.maxReplicas < (hpa.spec.minReplicas ?? 1)) problems.push("HorizontalPodAutoscaler: maxReplicas below minReplicas");
  if (!(hpa.spec.metrics ?? []).some((m) => m.type === "Resource" && m.resource?.name === "cpu")) problems.push("HorizontalPodAutoscaler: no CPU metric");
  if (!selects(pdb.spec.selector, podLabels, "PodDisruptionBudget selector", problems)) problems.push("PodDisruptionBudget: selector does not match the API pods");
  if (pdb.spec.minAvailable === undefined && pdb.spec.maxUnavailable === undefined) problems.push("PodDisruptionBudget: set minAvailable or maxUnavailable");
  if (typeof pdb.spec.minAvailable === "number" && pdb.spec.minAvailable >= (hpa.spec.minReplicas ?? 1)) {
    problems.push("PodDisruptionBudget: minAvailable >= the HPA's minReplicas blocks every node drain");
  }

  checkNetworkPolicy(policy, podLabels, ports, problems);

  // Prometheus Operator objects
  if (!selects(monitor.spec.selector, service.metadata.labels, "ServiceMonitor selector", problems)) problems.push("ServiceMonitor: selector does not match the Service's labels");
  for (const e of monitor.spec.endpoints ?? []) {
    if (!servicePorts.has(e.port)) problems.push(`ServiceMonitor: endpoint port ${str(e.port)} is no Service port name`);
    if (e.port !== "management" || (e.path ?? "/metrics") !== "/metrics") problems.push("ServiceMonitor: must scrape /metrics on the management port");
  }
  if (monitor.spec.jobLabel) problems.push("ServiceMonitor: jobLabel would rename the job the alerts select (up{job=\"intake\"})");
  if (!isDeepStrictEqual(rule.spec.groups, rules)) problems.push("PrometheusRule: its groups are not those of grafana/alerts/intake-rules.yml");
  return problems;
}

/**
 * Every INTAKE_* setting of README.md's Configuration table is in the ConfigMap (set, or shown commented
 * out) or among the secret settings; every ConfigMap key (commented ones too) is a known setting.
 */
export function readmeSettings(readmeText) {
  return [...readmeText.matchAll(/^\| `(INTAKE_[A-Z0-9_]+\*?)`/gm)].map((m) => m[1]);
}

const matches = (setting, name) => (setting.endsWith("*") ? name.startsWith(setting.slice(0, -1)) : name === setting);

/** Whether name is a setting of the table (INTAKE_KAFKA_PRODUCER_* stands for a prefix). */
export const isSettingOf = (table) => (name) => table.some((setting) => matches(setting, name));

export function checkSettings(table, configMapText, configMap) {
  const problems = [];
  if (table.length < 20) return [`README.md: found ${table.length} rows of the Configuration table (lines starting with "| \`INTAKE_"); has it moved?`];
  const set = Object.keys(configMap.data ?? {});
  const shown = [...configMapText.matchAll(/^\s*#\s*(INTAKE_[A-Z0-9_]+)\s*:/gm)].map((m) => m[1]);
  const listed = new Set([...set, ...shown]);
  for (const setting of table) {
    if (SECRET_SETTINGS.includes(setting)) continue;
    if (![...listed].some((name) => matches(setting, name))) problems.push(`base/configmap.yaml: ${setting} (README's Configuration table) is neither set nor shown commented out`);
  }
  for (const s of SECRET_SETTINGS) {
    if (!table.includes(s)) problems.push(`README.md: secret setting ${s} is not in the Configuration table any more`);
    if (listed.has(s)) problems.push(`base/configmap.yaml: ${s} is a secret: it belongs in the Secret ${EXTERNAL_SECRET}, not the ConfigMap`);
  }
  for (const name of listed) {
    if (!isSettingOf(table)(name)) problems.push(`base/configmap.yaml: ${name} is not a setting of Intake (README's Configuration table)`);
  }
  return problems;
}
