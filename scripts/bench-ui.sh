#!/usr/bin/env bash
# The UI benchmark (issue 15's table; not a test, never part of scripts/test.sh): builds Postdesk
# in release and a blank Tauri app the same way (scripts/blank-tauri.sh, in a scratch folder),
# then drives both in real windows under Xvfb through tauri-driver (tests/e2e/run.sh) with
# tests/e2e/bench/figures.bench.mjs, against the built-in sandbox. Prints every run's figures
# and a table of their medians, Postdesk beside the baseline; exits non-zero only when a run
# fails, never on a figure.
#   scripts/bench-ui.sh            POSTDESK_BENCH_RUNS=N for other than 5 runs
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target=${CARGO_TARGET_DIR:-$root/target}
blank_dir=${POSTDESK_BENCH_BLANK_DIR:-${TMPDIR:-/tmp}/postdesk-blank-tauri}
cd "$root"
bash scripts/setup.sh
(cd ui && npm run build --silent)
cargo build --release --bin postdesk
bash scripts/blank-tauri.sh "$blank_dir"
# The app's start-up trace (names and timings only) tells Rust's share of each IPC call.
POSTDESK_TRACE_STARTUP=1 \
POSTDESK_BENCH_BLANK="$blank_dir/target/release/app" \
POSTDESK_E2E_APP="$target/release/postdesk" \
POSTDESK_E2E_FILES=tests/e2e/bench/figures.bench.mjs \
POSTDESK_E2E_TEST_TIMEOUT=3000000 POSTDESK_E2E_TIMEOUT=3600 \
  bash tests/e2e/run.sh
