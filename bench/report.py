"""Time to build and render the demo water network's annual report in each format.

Run from the repository root::

    .venv/bin/python bench/report.py [--year 2015] [--runs 3] [--network water-sanitation]

Without ``NETWEAVE_DATA_DIR`` (and ``DATABASE_URL``) it works in a fresh temporary data
directory: migrate a new SQLite database, load the demo (``load_demo``), then for each of
HTML, PDF and XLSX run ``build_report`` followed by the renderer ``--runs`` times, the
exact path of ``netweave report``. The first build also warms matplotlib's font cache,
so it is run once untimed. Prints a JSON report with the median, minimum and maximum of
each step (wall clock, and the process's CPU time, which a busy machine inflates less),
the size of each file, the PDF's page count and the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import statistics
import sys
import tempfile
import time

if not os.environ.get("NETWEAVE_DATA_DIR") and not os.environ.get("DATABASE_URL"):
    os.environ["NETWEAVE_DATA_DIR"] = tempfile.mkdtemp(prefix="netweave-bench-report-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netweave.settings")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import translation  # noqa: E402

FORMATS = ("pdf", "html", "xlsx")


def memory_gb() -> float | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        return None
    return None


def summary(times: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(times), 3),
        "min": round(min(times), 3),
        "max": round(max(times), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--network", default="water-sanitation")
    parser.add_argument("--year", type=int, default=2015)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--language", default="en")
    args = parser.parse_args()

    from netweave.demo.services import load_demo
    from netweave.networks.models import Network
    from netweave.reports import render, services

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    load_demo(stdout=io.StringIO())
    setup_seconds = time.perf_counter() - started
    network = Network.objects.get(slug=args.network)

    results: dict[str, dict] = {}
    with translation.override(args.language):
        services.build_report(network, args.year)  # warm-up: imports, font cache
        for fmt in FORMATS:
            build, draw, total, cpu = [], [], [], []
            content = b""
            for _run in range(args.runs):
                c0 = time.process_time()
                t0 = time.perf_counter()
                report = services.build_report(network, args.year)
                t1 = time.perf_counter()
                content = render.render(report, fmt)
                t2 = time.perf_counter()
                cpu.append(time.process_time() - c0)
                build.append(t1 - t0)
                draw.append(t2 - t1)
                total.append(t2 - t0)
            results[fmt] = {
                "build_seconds": summary(build),
                "render_seconds": summary(draw),
                "total_seconds": summary(total),
                "total_cpu_seconds": summary(cpu),
                "bytes": len(content),
            }
            if fmt == "pdf":
                import pypdf

                results[fmt]["pages"] = len(pypdf.PdfReader(io.BytesIO(content)).pages)
            if fmt == "xlsx":
                import openpyxl

                results[fmt]["sheets"] = len(openpyxl.load_workbook(io.BytesIO(content)).sheetnames)

    report = services.build_report(network, args.year)
    print(
        json.dumps(
            {
                "network": args.network,
                "year": args.year,
                "runs": args.runs,
                "database": connection.vendor,
                "sections": [section.key for section in report.sections],
                "figures": sum(len(section.figures) for section in report.sections),
                "annex_rows": sum(
                    len(figure.records)
                    for section in report.sections
                    for figure in section.figures
                    if figure.records is not None
                ),
                "setup_seconds (migrate + demo)": round(setup_seconds, 1),
                "formats": results,
                "machine": {
                    "cores": os.cpu_count(),
                    "memory_gb": memory_gb(),
                    "python": platform.python_version(),
                    "platform": platform.platform(),
                    "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
                    "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
