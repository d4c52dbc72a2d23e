// What the schemas cannot see: that the objects fit together, and fit what Intake needs (README.md and the
// service's facts: ports, probes, shutdown timings, non-root, the settings table). Each check returns
// problems as strings; the caller prefixes them with what was built (base, overlay example).
import { isDeepStrictEqual } from "node:util";

// The secrets among Intake's settings. Each reaches Intake as a file: INTAKE_<NAME>_FILE names a file of a
// mounted Secret volume. Never the value itself, neither in a ConfigMap (Kubernetes' `view` role reads those)
// nor in any environment variable (inherited by child processes, kept in a JFR recording's environment).
export const SECRET_SETTINGS = ["INTAKE_APPLICANT_KEY_SECRET", "INTAKE_RECEIPT_SIGNING_KEY", "INTAKE_PG_PASSWORD", "INTAKE_REDIS_PASSWORD", "INTAKE_SPOOL_KEYS"];
// The objects the manifests use without defining them: the operator creates them (../README.md, Apply), so
// that no secret value is ever in the repository. The first holds the secrets; the second the example
// overlay's CA.
export const EXTERNAL_SECRETS = ["intake-secrets", "intake-tls"];
const SECRETS = EXTERNAL_SECRETS[0];
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

// A URL with a password in it (scheme://user:password@host; comma-separated lists too).
const URL_WITH_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/@,]*:[^\s/@,]*@/i;
// `password=` (a JAAS option, a URL query) whose value is not a config provider's `${provider:...}`.
const INLINE_PASSWORD = /password\s*=(?!\s*"?\$\{)/i;
// Kafka's config provider references: ${provider:path:key} or ${provider:key}.
const PROVIDER_REF = /\$\{([^:}]+):([^}]*)\}/g;
const DIRECTORY_PROVIDER = "org.apache.kafka.common.config.provider.DirectoryConfigProvider";
const FILE_PROVIDER = "org.apache.kafka.common.config.provider.FileConfigProvider";

/** Why the setting name=value puts a secret in plain text (a ConfigMap key, an env value), or null. */
export function inlineSecret(name, value) {
  const v = String(value ?? "");
  if (SECRET_SETTINGS.includes(name)) return `${name} is a secret: it belongs in a file of the Secret ${SECRETS}, named by ${name}_FILE`;
  if (URL_WITH_PASSWORD.test(v)) {
    const by = { INTAKE_PG_URL: "INTAKE_PG_PASSWORD_FILE", INTAKE_REDIS_URL: "INTAKE_REDIS_PASSWORD_FILE" }[name] ?? "a file of a mounted Secret";
    return `${name} is a URL with a password in it (user:password@): leave it out, the password comes from ${by}`;
  }
  // Kafka's settings reach a file through Kafka's config providers; Intake's own through INTAKE_<NAME>_FILE.
  const instead = name.startsWith("INTAKE_KAFKA_") ? "use a Kafka config provider reference, password=\"${directory:/etc/intake/secrets:KEY}\""
    : `it belongs in a file of the Secret ${SECRETS}`;
  if (INLINE_PASSWORD.test(v)) return `${name} has a password inline (password=...): ${instead}`;
  if (/PASSWORD/.test(name) && !name.endsWith("_FILE") && v.trim() && !/^\$\{[^}]+\}$/.test(v.trim())) return `${name} is a password in plain text: ${instead}`;
  return null;
}

/**
 * Where an absolute path of a container lies: the deepest volumeMount it is under, that mount's volume, the
 * file's path inside the volume, and for a Secret volume the key it shows (null: the volume's `items` list
 * no such file) and the file's mode. Null when no mount holds it.
 */
