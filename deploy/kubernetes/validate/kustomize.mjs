// A resolver for the small part of kustomize that deploy/kubernetes uses, so that the overlay's output can be
// validated where no kustomize binary exists (Debian 12 packages none; the npm registry has no real one).
// It resolves exactly:
//   resources   files (one or more YAML documents) and directories holding a kustomization.yaml
//   namespace   set on every object (all of Intake's kinds are namespaced)
//   images      name -> newName / newTag / digest, on every `containers` and `initContainers` list
//   patches     `path:` to a strategic merge patch of one object, found by apiVersion, kind and name
// Strategic merge here: maps merge, scalars and `null` (delete) replace, lists of containers, initContainers,
// env, volumes and imagePullSecrets merge by name, volumeMounts by mountPath, container ports by
// containerPort, Service ports by port; every other list is replaced. The order of a merged list's items
// may differ from kustomize's (validate.mjs compares such lists by key, except initContainers, whose order
// is their run order). Anything else (other kustomization
// fields, `$patch` directives, JSON 6902 patches, `target:`) is refused, never silently ignored.
// Where `kubectl kustomize` or `kustomize` is installed, validate.mjs also builds with it and compares.
import fs from "node:fs";
import path from "node:path";
import { Problem, readYaml, readYamlDocs, rel } from "./common.mjs";

const SUPPORTED = new Set(["apiVersion", "kind", "resources", "namespace", "images", "patches"]);

const MERGE_KEYS = [
  [/\/(containers|initContainers|ephemeralContainers|env|volumes|imagePullSecrets)$/, "name"],
  [/\/volumeMounts$/, "mountPath"],
  [/\/(containers|initContainers)\/\*\/ports$/, "containerPort"],
  [/^Service:\/spec\/ports$/, "port"],
];

function mergeKey(kind, where) {
  const generic = where.replace(/\/\d+(?=\/|$)/g, "/*");
  for (const [pattern, key] of MERGE_KEYS) {
    if (pattern.test(generic) || pattern.test(`${kind}:${generic}`)) return key;
  }
  return null;
}

const isMap = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

function strategicMerge(kind, base, patch, where, source) {
  if (!isMap(base) || !isMap(patch)) return structuredClone(patch);
  const out = structuredClone(base);
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith("$")) throw new Problem(`${source}: ${where}/${key}: patch directives are not supported by the resolver`);
    const here = `${where}/${key}`;
    if (value === null) {
      delete out[key];
    } else if (Array.isArray(value) && Array.isArray(out[key]) && mergeKey(kind, here)) {
      // The patch's items first, in its order, then the others: the order kustomize 5.5 was seen to give.
      const k = mergeKey(kind, here);
      const merged = value.map((item, i) => {
        const old = isMap(item) ? out[key].find((o) => isMap(o) && o[k] === item[k]) : undefined;
        return old ? strategicMerge(kind, old, item, `${here}/${i}`, source) : structuredClone(item);
      });
      const rest = out[key].filter((o) => !value.some((item) => isMap(item) && isMap(o) && o[k] === item[k]));
      out[key] = [...merged, ...structuredClone(rest)];
    } else if (isMap(value) && isMap(out[key])) {
      out[key] = strategicMerge(kind, out[key], value, here, source);
    } else {
      out[key] = structuredClone(value);
    }
  }
  return out;
}

function splitImage(image) {
  // name[:tag][@digest]; a registry's port (host:5000/x) is before the last slash
  const at = image.indexOf("@");
  const withoutDigest = at >= 0 ? image.slice(0, at) : image;
  const colon = withoutDigest.lastIndexOf(":");
  const slash = withoutDigest.lastIndexOf("/");
  const hasTag = colon > slash;
  return {
    name: hasTag ? withoutDigest.slice(0, colon) : withoutDigest,
    tag: hasTag ? withoutDigest.slice(colon + 1) : null,
    digest: at >= 0 ? image.slice(at + 1) : null,
  };
}

function setImages(value, images) {
  if (Array.isArray(value)) {
    value.forEach((v) => setImages(v, images));
  } else if (isMap(value)) {
    for (const [key, child] of Object.entries(value)) {
      if ((key === "containers" || key === "initContainers") && Array.isArray(child)) {
        for (const container of child) {
          if (!isMap(container) || typeof container.image !== "string") continue;
          const current = splitImage(container.image);
          const rule = images.find((i) => i.name === current.name);
          if (!rule) continue;
          const name = rule.newName ?? current.name;
          if (rule.digest) container.image = `${name}@${rule.digest}`;
          else if (rule.newTag) container.image = `${name}:${rule.newTag}`;
          else container.image = name + (current.tag ? `:${current.tag}` : "") + (current.digest ? `@${current.digest}` : "");
        }
      }
      setImages(child, images);
    }
  }
}

