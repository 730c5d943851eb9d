"""Time and memory of a people import of 5,000 and 50,000 rows on SQLite.

Run in a scratch data directory::

    NETWEAVE_DATA_DIR=$(mktemp -d) .venv/bin/python bench/import_people.py

Each size gets its own network with 70 member organisations, a generated CSV, then
``plan_import`` + ``apply_import``. Peak memory is tracemalloc's peak during the
import (Python allocations) and the process's max RSS after it.
"""

from __future__ import annotations

import csv
import io
import os
import resource
import sys
import time
import tracemalloc

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netweave.settings")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

SECTORS = ["government", "un-agency", "donor", "civil-society", "academia", "media"]


def make_csv(rows: int, orgs: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Name", "Organisation", "Position", "Email", "Languages", "Consent listed"])
    for n in range(rows):
        writer.writerow(
            [f"Person {n}", orgs[n % len(orgs)], "Officer", f"p{n}@example.org", "tg, ru", "yes"]
        )
    return buffer.getvalue().encode()


def run(rows: int) -> dict[str, float]:
    from netweave.directory.models import Organisation, Sector
    from netweave.imports.services import apply_import, create_import
    from netweave.networks.models import Membership
    from netweave.networks.services import create_network

    network = create_network(slug=f"bench-{rows}", name=f"Bench {rows}", country="TJ")
    sectors = list(Sector.objects.filter(slug__in=SECTORS))
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Member {rows}-{n}",
                name_key=f"member {rows}-{n}",
                slug=f"member-{rows}-{n}",
                sector=sectors[n % len(sectors)],
            )
            for n in range(70)
        ]
    )
    Membership.objects.bulk_create(
        [Membership(network=network, organisation=o, joined="2015-01-01") for o in organisations]
    )
    data = make_csv(rows, [o.name for o in organisations])
    record = create_import(
        network, kind="people", file_name=f"people-{rows}.csv", data=data, acting_user=None
    )
    del data
    tracemalloc.start()
    start = time.perf_counter()
    apply_import(record, acting_user=None)
    seconds = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert record.created_count == rows, record.counts
    return {"rows": rows, "seconds": seconds, "peak_mb": peak / 2**20, "max_rss_mb": rss}


def main() -> None:
    call_command("migrate", verbosity=0)
    results = [run(5_000), run(50_000)]
    for result in results:
        print(
            f"{result['rows']:>6} rows: {result['seconds']:.1f} s, tracemalloc peak "
            f"{result['peak_mb']:.1f} MB, max RSS {result['max_rss_mb']:.0f} MB"
        )
    ratio = results[1]["peak_mb"] / results[0]["peak_mb"]
    print(f"peak 50k / 5k: {ratio:.2f}")


if __name__ == "__main__":
    main()
