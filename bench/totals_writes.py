"""What the totals tables cost at writing: 2 000 funding lines inserted in one transaction (rolled
back), with the triggers of the first five tables, then with all of them, alternately, median of 5.
Reinstalls the triggers (all of them at the end): run it on a copy of the national data set.

    createdb -T bench_national bench_writes
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_writes DEBUG=1 \\
        .venv/bin/python bench/totals_writes.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


class Rollback(Exception):
    pass


def main() -> None:
    import django

    django.setup()
    from django.db import connection, transaction

    from actions.models import Action
    from conventions.models import Organisation
    from financing.models import FundingLine
    from financing.totals_upkeep import GRAINS, SECOND_GRAINS, install_statements

    funder = Organisation.objects.filter(kind=Organisation.Kind.FUNDER).first()
    actions = list(Action.objects.order_by("pk").values_list("pk", flat=True)[:2000])

    def timed(grains: tuple[str, ...]) -> float:
        with connection.cursor() as cursor:
            for statement in install_statements(connection.vendor, grains):
                cursor.execute(statement)
        times = []
        for _ in range(5):
            try:
                with transaction.atomic():
                    started = time.perf_counter()
                    FundingLine.objects.bulk_create(
                        FundingLine(action_id=a, funder=funder, year=2150, amount=Decimal("12.34"))
                        for a in actions
                    )
                    times.append(time.perf_counter() - started)
                    raise Rollback
            except Rollback:
                pass
        return statistics.median(times) * 1000

    for label, grains in (
        ("5 tables", SECOND_GRAINS),
        (f"{len(GRAINS)} tables", tuple(GRAINS)),
    ) * 2:
        print(f"{len(actions)} lignes, {label} : {timed(grains):.0f} ms", flush=True)


if __name__ == "__main__":
    main()
