#!/usr/bin/env python3
"""make bench: load the release server with wrk on PostgreSQL and on SQLite, measure the floor
PostgreSQL gives for the same SQL with pgbench at the same concurrency, and write the table to
bench/RESULTS.md. Settings: BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 16)."""

import datetime
import glob
import json
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "release", "jobbtorg-api")
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
ADMIN_URL = os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PORT = 18080
# The same-work peer and its script (../shared/peers/ beside this checkout, or PEERS_DIR).
PEERS_DIR = os.environ.get("PEERS_DIR", os.path.join(os.path.dirname(ROOT), "shared", "peers"))
PEER_ROUNDS = os.environ.get("BENCH_PEER_ROUNDS", "2")
# BENCH_ONLY=POST runs only the endpoints whose name contains it (and skips the peer): a quick
# look while working; `make bench` runs them all.
ONLY = os.environ.get("BENCH_ONLY", "")
SECRET = "bench-secret-bench-secret-bench-secret"

# (name, path, token arguments, floor script or None, wrk Lua script or None). The floor is the
# SQL the endpoint runs, done by pgbench; {participant} is replaced by a seeded participant's id.
ENDPOINTS = [
    ("GET /healthz", "/healthz", ["admin"], None, None),
    ("GET /v1/districts", "/v1/districts", ["admin"], "list_districts.sql", None),
    ("GET /v1/districts/{id}", "/v1/districts/farsta", ["admin"], "district_by_id.sql", None),
    ("GET /v1/participants/{id}", "/v1/participants/{participant}", ["coach", "--jobbtorg", "jarva"], "get_participant.sql", None),
    ("GET /v1/participants?limit=50", "/v1/participants?limit=50", ["coach", "--jobbtorg", "jarva"], "list_participants.sql", None),
    ("POST /v1/participants", "/v1/participants", ["district_officer", "--district", "rinkeby-kista"], "intake.sql", "intake.lua"),
    ("GET /v1/activity-plans/{id}", "/v1/activity-plans/{plan}", ["coach", "--jobbtorg", "jarva"], "get_plan.sql", None),
    ("GET /v1/referrals/{id}", "/v1/referrals/{referral}", ["provider_staff", "--provider", "{provider}"], "get_referral.sql", None),
    ("GET /v1/referrals?limit=50", "/v1/referrals?limit=50", ["provider_staff", "--provider", "{provider}"], "list_referrals.sql", None),
    ("POST /v1/referrals", "/v1/referrals", ["coach", "--jobbtorg", "jarva"], "create_referral.sql", "referral.lua"),
    # Sixteen grouped aggregate queries per request; no pgbench floor is kept for them.
    ("GET /v1/reports/key-figures?group_by=jobbtorg", "/v1/reports/key-figures?from=2026-01-01&to=2026-12-31&group_by=jobbtorg", ["analyst"], None, None),
    ("GET /v1/reports/key-figures?group_by=provider", "/v1/reports/key-figures?from=2026-01-01&to=2026-12-31&group_by=provider", ["analyst"], None, None),
]
SEEDED_PARTICIPANTS = 60


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def server_env(database_url, port=PORT):
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": database_url,
        "BIND_ADDR": f"127.0.0.1:{port}",
        "JWT_HS256_SECRET": SECRET,
        "DB_POOL_SIZE": str(CONNECTIONS),
        "HTTP_WORKERS": "2",
        "RUST_LOG": "warn",
        # The load generator is one subject sending thousands of writes; measure without the limit.
        "RATE_LIMIT_WRITES_PER_MINUTE": "0",
    })
    return env


def wait_ready(process, port=PORT):
    deadline = time.time() + 30
    while time.time() < deadline:
        if process.poll() is not None:
            sys.exit("the server exited during start-up")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    sys.exit("the server did not become ready")


def to_ms(value):
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk_command(path, token, lua, port=PORT, connections=CONNECTIONS):
    script = ["-s", os.path.join(ROOT, "bench", lua)] if lua else []
    return ["wrk", "-t2", f"-c{connections}", f"-d{SECONDS}s", "--latency", *script,
            "-H", f"Authorization: Bearer {token}", f"http://127.0.0.1:{port}{path}"]


