#!/usr/bin/env bash
# One command from a fresh clone to a running studio: install dependencies, build, start.
#   bash scripts/install-and-start.sh [--browser] [--port N]
# Electron opens when its binary is available and there is a display; otherwise `npm start`
# says why and opens browser mode instead.
set -euo pipefail
cd "$(dirname "$0")/.."

node_version=$(node -p 'process.versions.node' 2>/dev/null || echo 0.0.0)
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' 2>/dev/null; then
  echo "studio: Node.js 20.19 or newer is required (found ${node_version})." >&2
  exit 1
fi

# onnxruntime-node's own install step downloads CUDA binaries; CPU (and WebGPU) ship in the
# package, so skip it (see README, "GPU providers", to turn CUDA on).
export ONNXRUNTIME_NODE_INSTALL=${ONNXRUNTIME_NODE_INSTALL:-skip}

# The Electron binary is a download from outside the npm registry. Skip it up front where the
# desktop app could not open anyway (Linux without a display); elsewhere try it once, quietly,
# and fall back to browser mode with one line and the log instead of a wall of npm errors.
if [ "$(uname -s)" = Linux ] && [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${ELECTRON_SKIP_BINARY_DOWNLOAD:-}" ]; then
  echo "studio: no display, so the desktop app cannot open here: installing without Electron; the studio runs in browser mode." >&2
  export ELECTRON_SKIP_BINARY_DOWNLOAD=1
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log=$(mktemp "${TMPDIR:-/tmp}/studio-npm-ci.XXXXXX")
  if npm ci --no-audit --no-fund >"$log" 2>&1; then
    tail -n 2 "$log"
    rm -f "$log"
  elif [ -z "${ELECTRON_SKIP_BINARY_DOWNLOAD:-}" ]; then
    echo "studio: the install with the Electron binary failed (it is downloaded from outside the npm registry; details in $log)." >&2
    echo "studio: installing without it; the studio will run in browser mode." >&2
    ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund
  else
    cat "$log" >&2
    echo "studio: npm ci failed (log: $log)." >&2
    exit 1
  fi
fi

exec npm start -- "$@"
