#!/usr/bin/env python3
"""make bench: load the release server with wrk on PostgreSQL and on SQLite, measure the floor
PostgreSQL gives for the same SQL with pgbench at the same concurrency, and write the table to
bench/RESULTS.md. Settings: BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 16)."""

import datetime
import glob
import os
import platform
import re
import shutil
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
SECRET = "bench-secret-bench-secret-bench-secret"

# (name, path, floor script or None). The floor is the same SQL run by pgbench.
ENDPOINTS = [
    ("GET /healthz", "/healthz", None),
    ("GET /v1/districts", "/v1/districts", "list_districts.sql"),
    ("GET /v1/districts/{id}", "/v1/districts/farsta", "district_by_id.sql"),
]


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def server_env(database_url):
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": database_url,
        "BIND_ADDR": f"127.0.0.1:{PORT}",
        "JWT_HS256_SECRET": SECRET,
        "DB_POOL_SIZE": str(CONNECTIONS),
        "HTTP_WORKERS": "2",
        "RUST_LOG": "warn",
    })
    return env


def wait_ready(process):
    deadline = time.time() + 30
    while time.time() < deadline:
        if process.poll() is not None:
            sys.exit("the server exited during start-up")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/readyz", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    sys.exit("the server did not become ready")


def to_ms(value):
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(path, token):
    out = run(["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency",
               "-H", f"Authorization: Bearer {token}", f"http://127.0.0.1:{PORT}{path}"]).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = to_ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = to_ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        sys.exit(f"{path}: {errors.group(1)} non-2xx responses under load")
    return rps, p50, p99


def pgbench(database_url, script):
    logdir = tempfile.mkdtemp(prefix="jobbtorg-pgbench-")
    out = run(["pgbench", "-n", f"-c{CONNECTIONS}", "-j2", f"-T{SECONDS}", "-l",
               f"--log-prefix={logdir}/tx", "-f", os.path.join(ROOT, "bench", "sql", script), database_url]).stdout
    tps = float(re.search(r"tps = ([\d.]+)", out).group(1))
    latencies = []
    for log in glob.glob(f"{logdir}/tx*"):
        with open(log) as f:
            latencies += [int(line.split()[2]) / 1000.0 for line in f if line.strip()]
    shutil.rmtree(logdir)
    qs = statistics.quantiles(latencies, n=100)
    return tps, qs[49], qs[98]


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
        token = run([BINARY, "token", "--role", "admin", "--ttl", "1h"], env=server_env(database_url)).stdout.strip()
        for name, path, script in ENDPOINTS:
            rps, p50, p99 = wrk(path, token)
            floor = pgbench(database_url, script) if (script and backend == "postgres") else None
            rows.append((backend, name, rps, p50, p99, floor))
            print(f"{backend:8} {name:28} {rps:9.0f} req/s  p50 {p50:6.2f} ms  p99 {p99:6.2f} ms"
                  + (f"  floor {floor[0]:9.0f} tx/s  ratio {rps / floor[0]:.2f}" if floor else ""), flush=True)
    finally:
        server.terminate()
        server.wait(timeout=40)
        cleanup()
    return rows


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown")
    mem_kib = int(next(l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal")))
    pg = run(["psql", ADMIN_URL, "-Atc", "SHOW server_version"]).stdout.strip()
    return f"{os.cpu_count()} cores ({cpu}), {mem_kib // 1024 // 1024} GiB, {platform.system()} {platform.release()}, PostgreSQL {pg}"


def main():
    for tool in ("wrk", "pgbench", "psql"):
        if not shutil.which(tool):
            sys.exit(f"make bench needs {tool} (Debian: apt-get install wrk postgresql-client)")
    rows = bench_backend("postgres") + bench_backend("sqlite")
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
        f"- Floor: pgbench running the endpoint's SQL (bench/sql/) at the same concurrency ({CONNECTIONS} clients) "
        "against the same database; ratio = API requests/s ÷ floor transactions/s. SQLite has no pgbench floor.",
        "",
        "| backend | endpoint | requests/s | p50 ms | p99 ms | floor tx/s | floor p50 ms | floor p99 ms | ratio |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for backend, name, rps, p50, p99, floor in rows:
        floor_cells = (f"{floor[0]:.0f} | {floor[1]:.2f} | {floor[2]:.2f} | {rps / floor[0]:.2f}" if floor else "— | — | — | —")
        lines.append(f"| {backend} | `{name}` | {rps:.0f} | {p50:.2f} | {p99:.2f} | {floor_cells} |")
    with open(os.path.join(ROOT, "bench", "RESULTS.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote bench/RESULTS.md")


if __name__ == "__main__":
    main()