def wrk(path, token, lua):
    return wrk_figures(path, run(wrk_command(path, token, lua), cwd=ROOT).stdout)


def wrk_figures(path, out):
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = to_ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = to_ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        sys.exit(f"{path}: {errors.group(1)} non-2xx responses under load")
    return rps, p50, p99


def settle(database_url):
    """Lets the database settle before a run: the write runs before it leave dirty pages to write
    back and tables for autovacuum, which would otherwise be measured in the next row (an
    audited read ran at 741/s right after the intake run, 3 182/s once settled)."""
    if database_url.startswith("postgres"):
        run(["psql", database_url, "-qc", "CHECKPOINT", "-c", "VACUUM ANALYZE"])
    else:
        with sqlite3.connect(database_url.removeprefix("sqlite://"), timeout=30) as lite:
            lite.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            lite.execute("ANALYZE")


def fill(text, ids):
    for name, value in ids.items():
        text = text.replace("{" + name + "}", value)
    return text


def pgbench(database_url, script, ids):
    logdir = tempfile.mkdtemp(prefix="jobbtorg-pgbench-")
    with open(os.path.join(ROOT, "bench", "sql", script)) as f:
        sql = fill(f.read(), ids)
    script_file = os.path.join(logdir, "script.sql")
    with open(script_file, "w") as f:
        f.write(sql)
    # Prepared statements, as diesel's statement cache gives the API.
    out = run(["pgbench", "-n", "-M", "prepared", f"-c{CONNECTIONS}", "-j2", f"-T{SECONDS}", "-l",
               f"--log-prefix={logdir}/tx", "-f", script_file, database_url]).stdout
    tps = float(re.search(r"tps = ([\d.]+)", out).group(1))
    latencies = []
    for log in glob.glob(f"{logdir}/tx.*"):
        with open(log) as f:
            latencies += [int(line.split()[2]) / 1000.0 for line in f if line.strip()]
    shutil.rmtree(logdir)
    qs = statistics.quantiles(latencies, n=100)
    return tps, qs[49], qs[98]


def call(method, path, token, body=None, if_match=None):
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    if if_match:
        headers["If-Match"] = if_match
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", data=data, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as r:
        return r.headers.get("ETag"), json.load(r)


def seed_plan(participant, coach_token):
    """Enrols the participant and drafts a plan with two activities; returns the plan id."""
    today = datetime.date.today()
    _, enrolled = call("POST", f"/v1/participants/{participant}/enrol", coach_token,
                       {"arrived_on": today.isoformat(), "coach_id": "bench-coach"}, '"1"')
    etag, plan = call("POST", f"/v1/participants/{participant}/activity-plans", coach_token,
                      {"valid_from": today.isoformat(), "valid_to": (today + datetime.timedelta(days=90)).isoformat(),
                       "goal": "Warehouse work"})
    for kind, hours in (("work_training", 30), ("sfi_test", 10)):
        etag, plan = call("POST", f"/v1/activity-plans/{plan['id']}/activities", coach_token,
                          {"activity_type": kind, "description": "Bench activity", "provider_kind": "own_regime",
                           "starts_on": today.isoformat(), "ends_on": (today + datetime.timedelta(days=30)).isoformat(),
                           "hours_per_week": hours}, etag)
    return plan["id"]


def seed_referrals(participant, coach_token, purchaser_token):
    """A provider with a large mapping contract at Järva and 50 referrals of the participant to
    it; returns (provider id, first referral id)."""
    today = datetime.date.today()
    _, provider = call("POST", "/v1/providers", purchaser_token,
                       {"org_number": "556677-8899", "name": "Bench Provider AB", "kind": "lou"})
    call("POST", f"/v1/providers/{provider['id']}/contracts", purchaser_token,
         {"reference": "BENCH-1", "procurement_form": "lou_framework", "valid_from": today.isoformat(),
          "valid_to": (today + datetime.timedelta(days=365)).isoformat(), "activity_types": ["mapping"],
          "target_groups": ["sfi_student"], "job_centres": ["jarva"], "capacity": 100000, "start_fee_ore": 0})
    first = None
    for _ in range(50):
        _, referral = call("POST", "/v1/referrals", coach_token, referral_body(participant))
        first = first or referral["id"]
    return provider["id"], first


