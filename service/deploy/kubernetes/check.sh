#!/usr/bin/env bash
# Schema-checks the Kubernetes manifests with kubernetes-models (npm), without a cluster. CI runs it.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
command -v npm >/dev/null || { echo "missing: npm (apt-get install -y nodejs npm)" >&2; exit 1; }
TOOLS=$(mktemp -d /tmp/mailsetup-k8s-check.XXXXXX)
trap 'rm -rf "$TOOLS"' EXIT
cp "$HERE/check.mjs" "$TOOLS/"
(cd "$TOOLS" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund kubernetes-models@5.1.0 yaml@2.9.1 >/dev/null 2>&1) \
  || { echo "npm install kubernetes-models yaml failed" >&2; exit 1; }
node "$TOOLS/check.mjs" "$HERE/mailsetup.yaml"
