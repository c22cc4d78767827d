#!/usr/bin/env bash
# Checks a built .deb as a distribution would: its control fields, its size (≤ 6 MiB), its
# files (binary, desktop entry, icons, copyright, changelog), lintian (no error), then unpacks it
# into a scratch root (dpkg-deb -x) and prints the packaged binary's path on the last line.
#   scripts/check-deb.sh FILE.deb
#   scripts/check-deb.sh FILE.deb --install    (root only) instead: dpkg -i, start the installed
#     app under Xvfb until its core is up, dpkg -P (purge), and check that no file is left.
set -euo pipefail
deb=$1
install=${2:-}
max=$((6 * 1024 * 1024))
fail() { echo "check-deb: $*" >&2; exit 1; }

# Starts the installed app as a user would (a display, a D-Bus session with a Secret Service, a
# HOME of its own) and waits until its core is up: it writes sandbox.json into its data folder.
launches() {
  local home
  home=$(mktemp -d "${TMPDIR:-/tmp}/postdesk-installed.XXXXXX")
  HOME="$home" XDG_DATA_HOME="$home/.local/share" XDG_CONFIG_HOME="$home/.config" XDG_CACHE_HOME="$home/.cache" \
    timeout 60 xvfb-run -a "$(dirname "${BASH_SOURCE[0]}")/with-keyring.sh" bash -c '
      /usr/bin/postdesk >"$HOME/app.log" 2>&1 & app=$!
      for _ in $(seq 300); do
        [ -s "$XDG_DATA_HOME/dev.postdesk.desktop/sandbox.json" ] && { kill $app; wait $app 2>/dev/null; exit 0; }
        kill -0 $app 2>/dev/null || { cat "$HOME/app.log" >&2; exit 1; }
        sleep 0.1
      done
      kill $app; cat "$HOME/app.log" >&2; exit 1' || { rm -rf "$home"; return 1; }
  rm -rf "$home"
}

if [ "$install" = --install ]; then
  [ "$(id -u)" = 0 ] || fail "--install needs root"
  DEBIAN_FRONTEND=noninteractive dpkg -i "$deb" >/dev/null
  [ -x /usr/bin/postdesk ] || fail "dpkg -i left no /usr/bin/postdesk"
  dpkg -s postdesk | grep -q '^Status: install ok installed' || fail "dpkg does not list postdesk as installed"
  launches || { dpkg -P postdesk >/dev/null; fail "the installed /usr/bin/postdesk did not start (no sandbox.json within 30 s)"; }
  echo "check-deb: the installed /usr/bin/postdesk started (its core wrote sandbox.json)"
  installed=$(dpkg -L postdesk | while read -r f; do [ -d "$f" ] || echo "$f"; done)
  dpkg -P postdesk >/dev/null
  left=$(while read -r f; do [ -e "$f" ] && echo "$f"; done <<<"$installed" || true)
  [ -z "$left" ] || fail "dpkg -P left files behind: $left"
  [ ! -e /usr/share/doc/postdesk ] || fail "dpkg -P left /usr/share/doc/postdesk"
  echo "check-deb: $(wc -l <<<"$installed") installed files, all gone after dpkg -P"
  echo "check-deb: dpkg -i, launch and dpkg -P: installed, started and removed cleanly"
  exit 0
fi

size=$(stat -c %s "$deb")
[ "$size" -le "$max" ] || fail "$deb is $size bytes, more than 6 MiB"
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = postdesk ] || fail "Package is $(field Package)"
[[ "$(field Maintainer)" =~ ^[^\<]+\ \<[^@\>]+@[^\>]+\>$ ]] || fail "Maintainer is '$(field Maintainer)' (want 'Name <email>')"
[ -n "$(field Homepage)" ] || fail "no Homepage"
[ "$(field Section)" = devel ] || fail "Section is '$(field Section)'"
depends=$(field Depends)
for lib in libc6 libwebkit2gtk-4.1-0 libgtk-3-0 libdbus-1-3; do
  [[ "$depends" == *"$lib"* ]] || fail "Depends ($depends) lacks $lib"
done
recommends=$(field Recommends)
[[ "$recommends" == *gnome-keyring* ]] || fail "Recommends ($recommends) names no Secret Service provider"
[[ "$recommends" == *notification-daemon* ]] || fail "Recommends ($recommends) names no notification daemon"
# The long description: the lines after the synopsis.
[ "$(field Description | tail -n +2 | wc -w)" -ge 30 ] || fail "the long description is missing"

files=$(dpkg-deb -c "$deb" | awk '{print $6}')
for f in ./usr/bin/postdesk ./usr/share/applications/Postdesk.desktop ./usr/share/doc/postdesk/copyright ./usr/share/doc/postdesk/changelog.gz ./usr/share/man/man1/postdesk.1.gz; do
  grep -qxF "$f" <<<"$files" || fail "$f is not in the package"
done
for s in 16x16 32x32 48x48 64x64 128x128 256x256@2 512x512; do
  grep -q "^./usr/share/icons/hicolor/$s/apps/postdesk.png$" <<<"$files" || fail "no $s icon"
done

lintian_log=$(mktemp)
# Errors fail; warnings and notes are printed (the closing note of the installers issue lists them).
if ! lintian --fail-on error --tag-display-limit 0 "$deb" >"$lintian_log" 2>&1; then
  cat "$lintian_log" >&2
  fail "lintian found errors"
fi
echo "check-deb: lintian: $(grep -c '^E:' "$lintian_log" || true) errors, $(grep -c '^W:' "$lintian_log" || true) warnings"
sed 's/^/  /' "$lintian_log"
rm -f "$lintian_log"

root=${POSTDESK_DEB_ROOT:-$(mktemp -d "${TMPDIR:-/tmp}/postdesk-deb.XXXXXX")}
dpkg-deb -x "$deb" "$root"
echo "check-deb: $deb ($size bytes) unpacked into $root"
echo "$root/usr/bin/postdesk"