def referral_body(participant):
    today = datetime.date.today()
    return {"participant_id": participant, "activity_type": "mapping", "starts_on": today.isoformat(),
            "ends_on": (today + datetime.timedelta(days=20)).isoformat(), "statutory_basis": "SoL 4 kap. 4 §"}


def seed_participants(token):
    """Refers SEEDED_PARTICIPANTS people through the API and returns the first one's id."""
    first = None
    for i in range(SEEDED_PARTICIPANTS):
        serial = 100 + i
        nine = f"800101{serial:03d}"
        digits = [int(c) * (2 if k % 2 == 0 else 1) for k, c in enumerate(nine)]
        check = (10 - sum(d // 10 + d % 10 for d in digits) % 10) % 10
        body = ('{"personal_identity_number":"19800101-%03d%d","first_name":"Seed","last_name":"Person",'
                '"home_district_id":"rinkeby-kista","target_groups":["sfi_student"],'
                '"referral_reason":"Benchmark seed.","requested_start":"2026-12-01"}') % (serial, check)
        request = urllib.request.Request(f"http://127.0.0.1:{PORT}/v1/participants", data=body.encode(), method="POST",
                                         headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as r:
            created = json.load(r)
        first = first or created["id"]
    return first


def bench_backend(backend):
    if backend == "postgres":
        database = f"bench_{uuid.uuid4().hex[:12]}"
        run(["psql", ADMIN_URL, "-qc", f"CREATE DATABASE {database}"])
        database_url = ADMIN_URL.rsplit("/", 1)[0] + "/" + database
        cleanup = lambda: run(["psql", ADMIN_URL, "-qc", f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"])
    else:
        directory = tempfile.mkdtemp(prefix="jobbtorg-bench-")
        database_url = f"sqlite://{directory}/bench.db"
        cleanup = lambda: shutil.rmtree(directory)
    server = subprocess.Popen([BINARY, "serve"], env=server_env(database_url))
    rows = []
    try:
        wait_ready(server)
        env = server_env(database_url)
        token = lambda args: run([BINARY, "token", "--role", *args, "--ttl", "1h"], env=env).stdout.strip()
        participant = seed_participants(token(["district_officer", "--district", "rinkeby-kista"]))
        coach = token(["coach", "--jobbtorg", "jarva"])
        plan = seed_plan(participant, coach)
        provider, referral = seed_referrals(participant, coach, token(["contract_manager"]))
        ids = {"participant": participant, "plan": plan, "provider": provider, "referral": referral}
        with open(os.path.join(ROOT, "bench", "referral.body.json"), "w") as f:
            json.dump(referral_body(participant), f)
        for name, path, token_args, script, lua in ENDPOINTS:
            if ONLY not in name:
                continue
            settle(database_url)
            rps, p50, p99 = wrk(fill(path, ids), token([fill(a, ids) for a in token_args]), lua)
            if script and backend == "postgres":
                settle(database_url)
                floor = pgbench(database_url, script, ids)
            else:
                floor = None
            rows.append((backend, name, rps, p50, p99, floor))
            print(f"{backend:8} {name:28} {rps:9.0f} req/s  p50 {p50:6.2f} ms  p99 {p99:6.2f} ms"
                  + (f"  floor {floor[0]:9.0f} tx/s  ratio {rps / floor[0]:.2f}" if floor else ""), flush=True)
        if backend == "postgres":
            rows += two_nodes(database_url, ids, token)
    finally:
        server.terminate()
        server.wait(timeout=40)
        cleanup()
    return rows


# The two-node rows: the same load split over two servers on one PostgreSQL, each with half the
# connections, beside the one-node rows above (same total concurrency).
TWO_NODE_ENDPOINTS = ["GET /v1/participants/{id}", "POST /v1/participants"]


def two_nodes(database_url, ids, token):
    """Starts a second server on the same database and runs wrk against both at once, half the
    connections each; the rows sum the requests and take the worse p50 and p99."""
    second = subprocess.Popen([BINARY, "serve", "--no-migrate"], env=server_env(database_url, PORT + 1))
    rows = []
    try:
        wait_ready(second, PORT + 1)
        for name, path, token_args, _, lua in ENDPOINTS:
            if name not in TWO_NODE_ENDPOINTS or ONLY not in name:
                continue
            path, bearer = fill(path, ids), token([fill(a, ids) for a in token_args])
            settle(database_url)
            loads = []
            for node, port in enumerate((PORT, PORT + 1)):
                env = dict(os.environ, INTAKE_SLOT=str(2 + 2 * node))
                command = wrk_command(path, bearer, lua, port, CONNECTIONS // 2)
                loads.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True))
            figures = [wrk_figures(path, load.communicate()[0]) for load in loads]
            rps = sum(f[0] for f in figures)
            p50, p99 = max(f[1] for f in figures), max(f[2] for f in figures)
            rows.append(("postgres, 2 nodes", name, rps, p50, p99, None))
            print(f"2 nodes  {name:28} {rps:9.0f} req/s  p50 {p50:6.2f} ms  p99 {p99:6.2f} ms", flush=True)
    finally:
        second.terminate()
        second.wait(timeout=40)
    return rows


# Key figures over a city's worth of data (bench/key_figures_data.sql), one analyst at a time:
# the p50 is what one report costs.
KEY_FIGURE_PERIODS = int(os.environ.get("BENCH_KEY_FIGURE_PERIODS", "100000"))
KEY_FIGURE_GROUPS = ["jobbtorg", "target_group", "provider"]


def key_figures_at_scale():
    if not any(ONLY in f"GET /v1/reports/key-figures?group_by={group}" for group in KEY_FIGURE_GROUPS):
        return []
    database = f"bench_kf_{uuid.uuid4().hex[:12]}"
    run(["psql", ADMIN_URL, "-qc", f"CREATE DATABASE {database}"])
    database_url = ADMIN_URL.rsplit("/", 1)[0] + "/" + database
    rows = []
    try:
        env = server_env(database_url)
        run([BINARY, "migrate"], env=env)
        run(["psql", "-q", "-v", "ON_ERROR_STOP=1", "-v", f"periods={KEY_FIGURE_PERIODS}",
             "-f", os.path.join(ROOT, "bench", "key_figures_data.sql"), database_url])
        server = subprocess.Popen([BINARY, "serve", "--no-migrate"], env=env)
        try:
            wait_ready(server)
            token = run([BINARY, "token", "--role", "analyst", "--ttl", "1h"], env=env).stdout.strip()
            settle(database_url)
            for group in KEY_FIGURE_GROUPS:
                name = f"GET /v1/reports/key-figures?group_by={group}"
                if ONLY not in name:
                    continue
                path = f"/v1/reports/key-figures?from=2026-01-01&to=2026-12-31&group_by={group}"
                out = run(["wrk", "-t1", "-c1", f"-d{SECONDS}s", "--latency", "-H", f"Authorization: Bearer {token}",
                           f"http://127.0.0.1:{PORT}{path}"], cwd=ROOT).stdout
                rps, p50, p99 = wrk_figures(path, out)
                rows.append((f"postgres, {KEY_FIGURE_PERIODS:,} periods, c1", name, rps, p50, p99, None))
                print(f"key figures at {KEY_FIGURE_PERIODS} periods  {group:13} {rps:6.1f} req/s  p50 {p50:7.2f} ms  "
                      f"p99 {p99:7.2f} ms", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=40)
    finally:
        run(["psql", ADMIN_URL, "-qc", f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"])
    return rows


def same_work():
    """The audited read beside the same-work Fastify peer and the fixed pgbench floor, in this
    run; the peer installs its npm packages itself."""
    script = os.path.join(PEERS_DIR, "same_work.py")
    heading = ["", "## Beside the same-work peer", ""]
    if not os.path.exists(script):
        return heading + [f"Not run: {script} is not here (set PEERS_DIR)."]
    env = dict(os.environ, BIN=BINARY, SECONDS=str(SECONDS), CONNS=str(CONNECTIONS), ROUNDS=PEER_ROUNDS)
    out = run([sys.executable, script], cwd=ROOT, env=env).stdout
    table = [line for line in out.splitlines() if line.startswith("|") or line.startswith("ours/")]
    return heading + [
        f"`{os.path.relpath(script, ROOT)}`: our `GET /v1/participants/{{id}}` on PostgreSQL beside a Fastify + "
        "node-postgres server doing the statements of the 2026-12-02 `get_participant.sql` on our schema and data, "
        f"and pgbench running that fixed SQL (the floor does not move with our queries); c{CONNECTIONS}, {SECONDS} s, "
        f"best of {PEER_ROUNDS} rounds; both check one access-log record per read before the runs.",
        "",
    ] + table


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown")
    mem_kib = int(next(l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal")))
    pg = run(["psql", ADMIN_URL, "-Atc", "SHOW server_version"]).stdout.strip()
    return f"{os.cpu_count()} cores ({cpu}), {mem_kib // 1024 // 1024} GiB, {platform.system()} {platform.release()}, PostgreSQL {pg}"


def main():
    for tool in ("wrk", "pgbench", "psql"):
        if not shutil.which(tool):
            sys.exit(f"make bench needs {tool} (Debian: apt-get install wrk postgresql-client)")
    rows = bench_backend("postgres") + bench_backend("sqlite") + key_figures_at_scale()
    if ONLY:
        return  # a partial run is printed, never written to RESULTS.md
    peer = same_work()
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (bench/run.py); numbers from one run, not assertions.",
        "",
        f"- When: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Machine: {machine()}",
        f"- Load: wrk, 2 threads, {CONNECTIONS} connections, {SECONDS} s per endpoint, admin bearer token "
        f"(HS256 verification included); server: release build, 2 HTTP workers, pool of {CONNECTIONS}; "
        "client, server and database share the machine.",
        f"- Floor: pgbench (prepared statements, like diesel's cache) running the endpoint's SQL (bench/sql/) at the same concurrency ({CONNECTIONS} clients) "
        "against the same database; ratio = API requests/s ÷ floor transactions/s. SQLite has no pgbench floor.",
        f"- Data: {SEEDED_PARTICIPANTS} participants at Järva seeded through the API before the runs, the first enrolled "
        "with a drafted plan of two activities; every participant "
        "read has its access-log record durable before it answers (the group-committing writer; the floors insert "
        "theirs in the read's own transaction); the intake run refers a new "
        "person per request (bench/intake.lua); a provider with a mapping contract at Järva and 50 referrals of the "
        "enrolled participant to it, read by the provider's staff; the referral run sends another referral of that "
        "participant per request (bench/referral.lua), each through the default allocation.",
        "",
        "| backend | endpoint | requests/s | p50 ms | p99 ms | floor tx/s | floor p50 ms | floor p99 ms | ratio |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for backend, name, rps, p50, p99, floor in rows:
        floor_cells = (f"{floor[0]:.0f} | {floor[1]:.2f} | {floor[2]:.2f} | {rps / floor[0]:.2f}" if floor else "— | — | — | —")
        lines.append(f"| {backend} | `{name}` | {rps:.0f} | {p50:.2f} | {p99:.2f} | {floor_cells} |")
    with open(os.path.join(ROOT, "bench", "notes.md")) as f:
        notes = f.read()
    with open(os.path.join(ROOT, "bench", "RESULTS.md"), "w") as f:
        f.write("\n".join(lines + peer) + "\n\n" + notes)
    print("wrote bench/RESULTS.md")


if __name__ == "__main__":
    main()
