"""Run the locust load headless against gunicorn on loopback and report it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nw_bench .venv/bin/python bench/load/run.py
    NETWEAVE_DATA_DIR=var-bench .venv/bin/python bench/load/run.py     # SQLite in that directory

Starts gunicorn on the given database, runs ``locust`` headless (50 users, 60 s by default)
with bench/load/locustfile.py, then prints requests, failures, median and 95th percentile
latency, throughput, each gunicorn worker's peak resident memory (VmHWM from
/proc/<pid>/status, read just before gunicorn stops) and whether "database is locked"
appeared in the server's log.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def signed_in_sessions(env: dict[str, str], count: int) -> list[str]:
    """Session keys of the seeded focal points, made directly in the session store.

    Signing in 50 users at once costs 50 password hashes, which on a small machine takes
    longer than the whole run; browsing and registering is what is measured.
    """
    os.environ.update({k: env[k] for k in ("NETWEAVE_DATA_DIR", "DEBUG", "ALLOWED_HOSTS")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netweave.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    backend = "django.contrib.auth.backends.ModelBackend"
    if backend not in settings.AUTHENTICATION_BACKENDS:
        backend = settings.AUTHENTICATION_BACKENDS[-1]
    prefix = env.get("NETWEAVE_LOAD_PREFIX", "scale")
    keys = []
    for n in range(1, count + 1):
        user = get_user_model().objects.get(username=f"{prefix}-focal-{n}")
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = backend
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        keys.append(store.session_key)
    return keys


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=int, default=10)
    parser.add_argument("--run-time", default="60s")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--network", default="scale-1")
    args = parser.parse_args()

    data_dir = os.environ.get("NETWEAVE_DATA_DIR") or tempfile.mkdtemp(prefix="netweave-load-")
    env = {
        **os.environ,
        "NETWEAVE_DATA_DIR": data_dir,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "NETWEAVE_LOAD_NETWORK": args.network,
    }
    if not (Path(data_dir) / "static" / "staticfiles.json").exists():
        subprocess.run(  # noqa: S603
            [str(BIN / "netweave"), "collectstatic", "--noinput", "-v0"], env=env, check=True
        )
    # Stopped from outside (timeout, Ctrl-C): stop gunicorn too, through the finally below.
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(1))
    sessions = Path(tempfile.mkstemp(prefix="netweave-sessions-", suffix=".json")[1])
    sessions.write_text(json.dumps(signed_in_sessions(env, args.users)))
    env["NETWEAVE_LOAD_SESSIONS"] = str(sessions)
    log = Path(tempfile.mkstemp(prefix="netweave-gunicorn-", suffix=".log")[1])
    with log.open("w") as log_file:
        server = subprocess.Popen(  # noqa: S603
            [
                str(BIN / "gunicorn"),
                "netweave.wsgi:application",
                "--bind",
                f"127.0.0.1:{args.port}",
                "--workers",
                str(args.workers),
                "--timeout",
                "120",
            ],
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(200):
            try:
                if requests.get(f"{base}/healthz", timeout=30).ok:
                    break
            except requests.RequestException:
                time.sleep(0.3)
        prefix = tempfile.mkdtemp(prefix="netweave-locust-") + "/load"
        subprocess.run(  # noqa: S603
            [
                str(BIN / "locust"),
                "-f",
                str(HERE / "locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                args.run_time,
                "--host",
                base,
                "--csv",
                prefix,
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env=env,
            check=False,
        )
        workers = children(server.pid)
        peaks = {pid: peak_rss_mb(pid) for pid in workers}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)

    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    print("| request | count | failures | median ms | p95 ms | req/s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        print(
            f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | "
            f"{row['Median Response Time']} | {row['95%']} | {float(row['Requests/s']):.1f} |"
        )
    server_log = log.read_text()
    print()
    print(
        "gunicorn workers' peak RSS (VmHWM): "
        + ", ".join(f"{mb:.0f} MB" for mb in sorted(peaks.values()))
    )
    print(f"'database is locked' in the server log: {'database is locked' in server_log}")
    print(f"server errors (500) logged: {server_log.count('Internal Server Error')}")
    print(f"server log: {log}")


if __name__ == "__main__":
    main()
