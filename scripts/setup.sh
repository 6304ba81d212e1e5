#!/usr/bin/env bash
# Installs the dependencies and builds every package: the one set-up step
# behind both `npm start` and `npm test`, safe to run again (it does only
# what changed).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v npm >/dev/null || { echo "setup: npm not found on PATH (it fetches the dependencies and Node 26)" >&2; exit 1; }

# Caracal runs on Node 26. scripts/node.sh finds a node >= 26 on PATH or
# fetches the pinned one from the npm registry (cached under .cache/node);
# with its folder first on PATH, everything below runs on it: npm itself (the
# system npm, started through `#!/usr/bin/env node`), the install scripts,
# the wheel fetch and the TypeScript build. Callers of this script put the
# same folder on their own PATH (see test.sh and package.json's "start").
node_bin_dir="$(bash scripts/node.sh bin-dir)"
export PATH="$node_bin_dir:$PATH"
echo "setup: Node $(node --version) at $(command -v node)" >&2

# npm writes node_modules/.package-lock.json on every install; a lock file
# newer than it means the dependencies changed since.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund >&2
fi

bash scripts/fetch-wheels.sh >&2
# The OS sandbox around tenant detections (decision 0013); skipped where the
# configuration says the pod is the boundary.
if [ "${CARACAL_DETECTION_SANDBOX:-bwrap}" = bwrap ]; then bash scripts/bwrap.sh fetch >/dev/null; fi
npx --no-install tsc -b tsconfig.json >&2
