#!/usr/bin/env python3
"""Differential check of two postman-sandbox builds, byte for byte (not a test; never part of
`cargo test`). Usage: scripts/sandbox-diff.py OLD_BIN NEW_BIN

Runs the same corpus of raw HTTP/1.1 requests (every method on every route shape, odd paths,
no/bad/other keys, bodies, access keys, admin endpoints, body caps, rate limits and every kind
of fault, RST and truncation included) against each binary on 127.0.0.1 and compares the
transcripts: status lines, headers in order and bodies, except `date` and values that follow
the wall clock (ISO times, epoch ms, reset/retry seconds) and minted secrets (from the OS
random source). Exit status 1 and a diff when they
differ. One binary alone (`sandbox-diff.py BIN`) prints its transcript."""
import difflib, json, re, socket, subprocess, sys

if len(sys.argv) == 3:
    runs = [subprocess.run([sys.executable, __file__, b], capture_output=True, text=True, timeout=600)
            for b in sys.argv[1:]]
    for b, r in zip(sys.argv[1:], runs):
        if r.returncode != 0:
            sys.exit(f"sandbox-diff: run against {b} failed: {r.stderr[-2000:]}")
    diff = list(difflib.unified_diff(runs[0].stdout.splitlines(), runs[1].stdout.splitlines(),
                                     sys.argv[1], sys.argv[2], lineterm=""))
    print("\n".join(diff[:400]))
    n = runs[0].stdout.count("\n### ") + 1
    print(f"sandbox-diff: {n} exchanges, " + ("identical" if not diff else "DIFFERENT"))
    sys.exit(1 if diff else 0)

