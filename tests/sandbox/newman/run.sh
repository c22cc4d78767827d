#!/usr/bin/env bash
# Newman check: newman must load and run collections served by postman-sandbox.
#
# Starts the postman-sandbox binary on 127.0.0.1 (--port 0, --no-limits), reads its JSON line
# ({"url":…,"adminToken":…,"keys":{…}}), then runs check.js, which creates a loopback collection through the
# API and runs `newman run "<url>/collections/<uid>?apikey=<key>"` (and ?access_key=), and checks
# that bad keys do not load. Exits non-zero on any failure. Every wait is bounded.
#
# Env: SANDBOX_BIN=path to a prebuilt postman-sandbox (default: cargo build -p postman-sandbox).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
work="$(mktemp -d)"
sandbox_pid=""

# Asks the sandbox to stop, gives it 5 s, then kills it.
stop_sandbox() {
  [[ -n "$sandbox_pid" ]] || return 0
  kill "$sandbox_pid" 2>/dev/null || return 0
  local tenths=0
  while kill -0 "$sandbox_pid" 2>/dev/null && ((tenths++ < 50)); do
    sleep 0.1
  done
  kill -9 "$sandbox_pid" 2>/dev/null || true
}
trap 'stop_sandbox; rm -rf "$work"' EXIT

command -v node >/dev/null || { echo "newman check: node is required" >&2; exit 1; }

# newman from the committed lockfile.
if [[ ! -x "$here/node_modules/.bin/newman" ]]; then
  (cd "$here" && timeout 600 npm ci --no-audit --no-fund --loglevel=error)
fi

bin="${SANDBOX_BIN:-}"
if [[ -z "$bin" ]]; then
  (cd "$root" && timeout 1800 cargo build -q -p postman-sandbox --bin postman-sandbox)
  target_dir="$(cd "$root" && cargo metadata --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')"
  bin="$target_dir/debug/postman-sandbox"
fi
[[ -x "$bin" ]] || { echo "newman check: no sandbox binary at $bin" >&2; exit 1; }

"$bin" --port 0 --no-limits >"$work/out" 2>"$work/err" &
sandbox_pid=$!

line=""
for _ in $(seq 1 300); do   # up to 30 s for the JSON line
  if [[ -s "$work/out" ]] && line="$(head -n 1 "$work/out")" && [[ "$line" == *'"url"'* ]]; then
    break
  fi
  kill -0 "$sandbox_pid" 2>/dev/null || { echo "newman check: sandbox exited early" >&2; cat "$work/err" >&2; exit 1; }
  line=""
  sleep 0.1
done
[[ -n "$line" ]] || { echo "newman check: no JSON line from the sandbox within 30 s" >&2; exit 1; }

read -r url key admin_token < <(node -e '
  const o = JSON.parse(process.argv[1]);
  const key = Object.values(o.keys)[0];
  if (!o.url || !key || !o.adminToken) { process.exit(1); }
  console.log(o.url + " " + key + " " + o.adminToken);
' "$line")
echo "sandbox at $url"

cd "$here"
SANDBOX_ADMIN_TOKEN="$admin_token" timeout 600 node check.js "$url" "$key"
