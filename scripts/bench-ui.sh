#!/usr/bin/env bash
# Benchmark of the Collections view in the real app window (not a test; never part of
# scripts/test.sh). Builds the app in release, then drives it under Xvfb through tauri-driver
# (tests/e2e/run.sh) with tests/e2e/bench/figures.bench.mjs, against the built-in sandbox:
#   - 10,000 collections in the list: click → first rows painted, again from the cache, and the
#     resident memory of the app and its web process before and after;
#   - a generated ~18 MB collection (10,000 requests in nested folders): click → tree painted.
# Prints the figures; exits non-zero only when a run fails.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target=${CARGO_TARGET_DIR:-$root/target}
cd "$root"
bash scripts/setup.sh
(cd ui && npm run build --silent)
cargo build --release --bin postdesk
POSTDESK_E2E_APP="$target/release/postdesk" \
POSTDESK_E2E_FILES=tests/e2e/bench/figures.bench.mjs \
POSTDESK_E2E_TEST_TIMEOUT=600000 \
  bash tests/e2e/run.sh
