"""How long after an operator suspends a tenant the edge refuses its cached published view.

Against a running stack (`cargo xtask dev`): python3 tests/measure/suspend_latency.py
http://127.0.0.1:8787 .local/dev-fixture.json. A new account publishes a view (cached 600 s);
the fixture's operator suspends and resumes its tenant 20 times; each time the view is read
until it answers 403, from the moment the suspension answered."""
import json, sys, time, uuid, urllib.request, statistics
edge = sys.argv[1]; fixture = json.load(open(sys.argv[2]))
def call(method, path, token=None, body=None, headers=None):
    h = {"content-type": "application/json"} if body is not None else {}
    if token: h["authorization"] = "Bearer " + token
    h.update(headers or {})
    req = urllib.request.Request(edge + path, method=method, data=json.dumps(body).encode() if body is not None else None, headers=h)
    try:
        with urllib.request.urlopen(req) as r: return r.status, json.loads(r.read() or b"null"), r.headers
    except urllib.error.HTTPError as e: return e.code, json.loads(e.read() or b"null"), e.headers
email = f"lat-{uuid.uuid4().hex}@example.org"
s, reg, _ = call("POST", "/api/v1/auth/register", body={"email": email, "password": "pw-" + uuid.uuid4().hex, "name": "lat"})
access, ws = reg["session"]["access_token"], reg["workspace_id"]
s, base, _ = call("POST", f"/api/v1/workspaces/{ws}/bases", access, {"name": "lat"}); base = base["id"]
call("POST", f"/api/v1/bases/{base}/tables", access, {"name": "items", "fields": [{"name": "name", "type": "text"}]})
call("POST", f"/api/v1/bases/{base}/views", access, {"name": "all", "table": "items", "fields": ["name"]})
slug = "lat-" + uuid.uuid4().hex[:12]
call("PUT", f"/api/v1/bases/{base}/views/all/publish", access, {"enabled": True, "slug": slug, "cache": {"max_age": 600}})
s, login, _ = call("POST", "/api/v1/auth/login", body={"email": fixture["operator_email"], "password": fixture["operator_password"]})
op = login["access_token"]
s, tenants, _ = call("GET", f"/api/v1/operator/tenants?q={email}", op); tenant = tenants["data"][0]["id"]
def until(status):
    start = time.perf_counter()
    while call("GET", f"/public/views/{slug}/data")[0] != status: pass
    return (time.perf_counter() - start) * 1000
gaps = []
for _ in range(20):
    time.sleep(0.3)
    call("GET", f"/public/views/{slug}/data"); assert call("GET", f"/public/views/{slug}/data")[2].get("x-cache") == "HIT"
    call("POST", f"/api/v1/operator/tenants/{tenant}/suspend", op, {"reason": "latency"})
    gaps.append(until(403))
    call("POST", f"/api/v1/operator/tenants/{tenant}/resume", op)
    until(200)
gaps.sort()
print(f"cached view refused after the suspend answer: median {statistics.median(gaps):.1f} ms, max {gaps[-1]:.1f} ms over {len(gaps)}")
