#!/bin/sh
# Lints deploy/container: the Containerfile with dockerfile-utils (npm; the validator of the VS Code Docker
# language server: bad instructions, arguments, flags, ports, duplicate stages, not hadolint's style rules),
# and the scripts with ShellCheck (Debian's shellcheck; installed here when missing and run as root).
# Exit 1 on any finding. Needs Node.js >= 20 and npm; node_modules/ is made from lint/package-lock.json.
set -eu
here=$(cd "$(dirname "$0")" && pwd -P)

if [ ! -x "$here/lint/node_modules/.bin/dockerfile-utils" ]; then
  (cd "$here/lint" && npm ci --no-audit --no-fund --silent)
fi
echo "dockerfile-utils lint Containerfile"
"$here/lint/node_modules/.bin/dockerfile-utils" lint "$here/Containerfile"

if ! command -v shellcheck >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null
fi
echo "shellcheck $(cd "$here" && echo ./*.sh)"
shellcheck -s sh "$here"/*.sh
echo "lint: ok"
