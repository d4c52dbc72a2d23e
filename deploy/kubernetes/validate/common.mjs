// Paths and YAML reading shared by generate.mjs and validate.mjs.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const KUBE = path.resolve(HERE, "..");
export const ROOT = path.resolve(KUBE, "../..");
export const rel = (p) => path.relative(ROOT, p) || ".";

export class Problem extends Error {}

// Kubernetes' YAML decoder (sigs.k8s.io/yaml) follows YAML 1.1, where a bare `off` or `yes` is a boolean.
// Parse the same way, so that what passes here is what `kubectl apply -f` sends. Duplicate keys are an error.
const OPTIONS = { version: "1.1", uniqueKeys: true, prettyErrors: true };

/** Every document of a YAML file, as plain values; empty documents are dropped. */
export function readYamlDocs(file) {
  const text = fs.readFileSync(file, "utf8");
  const docs = YAML.parseAllDocuments(text, OPTIONS);
  const out = [];
  for (const doc of docs) {
    const bad = [...doc.errors, ...doc.warnings];
    if (bad.length) throw new Problem(`${rel(file)}: ${bad[0].message.split("\n")[0].replace(/:$/, "")}`);
    const value = doc.toJS();
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

export function readYaml(file) {
  const docs = readYamlDocs(file);
  if (docs.length !== 1) throw new Problem(`${rel(file)}: expected one YAML document, found ${docs.length}`);
  return docs[0];
}

export function toYaml(value) {
  return new YAML.Document(value, { version: "1.1" }).toString({ lineWidth: 0 });
}
