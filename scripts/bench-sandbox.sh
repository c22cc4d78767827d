#!/usr/bin/env bash
# Benchmark of postman-sandbox (not a test; never part of `cargo test`).
#
# Builds the binary in release, starts it on 127.0.0.1 with limits lifted, and loads it from a
# second process (wrk) over loopback:
#   - GET /me                                   (small response)
#   - GET /collections/{uid} of the largest seeded collection (found through the API)
# Prints requests/s and latency percentiles as a table. Goal: >= 10,000 small requests/s.
#
# Env overrides: BENCH_DURATION (default 10s), BENCH_THREADS (default: cores),
# BENCH_CONNECTIONS (default: 2 per core), SANDBOX_BIN (skip the release build).
# Exit status: 0 when every run completed with only 2xx responses, 1 otherwise.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cores="$(nproc 2>/dev/null || echo 2)"
duration="${BENCH_DURATION:-10s}"
threads="${BENCH_THREADS:-$cores}"
connections="${BENCH_CONNECTIONS:-$((2 * cores))}"
work="$(mktemp -d)"
sandbox_pid=""

cleanup() {
  if [[ -n "$sandbox_pid" ]] && kill -0 "$sandbox_pid" 2>/dev/null; then
    kill "$sandbox_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$sandbox_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$sandbox_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

say() { printf '%s\n' "$*" >&2; }

# --- wrk (Debian package), installed once -------------------------------------------------------
if ! command -v wrk >/dev/null 2>&1; then
  say "bench: installing wrk (apt-get)"
  sudo_cmd=()
  [[ "$(id -u)" -eq 0 ]] || sudo_cmd=(sudo)
  if ! timeout 300 "${sudo_cmd[@]}" apt-get install -y -qq wrk >/dev/null 2>&1; then
    timeout 300 "${sudo_cmd[@]}" apt-get update -qq >/dev/null
    timeout 300 "${sudo_cmd[@]}" apt-get install -y -qq wrk >/dev/null
  fi
fi
command -v wrk >/dev/null || { say "bench: wrk is not available"; exit 1; }
command -v python3 >/dev/null || { say "bench: python3 is required"; exit 1; }

# --- release build ------------------------------------------------------------------------------
bin="${SANDBOX_BIN:-}"
if [[ -z "$bin" ]]; then
  say "bench: cargo build --release -p postman-sandbox"
  (cd "$root" && timeout 3600 cargo build --release -q -p postman-sandbox --bin postman-sandbox)
  target_dir="$(cd "$root" && cargo metadata --format-version 1 --no-deps \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
  bin="$target_dir/release/postman-sandbox"
fi
[[ -x "$bin" ]] || { say "bench: no sandbox binary at $bin"; exit 1; }

# --- start the sandbox (limits lifted) and read its JSON line ----------------------------------
"$bin" --port 0 --no-limits >"$work/out" 2>"$work/err" &
sandbox_pid=$!
line=""
for _ in $(seq 1 300); do # up to 30 s
  if [[ -s "$work/out" ]]; then
    line="$(head -n 1 "$work/out")"
    [[ "$line" == *'"url"'* ]] && break
    line=""
  fi
  kill -0 "$sandbox_pid" 2>/dev/null || { say "bench: sandbox exited early"; cat "$work/err" >&2; exit 1; }
  sleep 0.1
done
[[ -n "$line" ]] || { say "bench: no JSON line from the sandbox within 30 s"; exit 1; }

# url, key, and the largest seeded collection over all seeded users (by the size of its GET
# body); ckey is the key of a user who can read it.
read -r url key uid size count ckey < <(python3 - "$line" <<'PY'
import json, sys, urllib.request
o = json.loads(sys.argv[1])
url, keys = o["url"], list(o["keys"].values())
assert url.startswith("http://127.0.0.1:"), url
def get(path, key):
    req = urllib.request.Request(url + path, headers={"x-api-key": key})
    with urllib.request.urlopen(req, timeout=15) as r:
        return r.read()
best, seen = (0, None, None), set()
for key in keys:
    for c in json.loads(get("/collections", key))["collections"]:
        if c["uid"] in seen:
            continue
        seen.add(c["uid"])
        n = len(get("/collections/" + c["uid"], key))
        if n > best[0]:
            best = (n, c["uid"], key)
print(url, keys[0], best[1], best[0], len(seen), best[2])
PY
)
[[ -n "${uid:-}" && "$uid" != "None" ]] || { say "bench: no seeded collection found"; exit 1; }
me_size="$(curl -sS --max-time 10 -H "x-api-key: $key" -o /dev/null -w '%{size_download}' "$url/me")"
say "bench: sandbox $url; $count seeded collections, largest $uid ($size bytes)"
say "bench: wrk -t$threads -c$connections -d$duration --latency (server and load share $cores cores)"

# Server CPU time (user+system clock ticks) from /proc, to report CPU per request.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$sandbox_pid/stat" 2>/dev/null || echo 0; }

# --- runs ---------------------------------------------------------------------------------------
status=0
rows=()
run() {
  local label="$1" path="$2" bytes="$3" k="$4" out="$work/wrk-$RANDOM.txt" t0 t1
  t0="$(cpu_ticks)"
  if ! timeout 120 wrk -t"$threads" -c"$connections" -d"$duration" --timeout 5s --latency \
    -H "x-api-key: $k" "$url$path" >"$out" 2>&1; then
    say "bench: wrk failed for $label"; cat "$out" >&2; status=1; return
  fi
  t1="$(cpu_ticks)"
  local row
  row="$(python3 - "$out" "$label" "$bytes" "$((t1 - t0))" "$(getconf CLK_TCK)" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
label, size, ticks, hz = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
def pct(p):
    m = re.search(r"^\s*%s%%\s+(\S+)" % p, text, re.M)
    return m.group(1) if m else "?"
rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
total = re.search(r"(\d+) requests in", text)
non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
errors = re.search(r"Socket errors:(.*)", text)
bad = int(non2xx.group(1)) if non2xx else 0
err = errors.group(1).strip() if errors else "none"
n = int(total.group(1)) if total else 0
cpu = "%.0fus" % (ticks * 1e6 / hz / n) if n else "?"
print("%-26s %9s %10s %9s %9s %9s %9s %9s  non2xx=%d sockerr=%s" % (
    label, size, "%.0f" % float(rps.group(1)) if rps else "?", n or "?",
    pct(50), pct(90), pct(99), cpu, bad, err))
sys.exit(1 if bad or errors or not rps else 0)
PY
)" || status=1
  rows+=("$row")
}
run "GET /me" "/me" "$me_size" "$key"
run "GET /collections/{largest}" "/collections/$uid" "$size" "$ckey"

printf '\n%-26s %9s %10s %9s %9s %9s %9s %9s\n' "endpoint" "bytes" "req/s" "requests" "p50" "p90" "p99" "srv-cpu/req"
for r in "${rows[@]}"; do printf '%s\n' "$r"; done
printf '(wrk -t%s -c%s -d%s over 127.0.0.1, %s cores shared by server and load, load average %s; goal >= 10000 req/s for GET /me)\n' \
  "$threads" "$connections" "$duration" "$cores" "$(cut -d' ' -f1-3 /proc/loadavg)"
exit "$status"
