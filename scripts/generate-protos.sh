#!/usr/bin/env bash
# Regenerates every protons codec from its .proto. Generated files are committed; never edit them.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t protos < <(find protocols crdt unikernels sim-net node -name '*.proto' -not -path '*/node_modules/*' | sort)
[ ${#protos[@]} -eq 0 ] && exit 0
npx protons "${protos[@]}"
