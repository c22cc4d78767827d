#!/usr/bin/env bash
# The README's run command: installs what is missing, builds the UI and the app, opens Postdesk.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/setup.sh" run
(cd "$root/ui" && npm run --silent build)
cd "$root"
exec cargo run --quiet -p postdesk --bin postdesk
