"""Benchmark of the financing plan grid: a generated 100-action convention (10 axes, 3 funders,
4 years: 1 200 cells), the grid page served, then every cell changed and saved at once.

    make bench-grid            (or: DEBUG=1 .venv/bin/python bench/grid.py --actions 100)

Everything happens inside a transaction that is rolled back: the database is left as found.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

YEARS = (2023, 2024, 2025, 2026)


class Rollback(Exception):
    pass


def _convention(actions: int):
    from conventions.models import Convention
    from financing.models import FundingLine
    from tests.factories import (
        ActionFactory,
        AxisFactory,
        ConventionFactory,
        MembershipFactory,
        OrganisationFactory,
        UserFactory,
    )

    cnsa = OrganisationFactory(kind="funder", name="CNSA (banc d'essai)", short_name="CNSA")
    ars = OrganisationFactory(kind="cofunder", name="ARS (banc d'essai)")
    convention = ConventionFactory(
        reference="CNSA-BENCH-GRID",
        funder=cnsa,
        status=Convention.Status.DRAFT,
        start_date=datetime.date(YEARS[0], 1, 1),
        end_date=datetime.date(YEARS[-1], 12, 31),
    )
    axes = [AxisFactory(convention=convention, number=n + 1) for n in range(10)]
    made = [ActionFactory(axis=axes[i % 10], code=f"{i % 10 + 1}.{i}") for i in range(actions)]
    funders = [cnsa, convention.beneficiary, ars]
    FundingLine.objects.bulk_create(
        FundingLine(action=a, funder=f, year=y, amount=Decimal("1000.00"))
        for a in made
        for f in funders
        for y in YEARS
    )
    officer = UserFactory(username="bench.grid")
    MembershipFactory(user=officer, organisation=cnsa, role="officer")
    return convention, officer


def _timed(call, runs: int) -> tuple[float, int, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    durations, queries, response = [], 0, None
    for run in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = call(run)
            durations.append(time.perf_counter() - started)
        queries = len(captured)
    return statistics.median(durations) * 1000, queries, response


def run(actions: int, runs: int) -> None:
    import django

    django.setup()
    from django.db import transaction
    from django.test import Client
    from django.urls import reverse

    from backoffice.grid import plan_grid

    try:
        with transaction.atomic():
            convention, officer = _convention(actions)
            client = Client(HTTP_HOST="localhost")
            client.force_login(officer)
            url = reverse("backoffice:plan", args=[convention.pk])
            client.get(url)  # templates compiled, caches warm
            page_ms, page_queries, page = _timed(lambda _: client.get(url), runs)
            assert page.status_code == 200
            grid = plan_grid(convention=convention, extra_funder_ids=[])
            cells = sum(len(row.cells) for row in grid.rows)

            def save(run: int):
                data = {
                    "empreinte": plan_grid(convention=convention, extra_funder_ids=[]).fingerprint
                }
                data["financeur"] = [f.pk for f in grid.funders]
                for row in grid.rows:
                    for cell in row.cells:
                        data[f"c-{cell.code}"] = f"{1001 + run},{run % 100:02d}"
                response = client.post(url, data)
                assert response.status_code == 302, response.content[:2000]
                return response

            save_ms, save_queries, _ = _timed(save, runs)
            raise Rollback
    except Rollback:
        pass
    print(
        f"Grille du plan de financement : {actions} actions, {cells} cases (3 financeurs × 4 ans)"
    )
    print(f"{'mesure':<34}{'médiane':>10}{'requêtes':>10}")
    print(f"{'affichage de la grille (GET)':<34}{page_ms:>8.0f}ms{page_queries:>10}")
    print(f"{'enregistrement de toutes les cases':<34}{save_ms:>8.0f}ms{save_queries:>10}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    run(args.actions, args.runs)


if __name__ == "__main__":
    main()
