#!/usr/bin/env bash
# Runs the E2E suite once against the built app: Xvfb, a private D-Bus session with an unlocked
# gnome-keyring (Secret Service), a private HOME/XDG tree, tauri-driver + WebKitWebDriver, then
# `node --test`. Every step is bounded; the whole run is killed after POSTDESK_E2E_TIMEOUT seconds.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
app=${POSTDESK_E2E_APP:-$target/debug/postdesk}

if [ -z "${POSTDESK_E2E_INNER:-}" ]; then
  [ -x "$app" ] || { echo "e2e: $app is missing; build the app first (scripts/test.sh does)" >&2; exit 1; }
  export POSTDESK_E2E_INNER=1 POSTDESK_E2E_APP="$app"
  exec timeout --kill-after=15 "${POSTDESK_E2E_TIMEOUT:-600}" \
    xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
    dbus-run-session -- "${BASH_SOURCE[0]}" "$@"
fi

# --- inside Xvfb + the private D-Bus session ---
work=$(mktemp -d "${TMPDIR:-/tmp}/postdesk-e2e.XXXXXX")
export HOME="$work/home" XDG_DATA_HOME="$work/home/.local/share" XDG_CONFIG_HOME="$work/home/.config" \
  XDG_CACHE_HOME="$work/home/.cache" XDG_RUNTIME_DIR="$work/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
# No WEBKIT_DISABLE_* overrides here: the app chooses its compositing itself (src-tauri/webview.rs:
# off under Xvfb, which has no GPU render node), and the suite drives it as a user gets it.
export NO_AT_BRIDGE=1
# The app under test (a debug build) runs on a clock pinned at this instant, and so does its
# built-in sandbox: the suite sees the same dates whatever the day it runs (app::TEST_NOW_VAR).
export POSTDESK_TEST_NOW=${POSTDESK_TEST_NOW:-2026-11-23T10:00:00Z}
# Debug builds only (a release build ignores them): an export goes into this folder and an
# import reads this file instead of going through the OS save/open dialogs, which WebDriver
# cannot drive; the updater asks a closed loopback port, never GitHub.
export POSTDESK_TEST_SAVE_DIR="$work/home/Downloads" POSTDESK_TEST_OPEN_FILE="$work/home/picked.json"
export POSTDESK_UPDATE_ENDPOINT=${POSTDESK_UPDATE_ENDPOINT:-http://127.0.0.1:9/latest.json}
mkdir -p "$POSTDESK_TEST_SAVE_DIR"

# An unlocked Secret Service for this session only (fed a throwaway password on stdin).
eval "$(printf 'postdesk-e2e' | timeout 10 gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
native=$(free_port)
driver_log="$work/tauri-driver.log"
tauri-driver --port "$port" --native-port "$native" --native-driver "$(command -v WebKitWebDriver)" >"$driver_log" 2>&1 &
driver=$!
# A second driver whose app sees a dark desktop theme, for the theme test.
dark_port=$(free_port)
dark_native=$(free_port)
GTK_THEME=Adwaita:dark tauri-driver --port "$dark_port" --native-port "$dark_native" \
  --native-driver "$(command -v WebKitWebDriver)" >"$work/tauri-driver-dark.log" 2>&1 &
dark_driver=$!
cleanup() {
  kill "$driver" "$dark_driver" 2>/dev/null || true
  wait "$driver" "$dark_driver" 2>/dev/null || true
  pkill -P $$ 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
for p in "$port" "$dark_port"; do
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && break
    kill -0 "$driver" "$dark_driver" 2>/dev/null || { cat "$driver_log" >&2; echo "e2e: tauri-driver died" >&2; exit 1; }
    sleep 0.1
  done
done

export POSTDESK_E2E_DRIVER_PORT=$port POSTDESK_E2E_DARK_DRIVER_PORT=$dark_port
# Everything the run writes (the app's HOME and data, webview storage, driver and app logs):
# the secret audit scans it all.
export POSTDESK_E2E_WORK=$work
export POSTDESK_E2E_SCREENSHOTS="$root/target/e2e/screenshots"
export POSTDESK_E2E_VERSION
POSTDESK_E2E_VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n 1)
cd "$root"
status=0
# POSTDESK_E2E_FILES picks other files (scripts/bench-ui.sh runs the UI figures this way).
# shellcheck disable=SC2086
node --test --test-concurrency=1 --test-timeout=${POSTDESK_E2E_TEST_TIMEOUT:-300000} \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=./tests/e2e/failures-reporter.mjs --test-reporter-destination="$work/failures.txt" \
  ${POSTDESK_E2E_FILES:-tests/e2e/*.test.mjs} || status=$?
if [ "$status" -ne 0 ]; then
  # The app's and the driver's own lines, without the debug build's repeated updater warning.
  echo "--- tauri-driver log (last 40 lines) ---" >&2
  grep -v -e 'updater endpoint' -e 'dangerousInsecureTransportProtocol' "$driver_log" | tail -n 40 >&2 || true
  # Last, so the end of the log says which test failed first and why.
  echo "--- failures ---" >&2
  cat "$work/failures.txt" >&2 || true
fi
exit "$status"