function locate(file, mounts, volumes) {
  let best = null;
  for (const m of mounts) {
    const root = String(m.mountPath ?? "").replace(/\/+$/, "");
    if ((file === root || file.startsWith(`${root}/`)) && (!best || root.length > best.root.length)) best = { root, mount: m };
  }
  if (!best) return null;
  const volume = volumes.get(best.mount.name);
  const inVolume = [best.mount.subPath, file.slice(best.root.length + 1)].filter(Boolean).join("/");
  const secret = volume?.secret;
  if (!secret) return { mount: best.mount, volume, inVolume };
  const item = secret.items ? secret.items.find((i) => i.path === inVolume) : undefined;
  const key = secret.items ? item?.key ?? null : inVolume;
  return { mount: best.mount, volume, inVolume, secret, key, mode: item?.mode ?? secret.defaultMode ?? 0o644 };
}

/** The files of a Secret volume belong to root (group: the pod's fsGroup); Intake runs as RUN_AS_USER. */
function readable(mode, fsGroup) {
  return (mode & 0o004) !== 0 || ((mode & 0o040) !== 0 && fsGroup !== undefined && fsGroup !== 0);
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
  const knownSecret = (name) => EXTERNAL_SECRETS.includes(name) || objects.some((o) => o.kind === "Secret" && o.metadata.name === name && inNs(o));
  for (const v of pod.volumes ?? []) {
    if (v.secret && !knownSecret(v.secret.secretName)) problems.push(`${where}: volume ${v.name}: Secret ${str(v.secret.secretName)} is none of ${EXTERNAL_SECRETS.join(", ")}`);
  }
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
    const mounts = c.volumeMounts ?? [];
    for (const m of mounts) {
      const volume = volumes.get(m.name);
      if (!volume) problems.push(`${cw}: volumeMount ${m.name} names no volume`);
      // Every file of a mounted Secret must be readable by Intake's user, or its start fails on it.
      const files = volume?.secret ? (volume.secret.items ?? [{ path: "(every key)" }]) : [];
      const unreadable = files.filter((item) => !readable(item.mode ?? volume.secret.defaultMode ?? 0o644, psc.fsGroup));
      if (unreadable.length) {
        const modes = [...new Set(unreadable.map((item) => `0${(item.mode ?? volume.secret.defaultMode ?? 0o644).toString(8)}`))];
        problems.push(`${cw}: Secret volume ${m.name}: mode ${modes.join(", ")} on ${unreadable.map((item) => item.path).join(", ")}: uid ${RUN_AS_USER} `
          + "cannot read them (the files of a Secret volume belong to root): give the group read (0440) with the pod's fsGroup, or use 0444");
      }
    }
    const tmp = mounts.find((m) => m.mountPath === "/tmp");
    if (!tmp || !volumes.get(tmp.name)?.emptyDir) problems.push(`${cw}: /tmp must be an emptyDir mount (the root filesystem is read-only)`);

    // This container's environment, as Kubernetes builds it: envFrom in order, then env over it.
    const cenv = new Map();
    const fromSecret = new Set();
    for (const from of c.envFrom ?? []) {
      if (from.configMapRef) {
        const cm = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === from.configMapRef.name && inNs(o));
        if (!cm) problems.push(`${cw}: envFrom configMapRef ${str(from.configMapRef.name)} is no ConfigMap here`);
        for (const [k, v] of Object.entries(cm?.data ?? {})) cenv.set((from.prefix ?? "") + k, v);
      }
      if (from.secretRef) {
        problems.push(`${cw}: envFrom secretRef ${str(from.secretRef.name)}: secrets are files here (a Secret volume, named by INTAKE_<NAME>_FILE), `
          + "not environment variables, which every child process inherits");
      }
    }
    for (const e of c.env ?? []) {
      const cmRef = e.valueFrom?.configMapKeyRef;
      if (cmRef) {
        const cm = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === cmRef.name && inNs(o));
        if (!cm || !(cmRef.key in (cm.data ?? {}))) problems.push(`${cw}: env ${e.name}: no key ${cmRef.key} in ConfigMap ${cmRef.name}`);
        else cenv.set(e.name, cm.data[cmRef.key]);
      } else if (e.valueFrom?.secretKeyRef) {
        problems.push(`${cw}: env ${e.name} comes from the Secret ${e.valueFrom.secretKeyRef.name}: secrets are files here (a Secret volume, `
          + `named by ${e.name}_FILE), not environment variables, which every child process inherits`);
        cenv.set(e.name, "(secret)");
        fromSecret.add(e.name);
      } else if (e.name) {
        const why = inlineSecret(e.name, e.value);
        if (why) problems.push(`${cw}: env ${why}`);
        cenv.set(e.name, e.value);
      }
    }
    for (const [k, v] of cenv) env.set(k, v);

    // What a file path names must be there: on a volume of this container (the image holds no site files),
    // and for a Secret volume listing `items`, one of them; a secret only on a Secret volume.
    const fileProblem = (what, file, secretOnly) => {
      if (typeof file !== "string" || !file.startsWith("/") || file.split("/").includes("..")) return `${what}: ${str(file)} is not an absolute path`;
      const at = locate(file, mounts, volumes);
      if (!at) return `${what}: ${file} is on no volumeMount of the container, so it does not exist (the image holds no such file)`;
      if (!at.inVolume) return `${what}: ${file} is the mount point of volume ${at.mount.name}, not a file in it`;
      if (secretOnly && !at.secret) return `${what}: ${file} is on volume ${at.mount.name}, which is not a Secret: a secret belongs in the Secret ${SECRETS}`;
      if (at.secret && at.key === null) return `${what}: ${file}: the Secret volume ${at.mount.name} lists no item with path ${at.inVolume}, so the file is not there`;
      return null;
    };
    for (const s of SECRET_SETTINGS) {
      if (cenv.has(s) && !fromSecret.has(s)) problems.push(`${cw}: ${s} is set as a value: a secret comes from a file of the Secret ${SECRETS} (${s}_FILE), and Intake refuses both`);
      const file = cenv.get(`${s}_FILE`);
      if (!file) problems.push(`${cw}: ${s} must come from a file of a mounted Secret: ${s}_FILE is not set`);
      else {
        const p = fileProblem(`${s}_FILE`, file, true);
        if (p) problems.push(`${cw}: ${p}`);
      }
    }
    // Kafka's config providers, by name: INTAKE_KAFKA_<GROUP>_CONFIG_PROVIDERS and their classes.
    const providers = new Map();
    for (const [k, v] of cenv) {
      const m = /^INTAKE_KAFKA_(CLIENT|PRODUCER|CONSUMER|ADMIN)_CONFIG_PROVIDERS$/.exec(k);
      for (const name of m ? String(v).split(",").map((n) => n.trim()).filter(Boolean) : []) {
        providers.set(name, cenv.get(`INTAKE_KAFKA_${m[1]}_CONFIG_PROVIDERS_${name.toUpperCase()}_CLASS`) ?? providers.get(name));
      }
    }
    for (const [k, v] of cenv) {
      if (!v || SECRET_SETTINGS.some((s) => k === `${s}_FILE`)) continue;
      if (/^INTAKE_\w+_FILE$/.test(k) || /^INTAKE_KAFKA_(CLIENT|PRODUCER|CONSUMER|ADMIN)_SSL_(TRUSTSTORE|KEYSTORE)_LOCATION$/.test(k)) {
        const p = fileProblem(k, String(v), false);
        if (p) problems.push(`${cw}: ${p}`);
      }
      if (!k.startsWith("INTAKE_KAFKA_")) continue;
      for (const [ref, name, rest] of String(v).matchAll(PROVIDER_REF)) {
        if (!providers.has(name)) {
          problems.push(`${cw}: ${k}: ${ref} names the config provider ${name}, which no INTAKE_KAFKA_*_CONFIG_PROVIDERS declares: Kafka would keep the text as it is`);
          continue;
        }
        const colon = rest.lastIndexOf(":");
        const [dir, key] = colon < 0 ? ["", rest] : [rest.slice(0, colon), rest.slice(colon + 1)];
        const file = { [DIRECTORY_PROVIDER]: `${dir.replace(/\/+$/, "")}/${key}`, [FILE_PROVIDER]: dir }[providers.get(name)];
        if (file === undefined) continue;   // another provider: what it reads is not a file path here
        const p = fileProblem(`${k}: ${ref}`, file, /PASSWORD|JAAS/.test(k));
        if (p) problems.push(`${cw}: ${p}`);
      }
    }
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
    for (const [key, value] of Object.entries(cm.data ?? {})) {
      if (!isSetting(key)) problems.push(`ConfigMap ${cm.metadata.name}: ${key} is not a setting of Intake (README's Configuration table)`);
      const why = inlineSecret(key, value);
      if (why) problems.push(`ConfigMap ${cm.metadata.name}: ${why}`);
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

// The table's row for reading any setting from a file: INTAKE_PG_PASSWORD_FILE is INTAKE_PG_PASSWORD's.
export const FILE_ROW = "INTAKE_<NAME>_FILE";

/**
 * Every INTAKE_* setting of README.md's Configuration table is in the ConfigMap (set, or shown commented
 * out) or among the secret settings; every ConfigMap key (commented ones too) is a known setting.
 */
/** The settings a row's first cell names: every `INTAKE_...` in it (`INTAKE_REDIS_USER`, `INTAKE_REDIS_PASSWORD`). */
export function readmeSettings(readmeText) {
  return [...readmeText.matchAll(/^\| (`INTAKE_[^|]*?) \|/gm)]
    .flatMap((row) => [...row[1].matchAll(/`(INTAKE_(?:<NAME>|[A-Z0-9_])+\*?)`/g)].map((m) => m[1]));
}

const matches = (setting, name) => (setting.endsWith("*") ? name.startsWith(setting.slice(0, -1)) : name === setting);

/**
 * Whether name is a setting of the table: INTAKE_KAFKA_PRODUCER_* stands for a prefix, and with the
 * INTAKE_<NAME>_FILE row, X_FILE is a setting where X is one of the table's own names. Not where X only
 * matches a prefix: Intake hands INTAKE_KAFKA_CLIENT_* to Kafka as they are, without reading files.
 */
export const isSettingOf = (table) => {
  const plain = table.filter((s) => s !== FILE_ROW);
  const files = table.includes(FILE_ROW);
  return (name) => plain.some((setting) => matches(setting, name))
    || (files && name.endsWith("_FILE") && plain.includes(name.slice(0, -"_FILE".length)));
};

export function checkSettings(table, configMapText, configMap) {
  const problems = [];
  if (table.length < 20) return [`README.md: found ${table.length} settings in the Configuration table (lines starting with "| \`INTAKE_"); has it moved?`];
  const isSetting = isSettingOf(table);
  const set = Object.keys(configMap.data ?? {});
  const shown = [...configMapText.matchAll(/^\s*#\s*(INTAKE_[A-Z0-9_]+)\s*:/gm)].map((m) => m[1]);
  const listed = new Set([...set, ...shown]);
  const covers = (setting, name) => (setting === FILE_ROW ? name.endsWith("_FILE") && isSetting(name) : matches(setting, name));
  for (const setting of table) {
    if (SECRET_SETTINGS.includes(setting)) continue;
    if (![...listed].some((name) => covers(setting, name))) problems.push(`base/configmap.yaml: ${setting} (README's Configuration table) is neither set nor shown commented out`);
  }
  if (!table.includes(FILE_ROW)) problems.push(`README.md: the Configuration table has no ${FILE_ROW} row any more, and the secrets come as files`);
  for (const s of SECRET_SETTINGS) {
    if (!table.includes(s)) problems.push(`README.md: secret setting ${s} is not in the Configuration table any more`);
    if (listed.has(s)) problems.push(`base/configmap.yaml: ${s} is a secret, even commented out: it belongs in a file of the Secret ${SECRETS}, named by ${s}_FILE`);
  }
  for (const name of listed) {
    if (!isSetting(name)) problems.push(`base/configmap.yaml: ${name} is not a setting of Intake (README's Configuration table)`);
  }
  return problems;
}
