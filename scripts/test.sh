#!/usr/bin/env bash
# The README's test command: installs what is missing, then runs every test and lint once:
# UI (svelte-check, Vitest), Rust (fmt, clippy, unit + integration tests against the sandbox over
# loopback, TS bindings freshness), the newman check, the E2E suite against the built app, and
# the release .deb: built, checked, unpacked and driven through a smoke journey.
# Each step is bounded; the run stops at the first failing step and says which one.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# In CI the target folder outlives the fresh clone, so builds stay incremental across runs;
# a cold run (empty folder) passes too, only slower.
if [ -n "${CI:-}" ] && [ -z "${CARGO_TARGET_DIR:-}" ]; then
  export CARGO_TARGET_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/postdesk/target"
fi
target=${CARGO_TARGET_DIR:-$root/target}
log="$root/target/test-report"
mkdir -p "$log"
: >"$log/summary.txt"
export CARGO_TERM_COLOR=never NO_COLOR=1

step() {
  local name=$1 limit=$2
  shift 2
  local start=$SECONDS
  printf '\n\033[1m==> %s\033[0m\n' "$name"
  if ! timeout --kill-after=20 "$limit" "$@" 2>&1 | tee "$log/$name.log"; then
    echo "FAILED: $name (after $((SECONDS - start)) s; log in target/test-report/$name.log)" >&2
    exit 1
  fi
  printf '%-16s %4d s\n' "$name" $((SECONDS - start)) >>"$log/summary.txt"
}

step setup 1200 scripts/setup.sh test
# The CI and release workflows and the Windows/macOS bundle configs, checked offline.
step workflows 300 scripts/check-workflows.sh
step ui-check 300 bash -c 'cd ui && npm run --silent check'
step ui-test 300 bash -c 'cd ui && npx vitest run'
step ui-build 300 bash -c 'cd ui && npm run --silent build'
step fmt 120 cargo fmt --all -- --check
step clippy 1800 cargo clippy --workspace --all-targets --locked -- -D warnings
step cargo-test 2400 scripts/with-keyring.sh cargo test --workspace --locked --no-fail-fast
step test-dates 900 scripts/test-dates.sh
step newman 600 env SANDBOX_BIN="$target/debug/postman-sandbox" tests/sandbox/newman/run.sh
step build-app 1200 cargo build --locked -p postdesk
step e2e 900 env POSTDESK_E2E_APP="$target/debug/postdesk" POSTDESK_E2E_TIMEOUT=840 tests/e2e/run.sh
# The release .deb as a user gets it: built (incremental), checked (metadata, size, lintian),
# unpacked into a scratch root, and its binary driven through a smoke journey.
step package 2700 scripts/package.sh
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
rm -rf "$target/deb-root"
deb="$target/release/bundle/deb/Postdesk_${version}_amd64.deb"
step check-deb 300 env POSTDESK_DEB_ROOT="$target/deb-root" scripts/check-deb.sh "$deb"
# dpkg -i, a launch and dpkg -P need root: as root (CI here) or with passwordless sudo (GitHub).
if [ "$(id -u)" = 0 ]; then
  step install-deb 300 scripts/check-deb.sh "$deb" --install
elif sudo -n true 2>/dev/null; then
  step install-deb 300 sudo -n scripts/check-deb.sh "$deb" --install
else
  echo "install-deb: skipped (needs root or passwordless sudo)" | tee -a "$log/summary.txt"
fi
step e2e-packaged 300 env POSTDESK_E2E_APP="$target/deb-root/usr/bin/postdesk" POSTDESK_E2E_TIMEOUT=240 \
  POSTDESK_E2E_FILES=tests/e2e/packaged/smoke.test.mjs tests/e2e/run.sh

# One closing line that counts every test run above.
passed=0 failed=0
add() { passed=$((passed + ${1:-0})); failed=$((failed + ${2:-0})); }
while read -r p f; do add "$p" "$f"; done < <(sed -n 's/^test result: [a-zA-Z]*\. \([0-9]*\) passed; \([0-9]*\) failed.*/\1 \2/p' "$log/cargo-test.log")
read -r p f < <(sed -n 's/^ *Tests *\([0-9]*\) passed.*/\1 0/p' "$log/ui-test.log" | tail -n 1) && add "$p" "$f"
read -r p < <(sed -n 's/^ℹ pass \([0-9]*\)/\1/p' "$log/e2e.log") && add "$p" 0
read -r f < <(sed -n 's/^ℹ fail \([0-9]*\)/\1/p' "$log/e2e.log") && add 0 "$f"
read -r p < <(sed -n 's/^ℹ pass \([0-9]*\)/\1/p' "$log/e2e-packaged.log") && add "$p" 0
echo
echo "Step times:"
cat "$log/summary.txt"
echo "Calendar edges: $(grep -c '^test-dates: every Rust test passed' "$log/test-dates.log") dates, each the whole Rust suite again under faketime"
echo "E2E: $(sed -n 's/^ℹ pass \([0-9]*\)/\1/p' "$log/e2e.log") tests; screenshots in target/e2e/screenshots/"
echo "postdesk: $passed passed, $failed failed"