const idOf = (o) => `${o.apiVersion}/${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata?.name}`;

/**
 * Builds the kustomization in dir. Returns { objects, files, patches }: the objects in resource order,
 * every file read, and each patch (file, object) for validation as a partial object.
 */
export function build(dir, seen = new Set()) {
  const kfile = path.join(dir, "kustomization.yaml");
  if (!fs.existsSync(kfile)) throw new Problem(`${rel(dir)}: no kustomization.yaml`);
  if (seen.has(kfile)) throw new Problem(`${rel(kfile)}: included twice`);
  seen.add(kfile);
  const k = readYaml(kfile);
  if (k.apiVersion !== "kustomize.config.k8s.io/v1beta1" || k.kind !== "Kustomization") {
    throw new Problem(`${rel(kfile)}: expected apiVersion kustomize.config.k8s.io/v1beta1, kind Kustomization`);
  }
  for (const key of Object.keys(k)) {
    if (!SUPPORTED.has(key)) throw new Problem(`${rel(kfile)}: \`${key}\` is not supported by the resolver (kustomize.mjs)`);
  }
  const files = [kfile];
  const patches = [];
  let objects = [];
  for (const entry of k.resources ?? []) {
    if (typeof entry !== "string" || /^[a-z]+:\/\//.test(entry)) throw new Problem(`${rel(kfile)}: resource ${JSON.stringify(entry)}: only local paths`);
    const target = path.resolve(dir, entry);
    if (!fs.existsSync(target)) throw new Problem(`${rel(kfile)}: resource ${entry}: no such file or directory`);
    if (fs.statSync(target).isDirectory()) {
      const sub = build(target, seen);
      objects.push(...sub.objects);
      files.push(...sub.files);
      patches.push(...sub.patches);
    } else {
      const docs = readYamlDocs(target);
      if (docs.length === 0) throw new Problem(`${rel(target)}: no object`);
      for (const doc of docs) objects.push({ ...doc, [SOURCE]: rel(target) });
      files.push(target);
    }
  }
  const ids = new Set();
  for (const o of objects) {
    if (ids.has(idOf(o))) throw new Problem(`${rel(kfile)}: ${idOf(o)} appears twice`);
    ids.add(idOf(o));
  }
  for (const entry of k.patches ?? []) {
    const extra = Object.keys(entry ?? {}).filter((key) => key !== "path");
    if (!entry?.path || extra.length) throw new Problem(`${rel(kfile)}: patches: only \`path:\` is supported by the resolver (found ${extra.join(", ") || "no path"})`);
    const file = path.resolve(dir, entry.path);
    if (!fs.existsSync(file)) throw new Problem(`${rel(kfile)}: patch ${entry.path}: no such file`);
    const patch = readYaml(file);
    if (Array.isArray(patch)) throw new Problem(`${rel(file)}: JSON 6902 patches are not supported by the resolver`);
    files.push(file);
    patches.push({ file: rel(file), object: patch });
    const matches = objects.filter((o) => o.apiVersion === patch.apiVersion && o.kind === patch.kind
      && o.metadata?.name === patch.metadata?.name
      && (!patch.metadata?.namespace || patch.metadata.namespace === o.metadata?.namespace));
    if (matches.length !== 1) throw new Problem(`${rel(file)}: patch matches ${matches.length} objects (${patch.apiVersion}/${patch.kind} ${patch.metadata?.name})`);
    objects = objects.map((o) => (o === matches[0] ? { ...strategicMerge(o.kind, o, patch, "", rel(file)), [SOURCE]: o[SOURCE] } : o));
  }
  if (k.namespace !== undefined) {
    if (typeof k.namespace !== "string" || !k.namespace) throw new Problem(`${rel(kfile)}: namespace must be a name`);
    objects = objects.map((o) => ({ ...o, metadata: { ...o.metadata, namespace: k.namespace }, [SOURCE]: o[SOURCE] }));
  }
  if (k.images !== undefined) {
    for (const image of k.images) {
      const extra = Object.keys(image).filter((key) => !["name", "newName", "newTag", "digest"].includes(key));
      if (!image.name || extra.length) throw new Problem(`${rel(kfile)}: images: need name, and only newName, newTag, digest`);
    }
    for (const o of objects) setImages(o, k.images);
  }
  return { objects, files, patches };
}

/** The file an object came from (a symbol: it does not show in the object's keys or its JSON). */
export const SOURCE = Symbol("source");
export { idOf };
