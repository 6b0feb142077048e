"""The totals groupings and the portfolio on the national data set, one request at a time, in
process (Django test client, signed in as bench.officer): median of 5 after one warm-up, with the
query count, beside the null view. Reads only; the database is the one DATABASE_URL names (a copy
of bench_national, `createdb -T bench_national bench_totals`, while no load run uses it).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_totals DEBUG=1 \\
        .venv/bin/python bench/national_totals.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

PATHS = [
    "/api/v1/tokens/",
    "/api/v1/totals/?group_by=action",
    "/api/v1/totals/?group_by=action&page=20",
    "/api/v1/totals/?group_by=departement",
    "/api/v1/totals/?group_by=funder,year,departement",
    "/api/v1/totals/?group_by=departement&funder=1&year=2022",
    "/portefeuille/",
]


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="localhost", secure=True)
    client.force_login(User.objects.get(username="bench.officer"))
    for path in PATHS:
        times = []
        for _ in range(6):
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path, secure=True)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        median = statistics.median(times[1:])
        print(f"{median:8.1f} ms  {len(queries.captured_queries):3d} requêtes  {path}")


if __name__ == "__main__":
    main()
