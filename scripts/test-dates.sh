#!/usr/bin/env bash
# Runs the whole Rust test suite again at calendar edges, with the system clock faked by
# libfaketime: the last seconds of February 2027, 29 February 2028 and New Year's Eve 2028.
# Tests pin their own dates, so they must pass whatever the system says. It reuses the test
# binaries `cargo test` built (it never rebuilds: --no-run only lists them) and runs each one
# from its package folder, as cargo does, inside the private keyring session.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
command -v faketime >/dev/null || { echo "test-dates: faketime is missing (scripts/setup.sh installs it)" >&2; exit 1; }
dates=("2027-02-28 23:59:50" "2028-02-29 12:00:00" "2028-12-31 23:59:50")

# "<package dir>\t<executable>" of every test binary of the workspace, already built.
list=$(cargo test --workspace --locked --no-run --message-format=json 2>/dev/null | python3 -c '
import json, os, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("profile", {}).get("test") and m.get("executable"):
        print(os.path.dirname(m["manifest_path"]) + "\t" + m["executable"])
')
[ -n "$list" ] || { echo "test-dates: no test binaries found; run cargo test first" >&2; exit 1; }

run_all() {
  local failed=0 dir exe
  while IFS=$'\t' read -r dir exe; do
    if ! (cd "$dir" && "$exe" -q >"$log/$(basename "$exe").log" 2>&1); then
      echo "FAILED at $FAKETIME_LABEL: $exe (log: $log/$(basename "$exe").log)" >&2
      tail -n 30 "$log/$(basename "$exe").log" >&2
      failed=1
    fi
  done <<<"$list"
  return "$failed"
}
export -f run_all
export list

status=0
for at in "${dates[@]}"; do
  log="$root/target/test-report/dates/${at// /T}"
  mkdir -p "$log"
  export log FAKETIME_LABEL="$at"
  start=$SECONDS
  # The keyring daemon runs on the real clock; only the tests see the faked one. Monotonic time
  # is not faked (tokio's timers and every timeout stay real).
  if scripts/with-keyring.sh env FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "@$at" bash -c run_all; then
    echo "test-dates: every Rust test passed at $at ($((SECONDS - start)) s)"
  else
    status=1
  fi
done
exit "$status"
