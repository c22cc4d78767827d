#!/usr/bin/env bash
# Installs what Postdesk needs on a Debian/Ubuntu machine, skipping whatever is already there.
# Idempotent: safe to run before every build or test. Usage: scripts/setup.sh [run|test]
#   run  — what building and running the app needs
#   test — that plus the E2E and keychain test tools (default)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mode=${1:-test}
log() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

# --- Debian packages -------------------------------------------------------------------------
apt_run=(pkg-config libwebkit2gtk-4.1-dev libsoup-3.0-dev librsvg2-dev libayatana-appindicator3-dev)
apt_test=(webkit2gtk-driver xvfb xauth gnome-keyring dbus-x11 libsecret-tools xclip curl faketime lintian rpm bc dpkg-dev python3-yaml python3-jsonschema gdb)
want=("${apt_run[@]}")
[ "$mode" = test ] && want+=("${apt_test[@]}")
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  log "apt: installing ${missing[*]}"
  $sudo apt-get update -qq
  # `env` inside sudo: sudo would drop DEBIAN_FRONTEND from the environment.
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  log "apt: all ${#want[@]} packages present"
fi

# --- Toolchains ------------------------------------------------------------------------------
command -v cargo >/dev/null || { echo "setup: cargo is missing; install Rust with rustup" >&2; exit 1; }
command -v npm >/dev/null || { echo "setup: node/npm is missing; install Node.js 20 or newer" >&2; exit 1; }
if [ "$mode" = test ]; then
  rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt
fi

# --- npm projects: `npm ci` only when the lockfile changed since the last install -------------
npm_ci() {
  local dir=$1 stamp lock
  stamp="$dir/node_modules/.postdesk-lock"
  lock=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock" ]; then
    log "npm: ${dir#"$root"/} up to date"
    return
  fi
  log "npm: installing ${dir#"$root"/}"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock" >"$stamp"
}
npm_ci "$root/ui"
# The pinned Tauri CLI (packaging; scripts/package.sh).
npm_ci "$root"
if [ "$mode" = test ]; then
  npm_ci "$root/tests/e2e"
  npm_ci "$root/tests/sandbox/newman"
fi

# --- cargo tools -----------------------------------------------------------------------------
if [ "$mode" = test ]; then
  if ! command -v tauri-driver >/dev/null; then
    log "cargo: installing tauri-driver"
    cargo install tauri-driver --version '^2' --locked --quiet
  else
    log "cargo: tauri-driver present"
  fi
fi