BIN = sys.argv[1]
proc = subprocess.Popen([BIN, "--port", "0", "--seed", "7"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
line = proc.stdout.readline().decode()
info = json.loads(line)
host, port = "127.0.0.1", int(info["url"].rsplit(":", 1)[1])
keys = info["keys"]
# Builds with the admin guard print their token; requests go to their own Host with it.
TOKEN = info.get("adminToken", "")
K = keys["taylor-lee"]
K2 = keys["jordan-solo"]

ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def raw(method, path, headers=(), body=b"", chunked=False, read_timeout=5):
    s = socket.create_connection((host, port))
    s.settimeout(read_timeout)
    req = f"{method} {path} HTTP/1.1\r\nhost: {host}:{port}\r\nconnection: close\r\n"
    for k, v in headers:
        req += f"{k}: {v}\r\n"
    if isinstance(body, str):
        body = body.encode()
    if chunked:
        req += "transfer-encoding: chunked\r\n\r\n"
        data = req.encode() + (b"%x\r\n" % len(body) + body + b"\r\n" if body else b"") + b"0\r\n\r\n"
    else:
        if body or method in ("POST", "PUT", "PATCH"):
            req += f"content-length: {len(body)}\r\n"
        data = req.encode() + b"\r\n" + body
    try:
        s.sendall(data)
    except OSError as e:
        return f"SEND-ERROR {type(e).__name__}".encode()
    out = b""
    err = ""
    while True:
        try:
            chunk = s.recv(65536)
        except ConnectionResetError:
            err = "[RST]"
            break
        except socket.timeout:
            err = "[TIMEOUT]"
            break
        if not chunk:
            break
        out += chunk
    s.close()
    return out + err.encode()


def norm(b):
    t = b.decode("utf-8", "replace")
    head, sep, body = t.partition("\r\n\r\n")
    lines = [l for l in head.split("\r\n") if not l.lower().startswith("date:")]
    fixed = []
    for l in lines:
        name = l.split(":", 1)[0].lower()
        if name in ("x-ratelimit-reset", "ratelimit-reset", "retry-after", "x-ratelimit-retryafter"):
            l = name + ": N"
        if name == "ratelimit":
            l = re.sub(r"reset=\d+", "reset=N", l)
        fixed.append(l)
    body = ISO.sub("<ISO>", body)
    # Minted secrets come from the OS random source: only their form is compared.
    body = re.sub(r'"key":"PMAK-[0-9a-f]{24}-[0-9a-f]{34}"', '"key":"<minted PMAK>"', body)
    body = re.sub(r'"token":"PMAT-[0-9A-Z]{26}"', '"token":"<PMAT>"', body)
    body = re.sub(r'"epochMs":\d+', '"epochMs":N', body)
    body = re.sub(r"retry at \d+", "retry at N", body)
    return "\n".join(fixed) + ("\n\n" + body if sep else "")


def call(method, path, key=K, body=b"", headers=(), **kw):
    h = list(headers)
    if key:
        h.append(("x-api-key", key))
    if TOKEN and path.startswith("/_sandbox"):
        h.append(("x-sandbox-token", TOKEN))
    if body and not any(k.lower() == "content-type" for k, _ in h):
        h.append(("content-type", "application/json"))
    r = raw(method, path, h, body, **kw)
    shown = re.sub(r"PMA[KT]-[0-9A-Za-z-]{26,59}", "<secret>", path)
    print(f"### {method} {shown} key={'yes' if key == K else ('other' if key else 'no')} body={len(body) if isinstance(body, (bytes, str)) else 0}")
    print(norm(r))
    print()
    t = r.decode("utf-8", "replace").partition("\r\n\r\n")[2]
    try:
        return json.loads(t)
    except Exception:
        return None


def admin(method, path, body=None):
    return call(method, path, key=None, body=json.dumps(body) if body is not None else b"")


admin("POST", "/_sandbox/clock", {"now": "2026-11-23T10:00:00Z"})
cols = call("GET", "/collections")
uid = cols["collections"][0]["uid"]
cid = cols["collections"][0]["id"]
wss = call("GET", "/workspaces")
ws = wss["workspaces"][0]["id"]
envs = call("GET", "/environments")
eid = envs["environments"][0]["id"] if envs["environments"] else "x"

methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "FOO"]
paths = ["/me", "/me/", "//me", "/me//", "/workspaces", "/workspaces/", f"/workspaces/nope",
         "/collections", f"/collections/nope-nope", "/collections//x", "/collections/x/y",
         "/collection-updates-tasks/nope", "/collection-updates-tasks", "/environments",
         "/environments/nope", "/collection-access-keys", "/collection-access-keys/nope",
         "/", "", "/nope", "/nope/", "/_sandbox", "/_sandbox/", "/_sandbox/nope", "/_sandbox//keys",
         "//_sandbox/keys", "/_sandboxx", "/_sandbox/keys/", "/_sandbox/limits",
         "/me?apikey=" + K, "/collections/%E2%9C%93", "/environments/%ZZ", "/collections/12-",
         "/workspaces?limit=-1", "/collection-access-keys?cursor=%FF%FE"]
for p in paths:
    for m in methods:
        if p == "" :
            continue
        call(m, p, body="{}" if m in ("POST", "PUT", "PATCH") else b"")
for p in ["/me", "/collections", "/nope", "/_sandbox/keys", f"/collections/{uid}"]:
    call("GET", p, key=None)
    call("GET", p, key="PMAK-bad")
    call("GET", p, key=K2)
    call("POST", p, key=None, body="{")
call("GET", f"/collections/{uid}")
call("GET", f"/collections/{uid}?model=minimal")
call("GET", f"/collections/{cid}")
call("GET", f"/collections/{uid}/")
call("GET", f"/workspaces/{ws}")
call("GET", f"/workspaces/{ws}/")
call("GET", f"/environments/{eid}")
call("HEAD", f"/collections/{uid}")
# bodies
coll = {"collection": {"info": {"name": "D", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
                       "item": [{"name": "r", "request": "https://example.com"}]}}
new = call("POST", "/collections", body=json.dumps(coll))
nid = new["collection"]["uid"]
call("POST", "/collections", body=json.dumps(coll), chunked=True)
call("POST", "/collections", body="{not json")
call("POST", "/collections", body=json.dumps({"collection": {"info": {}}}))
call("PUT", f"/collections/{nid}", body=json.dumps(coll))
task = call("PUT", f"/collections/{nid}", body=json.dumps(coll), headers=[("prefer", "respond-async")])
call("PUT", f"/collections/{nid}", body=json.dumps(coll), headers=[("prefer", "respond-async")])
call("GET", f"/collection-updates-tasks/{task['task']['id']}")
admin("POST", "/_sandbox/clock", {"advanceMs": 2000})
call("GET", f"/collection-updates-tasks/{task['task']['id']}")
call("PATCH", f"/collections/{nid}", body=json.dumps({"collection": {"info": {"name": "E"}}}))
call("PATCH", f"/collections/{nid}", body=json.dumps({"collection": {"bad": 1}}))
e = call("POST", "/environments", body=json.dumps({"environment": {"name": "env", "values": [{"key": "a", "value": "b"}]}}))
neid = e["environment"]["uid"]
call("PUT", f"/environments/{neid}", body=json.dumps({"environment": {"name": "env2"}}))
call("PATCH", f"/environments/{neid}", body=json.dumps([{"op": "replace", "path": "/name", "value": "n"}]))
call("PATCH", f"/environments/{neid}", body=json.dumps({"x": 1}))
call("PATCH", f"/environments/short", body=json.dumps([]))
call("DELETE", f"/environments/{neid}")
call("POST", f"/workspaces", body=json.dumps({"workspace": {"name": "w", "type": "personal"}}))
call("POST", f"/workspaces?workspace=nope", body=json.dumps({"workspace": {"name": "w", "type": "team"}}), key=K2)
# access keys
admin("GET", "/_sandbox/access-keys")
ak = admin("POST", "/_sandbox/access-keys", {"collection": nid})
tok, akid = ak["token"], ak["id"]
call("GET", f"/collections/{nid}?access_key={tok}", key=None)
call("GET", f"/collections/{nid}?access_key={tok}", key="PMAK-bad")
call("GET", f"/collections/{nid}?access_key=PMAT-bad", key=None)
call("GET", f"/collection-access-keys")
call("DELETE", f"/collection-access-keys/{akid}")
call("DELETE", f"/collection-access-keys/{akid}")
call("GET", f"/collections/{nid}?access_key={tok}", key=None)
call("DELETE", f"/collections/{nid}")
# admin
admin("GET", "/_sandbox/keys")
admin("POST", "/_sandbox/api-keys", {"user": "sam-rivera"})
admin("POST", "/_sandbox/api-keys", {"user": 5})
admin("POST", "/_sandbox/api-keys", [1])
call("POST", "/_sandbox/api-keys", key=None, body="{")
admin("POST", "/_sandbox/usage", {"user": "taylor-lee", "usage": 10})
admin("GET", "/_sandbox/limits")
admin("POST", "/_sandbox/clock", {"now": "x"})
admin("GET", "/_sandbox/clock")
# caps
admin("POST", "/_sandbox/limits", {"otherBodyMax": 10, "environmentBodyMax": 20, "collectionBodyMax": 40})
big = json.dumps({"workspace": {"name": "x" * 50}})
call("POST", "/workspaces", body=big)
call("POST", "/workspaces", body=big, chunked=True)
call("POST", "/me", body=big)
call("POST", "/nope", body=big)
call("GET", "/me", body=big)
call("POST", "/environments", body=big)
call("POST", "/collections", body=big)
call("POST", "/_sandbox/usage", key=None, body="x" * 100)
call("POST", "/_sandbox/nope", key=None, body="x" * 100)
call("GET", "/_sandbox/keys", key=None, body="x" * 100)
admin("POST", "/_sandbox/limits", {"default": True})
# rate limits
admin("POST", "/_sandbox/limits", {"perMinute": 3, "heavyLimit": 2})
for _ in range(4):
    call("GET", "/me")
for _ in range(3):
    call("GET", "/collections", key=K2)
call("GET", "/nope", key=K2)
admin("POST", "/_sandbox/limits", {"perMinute": 300, "heavyLimit": 10, "monthly": 5})
call("GET", "/me")
admin("POST", "/_sandbox/limits", {"default": True})
# faults
admin("POST", "/_sandbox/faults", {"route": "GET /me", "status": 500})
admin("POST", "/_sandbox/faults", {"route": "GET /collections/{id}", "status": 503, "times": 1})
admin("POST", "/_sandbox/faults", {"route": "GET /environments", "storm429": True})
admin("POST", "/_sandbox/faults", {"route": "POST /nope", "status": 500})
admin("POST", "/_sandbox/faults", {"route": "GET /nope/", "status": 503})
admin("GET", "/_sandbox/faults")
call("GET", "/me")
call("GET", "/me", key=None)
call("GET", f"/collections/{uid}")
call("GET", f"/collections/{uid}")
call("GET", "/environments")
call("POST", "/nope", body="{}")
call("GET", "/nope/")
call("GET", "/nope")
admin("DELETE", "/_sandbox/faults")
admin("POST", "/_sandbox/faults", {"route": "GET /workspaces", "reset": True, "times": 1})
call("GET", "/workspaces")
admin("POST", "/_sandbox/faults", {"route": "GET /collections/{id}", "truncate": True, "times": 2})
call("GET", f"/collections/{uid}")
call("HEAD", f"/collections/{uid}")
admin("POST", "/_sandbox/faults", {"route": "*", "truncate": True, "times": 1})
call("GET", "/nope", key=None)
admin("POST", "/_sandbox/faults", {"route": "*", "delayMs": 50, "times": 1})
call("GET", "/me")
admin("POST", "/_sandbox/faults", {"route": "*"})
admin("POST", "/_sandbox/faults", {"route": "*", "status": 404})
admin("POST", "/_sandbox/reset")
call("GET", "/me")
proc.terminate()
proc.wait(10)
