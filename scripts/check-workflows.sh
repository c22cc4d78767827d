#!/usr/bin/env bash
# Checks the CI and release configuration without running it, one line per check:
#   - every .github/workflows/*.yml against the GitHub workflow schema (action-validator 0.6.0,
#     pinned in tests/workflows, a wasm build: offline; installed here when missing);
# and what a schema cannot see:
#   - tauri.windows.conf.json / tauri.macos.conf.json are JSON and, merged over tauri.conf.json
#     the way Tauri merges them (RFC 7396), valid against the config schema of the pinned CLI;
#     the files they name exist (the sign script, the entitlements plist);
#   - no private key or certificate is in the repository (tracked or about to be added);
#   - every `secrets.` name the workflows use is documented at the top of release.yml;
#   - release.yml builds with the pinned CLI (`npx --no-install tauri`), turns the updater
#     artifacts on only there, and publishes a draft;
#   - every `with:` key is an input of the action it configures (the validator does not check
#     that), every job is time-bounded, and the steps ci.yml and release.yml share (same name)
#     run the same commands.
# Usage: scripts/check-workflows.sh   Exit status 1 when any check fails. Idempotent, bounded.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
failed=0

# --- The schema validator -------------------------------------------------------------------
tools=tests/workflows
validator=$tools/node_modules/.bin/action-validator
stamp=$tools/node_modules/.postdesk-lock
lock=$(sha256sum "$tools/package-lock.json" | cut -d' ' -f1)
if [ ! -x "$validator" ] || [ "$(cat "$stamp" 2>/dev/null || true)" != "$lock" ]; then
  echo "check-workflows: installing $tools (npm ci)" >&2
  (cd "$tools" && timeout 300 npm ci --no-audit --no-fund --loglevel=error) >&2
  echo "$lock" >"$stamp"
