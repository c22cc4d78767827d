#!/usr/bin/env bash
# Builds a blank Tauri 2 app (what `tauri init` makes: one window, one HTML page) in a scratch
# folder — never in the repo — with the same pinned CLI and the same release profile as
# Postdesk, and prints its .deb's and binary's sizes: the baseline the installers issue measures
# Postdesk's package against (and the performance benchmarks their start-up and memory).
#   scripts/blank-tauri.sh [DIR]    (default: ${TMPDIR:-/tmp}/postdesk-blank-tauri)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${1:-${TMPDIR:-/tmp}/postdesk-blank-tauri}
cli="$root/node_modules/.bin/tauri"
[ -x "$cli" ] || (cd "$root" && npm ci --no-audit --no-fund --silent)
mkdir -p "$dir/dist"
cd "$dir"
# One heading, and a User Timing mark two frames after it (scripts/bench-ui.sh times the start-up
# to it, as it times Postdesk's to its first API answer painted). Written only when it differs:
# the page is embedded, a new one relinks the app.
page='<!doctype html><html><head><meta charset="utf-8"><title>blank</title></head><body><h1>Blank</h1><script>requestAnimationFrame(() => requestAnimationFrame(() => performance.mark("blank:painted")))</script></body></html>'
[ "$(cat dist/index.html 2>/dev/null)" = "$page" ] || printf '%s\n' "$page" >dist/index.html
if [ ! -f src-tauri/tauri.conf.json ]; then
  "$cli" init --ci --app-name blank --window-title blank --frontend-dist ../dist --dev-url http://localhost:1420 \
    --before-dev-command '' --before-build-command '' >/dev/null
  # The same release profile as Postdesk's Cargo.toml.
  cat >>src-tauri/Cargo.toml <<'TOML'

[profile.release]
strip = true
lto = true
codegen-units = 1
opt-level = "s"
TOML
  sed -i 's/"identifier": "[^"]*"/"identifier": "dev.postdesk.blank"/' src-tauri/tauri.conf.json
  # The same tauri and tauri-build as Postdesk's Cargo.lock (the template may name newer ones).
  for crate in tauri tauri-build; do
    v=$(awk -v n="$crate" '$0 == "name = \"" n "\"" {getline; gsub(/version = |"/, ""); print; exit}' "$root/Cargo.lock")
    sed -i "s/^$crate = { version = \"[^\"]*\"/$crate = { version = \"=$v\"/" src-tauri/Cargo.toml
  done
fi
CARGO_TARGET_DIR="$dir/target" "$cli" build --ci --bundles deb >/dev/null
deb=$(ls "$dir"/target/release/bundle/deb/*.deb)
mib() { echo "$(stat -c %s "$1") / 1048576" | bc -l; }
printf 'blank-tauri: as the bundler writes it (gzip): %s bytes (%.2f MiB); binary %s bytes\n' "$(stat -c %s "$deb")" \
  "$(mib "$deb")" "$(stat -c %s "$dir/target/release/blank" 2>/dev/null || stat -c %s "$dir"/target/release/app)"
# Finished as Postdesk's is (scripts/finish-deb.py: xz payload, Depends, docs, a manual page).
cp "$deb" "$dir/finished.deb"
python3 "$root/scripts/finish-deb.py" "$dir/finished.deb" "$root/packaging/postdesk.1"
printf 'blank-tauri: finished like Postdesk'"'"'s (xz): %s bytes (%.2f MiB)\n' "$(stat -c %s "$dir/finished.deb")" "$(mib "$dir/finished.deb")"
