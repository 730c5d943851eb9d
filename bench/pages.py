"""Page latency against the floor, behind gunicorn, on seed-scale data.

Seed a database first (``netweave seed-scale``), then::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nw_bench \\
        .venv/bin/python bench/pages.py --network scale-1 --rounds 40

It starts gunicorn on a loopback port with that database, signs in as the seeded
facilitator and requests every page of ``netweave.demo.scale.bench_pages`` once per round,
the pages interleaved, so a busy machine slows all of them alike. The floor is ``/about/``:
the same base layout, signed in, reading no data. For each page it prints the median and
95th percentile latency, the ratio of the median to the floor's median (the goal is under
2), and the number of SQL queries the page makes (counted in-process with the test client
on the same database). Each page is read twice a round: cold, just after the network's
data version was bumped (as after any change), so nothing of it is cached; then warm,
its data parts read from the cache (``core.pagecache``). ``--json FILE`` also writes the
figures.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def start_gunicorn(port: int, workers: int, env: dict[str, str]) -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603
        [
            str(BIN / "gunicorn"),
            "netweave.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=30).ok:
                return process
        except requests.RequestException:
            pass
        time.sleep(0.3)
    process.terminate()
    raise SystemExit("gunicorn did not answer within 3 minutes")


def sign_in(base: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    response = session.post(
        f"{base}/accounts/login/",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": token.group(1) if token else "",
        },
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=30,
        allow_redirects=False,
    )
    if response.status_code != 302:
        raise SystemExit(f"signing in as {username} failed ({response.status_code})")
    return session


def query_counts(pages: list[tuple[str, str]], username: str, network_id: int) -> dict[str, str]:
    """Queries of each page just after a change (cold), then read again (warm)."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from netweave.networks.stats import bump_data_version

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=username))
    counts = {}
    for name, url in pages:
        client.get(url)  # the first request learns what is not data (the network's id)
        bump_data_version(network_id)
        found = []
        for _reading in ("cold", "warm"):
            with CaptureQueriesContext(connection) as context:
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            found.append(len(context.captured_queries))
        counts[name] = "{} / {}".format(*found)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--network", default="scale-1")
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--username", default="scale-facilitator")
    parser.add_argument("--password", default="netweave-scale")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()

    # Collected static files are kept between runs (collecting them takes minutes).
    data_dir = os.environ.get("NETWEAVE_DATA_DIR") or tempfile.mkdtemp(prefix="netweave-bench-")
    env = {
        **os.environ,
        "NETWEAVE_DATA_DIR": data_dir,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
    }
    if not (Path(data_dir) / "static" / "staticfiles.json").exists():
        subprocess.run(  # noqa: S603
            [str(BIN / "netweave"), "collectstatic", "--noinput", "-v0"], env=env, check=True
        )
    # Stopped from outside (timeout, Ctrl-C): stop gunicorn too, through the finally below.
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(1))
    os.environ.update({k: env[k] for k in ("NETWEAVE_DATA_DIR", "DEBUG", "ALLOWED_HOSTS")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netweave.settings")
    import django

    django.setup()
    from django.db import connection

    from netweave.demo.scale import bench_pages
    from netweave.networks.models import Network
    from netweave.networks.stats import bump_data_version

    pages = bench_pages(args.network)
    network_id = Network.objects.get(slug=args.network).pk
    counts = query_counts(pages, args.username, network_id)
    connection.close()

    load_before = os.getloadavg()[0]
    process = start_gunicorn(args.port, args.workers, env)
    base = f"http://127.0.0.1:{args.port}"
    try:
        session = sign_in(base, args.username, args.password)
        times: dict[str, list[float]] = {name: [] for name, _url in pages}
        cold: dict[str, list[float]] = {name: [] for name, _url in pages}
        for round_ in range(args.warmup + args.rounds):
            for name, url in pages:
                # Cold: the network's data has just changed, nothing of it is cached; then
                # warm: the same page again, its parts read from the cache.
                bump_data_version(network_id)
                for kept in (cold, times):
                    started = time.perf_counter()
                    response = session.get(base + url, timeout=120)
                    elapsed = time.perf_counter() - started
                    if response.status_code != 200:
                        raise SystemExit(f"{url} answered {response.status_code}")
                    if round_ >= args.warmup:
                        kept[name].append(elapsed * 1000)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)

    floor_name = pages[0][0]
    floor = statistics.median(times[floor_name])
    rows = []
    for name, url in pages:
        median = statistics.median(times[name])
        cold_median = statistics.median(cold[name])
        rows.append(
            {
                "page": name,
                "url": url,
                "median_ms": round(median, 1),
                "p95_ms": round(percentile(times[name], 0.95), 1),
                "ratio": round(median / floor, 2),
                "cold_median_ms": round(cold_median, 1),
                "cold_p95_ms": round(percentile(cold[name], 0.95), 1),
                "cold_ratio": round(cold_median / floor, 2),
                "queries": counts[name],
            }
        )
    print(
        "| page | median ms | p95 ms | ratio to floor | cold: median ms | p95 ms | ratio "
        "| SQL queries cold / warm |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        print(
            f"| {row['page']} | {row['median_ms']} | {row['p95_ms']} | {row['ratio']} | "
            f"{row['cold_median_ms']} | {row['cold_p95_ms']} | {row['cold_ratio']} | "
            f"{row['queries']} |"
        )
    # Ratios measured in one run hold on a busy machine better than times do; the load
    # average says how busy it was.
    load = f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
    print(f"\n{args.rounds} rounds after {args.warmup} warm-up rounds, {args.workers} workers;")
    print(f"{load}.")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