fi
shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
if ((${#workflows[@]} == 0)); then
  echo "FAIL  no workflow under .github/workflows"
  failed=1
fi
for wf in "${workflows[@]}"; do
  if out=$(timeout 60 "$validator" "$wf" 2>&1); then
    echo "ok    $wf: valid against the GitHub workflow schema (action-validator)"
  else
    # The distinct "detail" lines of its JSON report, else its first 300 characters.
    why=$(printf '%s' "$out" | grep -o '"detail": *"[^"]*"' | sed 's/"detail": *//' | sort -u | head -n 4 | paste -sd ';' - || true)
    echo "FAIL  $wf: action-validator: ${why:-$(printf '%s' "$out" | tr -s ' \n' ' ' | cut -c1-300)}"
    failed=1
  fi
done

# --- Python with PyYAML and jsonschema (a venv under target/ when the system has none) ------
py=python3
if [ -n "${CHECK_WORKFLOWS_VENV:-}" ] || ! python3 -c 'import yaml, jsonschema' 2>/dev/null; then
  venv=$root/target/check-workflows-venv
  if ! "$venv/bin/python" -c 'import yaml, jsonschema' 2>/dev/null; then
    echo "check-workflows: installing PyYAML and jsonschema into ${venv#"$root"/}" >&2
    timeout 120 python3 -m venv "$venv" >&2
    timeout 300 "$venv/bin/pip" install --quiet --disable-pip-version-check 'PyYAML==6.0.2' 'jsonschema==4.23.0' >&2
  fi
  py=$venv/bin/python
fi

timeout 120 "$py" - "${workflows[@]}" <<'PY' || failed=1
import base64, json, pathlib, plistlib, re, subprocess, sys

import jsonschema
import yaml

workflows = [pathlib.Path(p) for p in sys.argv[1:]]
failed = False


def ok(msg):
    print(f"ok    {msg}")


def fail(msg):
    global failed
    failed = True
    print(f"FAIL  {msg}")


def skip(msg):
    print(f"skip  {msg}")


def load_yaml(path):
    data = yaml.safe_load(path.read_text())
    if isinstance(data, dict) and True in data:  # YAML 1.1 reads the key `on` as true
        data["on"] = data.pop(True)
    return data


def steps(wf):
    for job_id, job in (wf.get("jobs") or {}).items():
        for step in job.get("steps") or []:
            yield job_id, step


docs = {}
for p in workflows:
    try:
        docs[p.name] = load_yaml(p)
    except yaml.YAMLError as e:
        fail(f"{p}: not YAML: {str(e).splitlines()[0]}")
release = pathlib.Path(".github/workflows/release.yml")
ci = pathlib.Path(".github/workflows/ci.yml")

# --- Tauri platform configs -------------------------------------------------------------------
def merge_patch(target, patch):  # RFC 7396, as Tauri merges tauri.<platform>.conf.json
    if not isinstance(patch, dict):
        return patch
    target = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            target.pop(key, None)
        else:
            target[key] = merge_patch(target.get(key), value)
    return target


cli = pathlib.Path("node_modules/@tauri-apps/cli")
schema_path = cli / "config.schema.json"
base = json.loads(pathlib.Path("tauri.conf.json").read_text())
validator = None
if schema_path.is_file():
    cli_version = json.loads((cli / "package.json").read_text())["version"]
    pinned = json.loads(pathlib.Path("package-lock.json").read_text())["packages"]["node_modules/@tauri-apps/cli"]["version"]
    if cli_version != pinned:
        fail(f"node_modules has @tauri-apps/cli {cli_version}, package-lock.json pins {pinned}: run npm ci")
    schema = json.loads(schema_path.read_text())
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
else:
    skip("Tauri config schema: node_modules/@tauri-apps/cli is not installed (npm ci at the root)")

def reason(e):  # the error inside an anyOf/oneOf that says what is wrong (not "is not of type 'null'")
    while e.context:
        deeper = [c for c in e.context if len(c.absolute_path) > len(e.absolute_path)]
        not_type = [c for c in e.context if c.validator != "type"]
        if deeper:
            e = max(deeper, key=lambda c: len(c.absolute_path))
        elif len(not_type) == 1:
            e = not_type[0]
        else:
            break
    return e


platform_confs = {}
for name in ("tauri.windows.conf.json", "tauri.macos.conf.json"):
    try:
        platform_confs[name] = patch = json.loads(pathlib.Path(name).read_text())
    except (OSError, ValueError) as e:
        fail(f"{name}: not readable JSON: {e}")
        continue
    if validator is None:
        ok(f"{name}: JSON (schema check skipped)")
        continue
    errors = sorted(validator.iter_errors(merge_patch(base, patch)), key=lambda e: list(e.absolute_path))
    if errors:
        shown = []
        for e in errors[:3]:
            e = reason(e)
            shown.append(f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message[:200]}")
        fail(f"{name}: merged over tauri.conf.json, {len(errors)} schema error(s): {'; '.join(shown)}")
    else:
        ok(f"{name}: JSON, valid against the config schema of @tauri-apps/cli {cli_version} once merged over tauri.conf.json")

# The files the platform configs name.
named = []
sign = platform_confs.get("tauri.windows.conf.json", {}).get("bundle", {}).get("windows", {}).get("signCommand")
if isinstance(sign, dict):
    named += [a for a in sign.get("args", []) if a.endswith(".ps1")]
entitlements = platform_confs.get("tauri.macos.conf.json", {}).get("bundle", {}).get("macOS", {}).get("entitlements")
problems = [p for p in named if not pathlib.Path(p).is_file()]
detail = ""
if entitlements:
    try:
        plist = plistlib.loads(pathlib.Path(entitlements).read_bytes())
        if not isinstance(plist, dict):
            problems.append(f"{entitlements} is not a dictionary")
        else:
            detail = f" ({len(plist)} entitlement(s): {', '.join(plist) or 'none'})"
    except Exception as e:  # missing or not a plist
        problems.append(f"{entitlements}: {e}")
if problems:
    fail(f"files named by the platform configs: {'; '.join(problems)}")
else:
    ok(f"files named by the platform configs exist: {', '.join(named + [entitlements or ''])}{detail}")

# --- No private key or certificate in the repository -------------------------------------------
files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                       check=True, capture_output=True, timeout=60).stdout.decode().split("\0")
files = [f for f in files if f and pathlib.Path(f).is_file()]
bad_suffixes = (".pfx", ".p12", ".p8", ".key", ".keystore", ".jks")


def b64_prefix(text):  # the base64 form as written by `tauri signer generate` (whole 3-byte groups)
    raw = text.encode()
    return base64.b64encode(raw[: len(raw) // 3 * 3]).decode()


# Assembled here so that this file does not match itself.
markers = ["PRIVATE" + " KEY", "rsign encrypted" + " secret key", "minisign encrypted" + " secret key"]
markers += [b64_prefix("untrusted comment: " + m) for m in markers[1:]]
found = [f"{f} (file type)" for f in files if f.lower().endswith(bad_suffixes)]
for f in files:
    data = pathlib.Path(f).read_bytes()[:2_000_000]
    if b"\0" in data[:8192]:
        continue
    text = data.decode("utf-8", "replace")
    found += [f"{f} ({m[:24]}...)" for m in markers if m in text]
if found:
    fail(f"private key or certificate material in the repository: {', '.join(found)}")
else:
    ok(f"no private key or certificate among {len(files)} tracked and untracked files")

# --- Secrets: used = documented ------------------------------------------------------------------
documented = set()
for line in release.read_text().splitlines():
    if not line.startswith("#"):
        break
    m = re.match(r"#\s{2,}([A-Z][A-Z0-9_]+)\s", line)
    if m:
        documented.add(m.group(1))
used, problems = set(), []
for path in workflows:
    text = path.read_text()
    used |= set(re.findall(r"secrets\.([A-Za-z_][A-Za-z0-9_]*)", text))
    if re.search(r"secrets\s*\[|toJSON\(\s*secrets\s*\)", text):
        problems.append(f"{path.name} reads secrets dynamically")
undocumented = sorted(used - documented)
if undocumented:
    problems.append(f"not documented at the top of release.yml: {', '.join(undocumented)}")
if problems:
    fail(f"secrets: {'; '.join(problems)}")
else:
    unused = sorted(documented - used)
    note = f" (documented, unused: {', '.join(unused)})" if unused else ""
    ok(f"secrets: {len(used)} names used, each documented at the top of release.yml{note}")

# --- release.yml: the pinned CLI, updater artifacts there only, a draft --------------------------
problems = []
runs = [s.get("run", "") for _, s in steps(docs.get("release.yml", {}))]
calls = [m for r in runs for m in re.finditer(r"(\S+\s+)?(\S+\s+)?\btauri\s+(build|bundle)\b", r)]
kinds = {m.group(3) for m in calls}
for m in calls:
    if not m.group(0).startswith("npx --no-install tauri"):
        problems.append(f"`{m.group(0).strip()}` does not use `npx --no-install tauri`")
if kinds != {"build", "bundle"}:
    problems.append(f"expected a `tauri build` and a `tauri bundle`, found {sorted(kinds) or 'none'}")
text = release.read_text()
for banned in ("tauri-apps/tauri-action", "cargo install tauri-cli", "cargo tauri", "@tauri-apps/cli@"):
    if banned in text:
        problems.append(f"uses {banned} instead of the pinned CLI")
if "createUpdaterArtifacts" not in text:
    problems.append("does not turn on createUpdaterArtifacts")
for name, conf in [("tauri.conf.json", base)] + list(platform_confs.items()):
    if conf.get("bundle", {}).get("createUpdaterArtifacts"):
        problems.append(f"{name} turns on createUpdaterArtifacts (local builds have no signing key)")
if not any("gh release create" in r and "--draft" in r for r in runs):
    problems.append("does not create the release as a draft")
if problems:
    fail(f"release.yml: {'; '.join(problems)}")
else:
    ok(f"release.yml builds with the pinned CLI ({len(calls)} `npx --no-install tauri` build/bundle calls), "
       "updater artifacts only there, draft release")

# --- Action inputs (checked against each action's action.yml for the major version used) ----------
KNOWN_INPUTS = {
    "actions/checkout@v4": {"repository", "ref", "token", "ssh-key", "ssh-known-hosts", "ssh-strict", "ssh-user",
                            "persist-credentials", "path", "clean", "filter", "sparse-checkout",
                            "sparse-checkout-cone-mode", "fetch-depth", "fetch-tags", "show-progress", "lfs",
                            "submodules", "set-safe-directory", "github-server-url"},
    "actions/setup-node@v4": {"always-auth", "node-version", "node-version-file", "architecture", "check-latest",
                              "registry-url", "scope", "token", "cache", "cache-dependency-path", "mirror",
                              "mirror-token"},
    "actions/cache@v4": {"path", "key", "restore-keys", "upload-chunk-size", "enableCrossOsArchive",
                         "fail-on-cache-miss", "lookup-only", "save-always"},
    "actions/upload-artifact@v4": {"name", "path", "if-no-files-found", "retention-days", "compression-level",
                                   "overwrite", "include-hidden-files"},
    "actions/download-artifact@v4": {"name", "artifact-ids", "path", "pattern", "merge-multiple", "github-token",
                                     "repository", "run-id"},
    "dtolnay/rust-toolchain": {"toolchain", "targets", "target", "components"},  # ref = the toolchain
}
REQUIRED = {"actions/cache@v4": {"path", "key"}, "actions/upload-artifact@v4": {"path"}}
problems, count = [], 0
for path in workflows:
    for job_id, step in steps(docs.get(path.name) or {}):
        uses = step.get("uses")
        if not uses:
            continue
        count += 1
        action, _, ref = uses.partition("@")
        key = action if action == "dtolnay/rust-toolchain" else f"{action}@{ref.split('.')[0]}"
        where = f"{path.name} {job_id} '{step.get('name', uses)}'"
        if not ref:
            problems.append(f"{where}: {uses} is not pinned to a version")
            continue
        if key not in KNOWN_INPUTS:
            problems.append(f"{where}: {uses} unknown here: add its inputs (from its action.yml) to KNOWN_INPUTS")
            continue
        given = set((step.get("with") or {}).keys())
        if given - KNOWN_INPUTS[key]:
            problems.append(f"{where}: {uses} has no input {', '.join(sorted(given - KNOWN_INPUTS[key]))}")
        if REQUIRED.get(key, set()) - given:
            problems.append(f"{where}: {uses} needs {', '.join(sorted(REQUIRED[key] - given))}")
if problems:
    fail(f"action inputs: {'; '.join(problems)}")
else:
    ok(f"action inputs: {count} `uses:` steps, every `with:` key is an input of its action")

# --- Bounded jobs, shared steps, triggers ---------------------------------------------------------
unbounded = [f"{n}:{j}" for n, wf in docs.items() for j, job in (wf.get("jobs") or {}).items()
             if "timeout-minutes" not in job]
if unbounded:
    fail(f"jobs without timeout-minutes: {', '.join(unbounded)}")
else:
    ok(f"every job has timeout-minutes ({sum(len(wf.get('jobs') or {}) for wf in docs.values())} jobs)")

if "ci.yml" in docs and "release.yml" in docs:
    def by_name(wf):
        return {s["name"]: (s.get("run"), s.get("shell"), s.get("working-directory"))
                for _, s in steps(wf) if s.get("name") and s.get("run")}
    a, b = by_name(docs["ci.yml"]), by_name(docs["release.yml"])
    shared = sorted(set(a) & set(b))
    drift = [n for n in shared if a[n] != b[n]]
    if drift:
        fail(f"steps with the same name differ between ci.yml and release.yml: {', '.join(drift)}")
    elif not {"Full suite (scripts/test.sh)", "Rust domain crates (no desktop session needed)",
              "UI: svelte-check and Vitest"} <= set(shared):
        fail("ci.yml and release.yml no longer share the test steps (full suite, domain crates, UI)")
    else:
        ok(f"ci.yml and release.yml run the same commands in their {len(shared)} shared steps")

    on_ci, on_release = docs["ci.yml"].get("on") or {}, docs["release.yml"].get("on") or {}
    tags = ((on_release.get("push") or {}).get("tags") or []) if isinstance(on_release, dict) else []
    if not (isinstance(on_ci, dict) and {"push", "pull_request"} <= set(on_ci)):
        fail("ci.yml does not run on push and pull_request")
    elif not (isinstance(on_release, dict) and "v*" in tags and "workflow_dispatch" in on_release):
        fail("release.yml does not run on tags v* and workflow_dispatch")
    else:
        ok("triggers: ci.yml on push and pull_request, release.yml on tags v* and workflow_dispatch")

sys.exit(1 if failed else 0)
PY

if [ "$failed" -ne 0 ]; then
  echo "check-workflows: FAILED" >&2
  exit 1
fi
echo "check-workflows: all checks passed"
