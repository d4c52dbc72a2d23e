#!/usr/bin/env bash
# CI's entry point for deploy/kubernetes: `bash deploy/kubernetes/validate/check.sh` (from any directory).
# Installs the validator's npm dependencies when they are missing or older than package-lock.json, then runs
# validate.mjs: the generated Prometheus objects are current, every manifest passes the Kubernetes API
# schemas, the objects fit together. One line and exit 0, or every problem and exit 1.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "kubernetes: node and npm are needed (node >= 20)" >&2
  exit 1
fi
major="$(node -p 'process.versions.node.split(".")[0]')"
if ((major < 20)); then
  echo "kubernetes: node >= 20 is needed, found $(node --version)" >&2
  exit 1
fi

# npm writes node_modules/.package-lock.json on every install: older than the lock file means stale.
if [[ ! -f "$here/node_modules/.package-lock.json" || "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]]; then
  if ! log="$(cd "$here" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error 2>&1)"; then
    printf '%s\n' "$log" >&2
    echo "kubernetes: npm ci failed in ${here}" >&2
    exit 1
  fi
fi

exec node "$here/validate.mjs"
