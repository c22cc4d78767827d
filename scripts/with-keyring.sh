#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with its own unlocked gnome-keyring (a real
# Secret Service), whose files live in a throwaway folder: tests never touch a user's keychain.
set -euo pipefail
if [ -z "${POSTDESK_KEYRING_INNER:-}" ]; then
  export POSTDESK_KEYRING_INNER=1
  exec dbus-run-session -- "${BASH_SOURCE[0]}" "$@"
fi
unset POSTDESK_KEYRING_INNER
keyrings=$(mktemp -d "${TMPDIR:-/tmp}/postdesk-keyring.XXXXXX")
trap 'rm -rf "$keyrings"' EXIT
# The daemon keeps its keyring files under XDG_DATA_HOME/keyrings; feed it a throwaway password.
eval "$(printf 'postdesk-tests' | XDG_DATA_HOME="$keyrings" timeout 10 gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
"$@"
