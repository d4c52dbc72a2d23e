// Validation of one object against the Kubernetes API schemas: kubernetes-models (the official OpenAPI of
// Kubernetes, compiled to JSON Schema validators) and @kubernetes-models/prometheus-operator (the operator's
// CRD schemas). Types, enums, formats and required fields come from their validators.
//
// The OpenAPI schemas do not forbid unknown fields, but the API server does (kubectl's default field
// validation is Strict since Kubernetes 1.27), and a misspelt field (`readOnlyRootFileSystem`) is exactly
// the mistake that would slip through. So the object is validated through a Proxy that records which
// property names the compiled validator reads: it reads every property its schema declares, so an own
// key that it never read is unknown. Objects whose schema is a map (labels, data) or free-form
// (x-kubernetes-preserve-unknown-fields) are read by enumeration, or not at all, and are left alone.
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { Job } from "kubernetes-models/batch/v1/Job";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";

const MODELS = [ConfigMap, Secret, Service, ServiceAccount, Deployment, Job, HorizontalPodAutoscaler,
  PodDisruptionBudget, NetworkPolicy, PrometheusRule, ServiceMonitor];
const BY_TYPE = new Map(MODELS.map((m) => [`${m.apiVersion}/${m.kind}`, m]));

export const knownTypes = () => [...BY_TYPE.keys()];

/** Wraps value so that reads of its properties (and of its children's) are recorded in nodes. */
function track(value, path, nodes) {
  if (value === null || typeof value !== "object") return value;
  const node = { path, value, read: new Set(), enumerated: false };
  nodes.push(node);
  const children = new Map();
  return new Proxy(value, {
    get(target, key, receiver) {
      if (typeof key !== "string") return Reflect.get(target, key, receiver);
      node.read.add(key);
      const child = Reflect.get(target, key, receiver);
      if (child === null || typeof child !== "object" || !Object.hasOwn(target, key)) return child;
      if (!children.has(key)) children.set(key, track(child, `${path}/${key}`, nodes));
      return children.get(key);
    },
    has(target, key) {
      if (typeof key === "string") node.read.add(key);
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      node.enumerated = true;
      return Reflect.ownKeys(target);
    },
  });
}

function valueAt(obj, pointer) {
  return pointer.split("/").slice(1).reduce((v, key) => v?.[key.replaceAll("~1", "/").replaceAll("~0", "~")], obj);
}

/**
 * Problems of obj against its schema, as strings naming the field path; [] when it is valid.
 * partial: a strategic merge patch, which may leave out required fields.
 */
export function validateObject(obj, { partial = false } = {}) {
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) return ["not an object"];
  const type = `${obj.apiVersion}/${obj.kind}`;
  const model = BY_TYPE.get(type);
  if (!model) return [`no schema known for ${type} (known: ${knownTypes().join(", ")})`];
  const problems = [];
  const nodes = [];
  try {
    model.prototype.validate.call(track(obj, "", nodes));
  } catch (e) {
    if (!Array.isArray(e.errors)) throw e;
    // A oneOf (int-or-string, quantity) fails with one error per branch and one for itself: say it once.
    const alternatives = new Map();
    for (const err of e.errors) {
      if (err.keyword === "oneOf" || err.keyword === "anyOf") alternatives.set(err.instancePath, []);
    }
    for (const err of e.errors) {
      if (alternatives.has(err.instancePath) && err.keyword !== "oneOf" && err.keyword !== "anyOf") alternatives.get(err.instancePath).push(err.message);
    }
    for (const err of e.errors) {
      if (alternatives.has(err.instancePath)) {
        if (err.keyword === "oneOf" || err.keyword === "anyOf") {
          problems.push(`${err.instancePath}: ${[...new Set(alternatives.get(err.instancePath))].join(" or ") || err.message}`);
        }
        continue;
      }
      if (partial && err.keyword === "required") continue;
      let where = err.instancePath || "/";
      if (err.keyword === "required") where = `${err.instancePath}/${err.params.missingProperty}`;
      let hint = err.params?.allowedValues ? ` (${err.params.allowedValues.join(", ")})` : "";
      if (err.keyword === "type" && err.params.type === "string" && typeof valueAt(obj, err.instancePath) === "boolean") {
        hint = " (a bare on/off/yes/no/true/false is a boolean in YAML 1.1, which Kubernetes' YAML decoder follows: quote it)";
      }
      problems.push(`${where}: ${err.message}${hint}`);
    }
  }
  for (const node of nodes) {
    if (Array.isArray(node.value) || node.enumerated || node.read.size === 0) continue;
    for (const key of Object.keys(node.value)) {
      if (!node.read.has(key)) problems.push(`${node.path}/${key}: unknown field`);
    }
  }
  return [...new Set(problems)];
}
