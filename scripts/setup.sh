#!/usr/bin/env bash
# Installs the dependencies and builds every package: the one set-up step
# behind both `npm start` and `npm test`, safe to run again (it does only
# what changed).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v node >/dev/null || { echo "setup: node not found on PATH (Node.js >= 20 is needed)" >&2; exit 1; }
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then echo "setup: Node.js >= 20 is needed, found $(node --version)" >&2; exit 1; fi

# npm writes node_modules/.package-lock.json on every install; a lock file
# newer than it means the dependencies changed since.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund >&2
fi

bash scripts/fetch-wheels.sh >&2
npx --no-install tsc -b tsconfig.json >&2
