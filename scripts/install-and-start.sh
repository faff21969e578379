#!/usr/bin/env bash
# One command from a fresh clone to a running studio: install dependencies, build, start.
#   bash scripts/install-and-start.sh [--browser] [--port N]
# Electron opens when its binary is available and there is a display; otherwise `npm start`
# says why and opens browser mode instead.
set -euo pipefail
cd "$(dirname "$0")/.."

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "studio: Node.js 20.19 or newer is required (found $(node --version 2>/dev/null || echo none))." >&2
  exit 1
fi

# onnxruntime-node's own install step downloads CUDA binaries; CPU and WebGPU ship in the
# package, so skip it (see README, "GPU providers", to turn CUDA on).
export ONNXRUNTIME_NODE_INSTALL=${ONNXRUNTIME_NODE_INSTALL:-skip}

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  if ! npm ci --no-audit --no-fund; then
    echo "studio: installing with the Electron binary failed (it is downloaded from outside the npm registry)." >&2
    echo "studio: retrying without it; the studio will run in browser mode." >&2
    ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund
  fi
fi

exec npm start -- "$@"
