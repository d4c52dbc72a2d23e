// Validates deploy/kubernetes: the generated Prometheus objects are current, every manifest (base, overlay
// patches, generated ones, and the built overlay) passes the Kubernetes API schemas with unknown fields
// refused, and the objects fit together (checks.mjs). Prints one line and exits 0, or prints every problem
// and exits 1. Run through check.sh, which installs the dependencies first.
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { isDeepStrictEqual } from "node:util";
import YAML from "yaml";
import { KUBE, ROOT, Problem, readYaml, rel } from "./common.mjs";
import { staleGenerated } from "./generate.mjs";
import { SOURCE, build, idOf } from "./kustomize.mjs";
import { validateObject } from "./schema.mjs";
import { checkBuilt, checkSettings, isSettingOf, readmeSettings } from "./checks.mjs";

const BASE = path.join(KUBE, "base");
const OVERLAYS = path.join(KUBE, "overlays");
const problems = [];
const fail = (message) => problems.push(message);

/** `kustomize`, or `kubectl kustomize`, when the machine has one: [command, args, version] or null. */
function findKustomize() {
  for (const [cmd, args, versionArgs] of [["kustomize", ["build"], ["version"]], ["kubectl", ["kustomize"], ["version", "--client"]]]) {
    const probe = spawnSync(cmd, versionArgs, { encoding: "utf8", timeout: 30000 });
    if (probe.error || probe.status !== 0) continue;
    const version = /Kustomize Version: (\S+)/.exec(probe.stdout)?.[1] ?? probe.stdout.trim().split("\n")[0];
    if (cmd === "kubectl" && !/Kustomize Version/.test(probe.stdout)) continue;
    return { cmd, args, version };
  }
  return null;
}

function firstDifference(a, b, where = "") {
  if (isDeepStrictEqual(a, b)) return null;
  if (a && b && typeof a === "object" && typeof b === "object") {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference(a[key], b[key], `${where}/${key}`);
      if (d) return d;
    }
  }
  return `${where || "/"}: ${JSON.stringify(a)} here, ${JSON.stringify(b)} from kustomize`;
}

/**
 * A copy without symbols in which lists keyed by name, mountPath, containerPort or port are sorted by that
 * key: kustomize orders merged lists its own way (kustomize.mjs). initContainers keep their order.
 */
function normalized(value, key = "") {
  if (Array.isArray(value)) {
    const items = value.map((v) => normalized(v));
    if (key === "initContainers") return items;
    const k = ["name", "mountPath", "containerPort", "port"].find((f) => items.length > 0 && items.every((i) => i && typeof i === "object" && f in i));
    return k ? items.sort((a, b) => String(a[k]).localeCompare(String(b[k]))) : items;
  }
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalized(v, k)]));
  return value;
}

function main() {
  try {
    for (const p of staleGenerated()) fail(p);
  } catch (e) {
    if (!(e instanceof Problem)) throw e;
    fail(`generate.mjs: ${e.message}`);
  }

  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const table = readmeSettings(readme);
  const isSetting = isSettingOf(table);
  const rules = readYaml(path.join(ROOT, "grafana/alerts/intake-rules.yml")).groups;
  const overlays = fs.readdirSync(OVERLAYS).filter((d) => fs.existsSync(path.join(OVERLAYS, d, "kustomization.yaml"))).sort();
  if (!overlays.includes("example")) fail(`${rel(OVERLAYS)}/example: missing`);
  const targets = [["base", BASE, false], ...overlays.map((d) => [`overlay ${d}`, path.join(OVERLAYS, d), true])];

  const files = new Set();
  let validated = 0;
  const kustomize = findKustomize();
  for (const [label, dir, overlay] of targets) {
    let built;
    try {
      built = build(dir);
    } catch (e) {
      if (!(e instanceof Problem)) throw e;
      fail(`${label}: ${e.message}`);
      continue;
    }
    built.files.forEach((f) => files.add(f));
    // A YAML file in the folder that the kustomization does not use is a file somebody thinks is applied.
    for (const f of fs.readdirSync(dir).filter((n) => /\.ya?ml$/.test(n))) {
      if (!built.files.includes(path.join(dir, f))) fail(`${rel(path.join(dir, f))}: not used by ${rel(dir)}/kustomization.yaml`);
    }
    for (const o of built.objects) {
      validated++;
      for (const p of validateObject(o)) fail(`${label}: ${o[SOURCE]} (${idOf(o)}): ${p}`);
    }
    for (const { file, object } of built.patches) {
      validated++;
      for (const p of validateObject(object, { partial: true })) fail(`${label}: ${file} (patch of ${object.kind} ${object.metadata?.name}): ${p}`);
    }
    for (const p of checkBuilt(built.objects, { rules, overlay, isSetting })) fail(`${label}: ${p}`);
    if (overlay && kustomize) {
      const out = spawnSync(kustomize.cmd, [...kustomize.args, dir], { encoding: "utf8", timeout: 60000 });
      if (out.status !== 0) {
        fail(`${label}: ${kustomize.cmd} ${kustomize.args.join(" ")} failed: ${(out.stderr || String(out.error)).trim().split("\n")[0]}`);
      } else {
        const theirs = YAML.parseAllDocuments(out.stdout, { version: "1.1" }).map((d) => d.toJS()).filter(Boolean);
        const byId = new Map(theirs.map((o) => [idOf(o), normalized(o)]));
        const ours = new Map(built.objects.map((o) => [idOf(o), normalized(o)]));
        for (const id of new Set([...byId.keys(), ...ours.keys()])) {
          if (!ours.has(id)) fail(`${label}: kustomize builds ${id}, the resolver does not`);
          else if (!byId.has(id)) fail(`${label}: the resolver builds ${id}, kustomize does not`);
          else {
            const d = firstDifference(ours.get(id), byId.get(id));
            if (d) fail(`${label}: ${id} differs from kustomize's build at ${d}`);
          }
        }
        for (const o of theirs) {
          validated++;
          for (const p of validateObject(o)) fail(`${label} (${kustomize.cmd} ${kustomize.args[0]}): ${idOf(o)}: ${p}`);
        }
      }
    }
  }

  const baseConfig = path.join(BASE, "configmap.yaml");
  for (const p of checkSettings(table, fs.readFileSync(baseConfig, "utf8"), readYaml(baseConfig))) fail(p);

  if (problems.length) {
    for (const p of problems) console.error(`FAIL ${p}`);
    console.error(`kubernetes: ${problems.length} problem${problems.length === 1 ? "" : "s"}`);
    process.exit(1);
  }
  const names = targets.map(([label]) => label).join(" + ");
  const cross = kustomize ? `; overlay build matches ${kustomize.cmd} ${kustomize.args[0]} ${kustomize.version}` : "; no kustomize here: resolver only";
  console.log(`kubernetes: validated ${validated} objects in ${files.size} files (${names}${cross}): OK`);
}

try {
  main();
} catch (e) {
  if (!(e instanceof Problem)) throw e;
  console.error(`FAIL ${e.message}`);
  process.exit(1);
}
