#!/usr/bin/env bash
# Builds the release bundles this machine can build offline — the .deb and the .rpm — with the
# project's pinned Tauri CLI (root package.json/package-lock.json). AppImage, MSI/NSIS and
# .app/.dmg are built by .github/workflows/release.yml on their own systems.
#   scripts/package.sh            build; print the bundles and their sizes
#   scripts/package.sh --check    and check the .deb: metadata, size (≤ 6 MiB), lintian errors
# The .deb is finished by scripts/finish-deb.py (see there) after Tauri's bundler wrote it.
# Incremental: the release build reuses CARGO_TARGET_DIR (or target/).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
target=${CARGO_TARGET_DIR:-$root/target}
check=0
[ "${1:-}" = "--check" ] && check=1

[ -x node_modules/.bin/tauri ] || npm ci --no-audit --no-fund --silent
[ -d ui/node_modules ] || (cd ui && npm ci --no-audit --no-fund --silent)
(cd ui && npm run --silent build)
# --ci: no prompts. No updater artifacts here (they need the release signing key: CI only).
npx --no-install tauri build --ci --bundles deb,rpm

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
deb="$target/release/bundle/deb/Postdesk_${version}_amd64.deb"
rpm=$(ls "$target"/release/bundle/rpm/Postdesk-"$version"-*.x86_64.rpm)
# What Tauri's Debian bundler leaves undone: Depends from dpkg-shlibdeps, the changelog in
# /usr/share/doc/postdesk, a manual page, the wrapped description, an xz payload.
python3 scripts/finish-deb.py "$deb" packaging/postdesk.1
for f in "$deb" "$rpm"; do
  [ -f "$f" ] || { echo "package: $f was not built" >&2; exit 1; }
  printf 'package: %s  %s bytes (%.2f MiB)\n' "$f" "$(stat -c %s "$f")" "$(echo "$(stat -c %s "$f") / 1048576" | bc -l)"
done
[ "$check" = 1 ] || exit 0
exec scripts/check-deb.sh "$deb"
