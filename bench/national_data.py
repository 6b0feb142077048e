"""The national data set, generated into its own PostgreSQL database (default `bench_national`):
101 departmental unions, 300 conventions 2009-2026, 30 900 actions (1 000 in the first
convention, 100 in each other), 500 000 funding lines,
50 000 progress reports, 150 000 spending lines, and the users the load run signs in with.

Bulk writes (bulk_create, COPY for the two biggest tables) with triggers switched off for the
loading session, then one `totals_rebuild`, one `rebuild_due` (signals skipped too) and VACUUM
ANALYZE.
"""

from __future__ import annotations

import datetime
import random
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNION_CODES = [f"{n:02d}" for n in range(1, 96) if n != 20] + [
    "2A",
    "2B",
    "971",
    "972",
    "973",
    "974",
    "976",
]
CONVENTIONS, AXES, ACTIONS_PER_AXIS = 300, 5, 20
BIG_ACTIONS_PER_AXIS = 200  # the first convention: 1 000 actions, the convention page's worst case
LINES, REPORTS = 500_000, 50_000


def recreate_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def migrate(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v", "0"],
        env=env,
        check=True,
    )


def _organisations():
    from conventions.models import Organisation

    kinds = Organisation.Kind
    rows = [
        Organisation(
            name="Caisse nationale de solidarité pour l'autonomie",
            short_name="CNSA",
            kind=kinds.FUNDER,
        )
    ]
    rows += [
        Organisation(
            name=f"Union départementale des CCAS {code}",
            short_name=f"UDCCAS {code}",
            kind=kinds.DEPARTMENTAL_UNION,
            departement_code=code,
        )
        for code in UNION_CODES
    ]
    porteur_kinds = [kinds.NATIONAL_UNION] * 5 + [kinds.DEPARTEMENT] * 10 + [kinds.METROPOLE] * 5
    rows += [
        Organisation(
            name=f"Porteur national {i:02d}",
            kind=kind,
            departement_code="" if kind == kinds.NATIONAL_UNION else UNION_CODES[i * 4],
        )
        for i, kind in enumerate(porteur_kinds)
    ]
    rows += [
        Organisation(name=f"Cofinanceur {n}", kind=kinds.COFUNDER)
        for n in ("ARS", "CARSAT", "Conférence des financeurs")
    ]
    created = Organisation.objects.bulk_create(rows)
    return created[0], created[1:102], created[102:122], created[122:]


def _conventions(rng, cnsa, porteurs):
    from axes.models import Axis
    from conventions.models import Convention

    conventions = []
    for i in range(CONVENTIONS):
        start = 2009 + i % 15  # 2009-2023, four budget years: the last ones end in 2026
        end = start + 3
        status = "closed" if end < 2024 and i % 3 else ("draft" if i % 25 == 0 else "signed")
        conventions.append(
            Convention(
                reference=f"CNSA-NAT-{i:04d}",
                title=f"Programme de modernisation {i}",
                funder=cnsa,
                beneficiary=porteurs[i % len(porteurs)],
                start_date=datetime.date(start, 1, 1),
                end_date=datetime.date(end, 12, 31),
                signature_date=datetime.date(start, 3, 1),
                status=status,
                total_cost=Decimal("4000000.00"),
                cnsa_amount=Decimal("2200000.00"),
            )
        )
    conventions = Convention.objects.bulk_create(conventions)
    axes = Axis.objects.bulk_create(
        Axis(convention=c, number=n + 1, title=f"Axe {n + 1} : objectif {n + 1}")
        for c in conventions
        for n in range(AXES)
    )
    return conventions, axes


def _actions(rng, axes, unions):
    from actions.models import Action

    rows = []
    first = axes[0].convention_id
    for axis in axes:
        convention = axis.convention
        count = BIG_ACTIONS_PER_AXIS if axis.convention_id == first else ACTIONS_PER_AXIS
        for n in range(count):
            lead = rng.choice(unions) if rng.random() < 0.7 else convention.beneficiary
            rows.append(
                Action(
                    axis=axis,
                    code=f"{axis.number}.{n + 1}",
                    title=f"Fiche action {axis.number}.{n + 1}",
                    lead_organisation=lead,
                    start_date=convention.start_date,
                    end_date=convention.end_date,
                    status="in_progress",
                )
            )
    return Action.objects.bulk_create(rows, batch_size=5000)


def _copy(cursor, table: str, columns: tuple[str, ...], rows) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _funding_lines(rng, actions, cnsa, cofunders):
    """16 lines per action (4 years x CNSA, porteur, two co-funders), plus one more for the first
    20 000 actions: 500 000 lines."""
    for index, action in enumerate(actions):
        first = action.start_date.year
        funders = (cnsa.pk, action.axis.convention.beneficiary_id, cofunders[0].pk, cofunders[1].pk)
        for year in range(first, first + 4):
            for funder in funders:
                yield action.pk, funder, year, Decimal(rng.randint(100, 5_000_000)) / 100
        if index < LINES - 16 * len(actions):
            yield action.pk, cofunders[2].pk, first, Decimal(rng.randint(100, 900_000)) / 100


def _reports(rng, actions):
    from actions.models import ProgressReport

    rows = []
    for index, action in enumerate(actions):
        years = (0, 1) if index < REPORTS - len(actions) else (0,)
        for offset in years:
            year = action.start_date.year + offset
            rows.append(
                ProgressReport(
                    action=action,
                    period_start=datetime.date(year, 1, 1),
                    period_end=datetime.date(year, 12, 31),
                    status=rng.choice(["approved", "approved", "approved", "submitted", "draft"]),
                )
            )
    return ProgressReport.objects.bulk_create(rows, batch_size=5000)


def _payments(conventions):
    from financing.models import Payment

    rows = []
    for c in conventions:
        if c.status == "draft":
            continue
        rows += [
            Payment(
                convention=c,
                kind="advance",
                amount=Decimal("660000.00"),
                status="paid",
                paid_on=c.signature_date,
                due_date=c.signature_date,
            ),
            Payment(
                convention=c,
                kind="instalment",
                amount=Decimal("550000.00"),
                status="paid",
                paid_on=c.start_date.replace(year=c.start_date.year + 1, month=6),
                due_date=c.start_date.replace(year=c.start_date.year + 1, month=6),
            ),
            Payment(
                convention=c,
                kind="instalment",
                amount=Decimal("440000.00"),
                status="planned",
                due_date=c.end_date,
            ),
        ]
    Payment.objects.bulk_create(rows)


def load(seed: int = 12) -> dict[str, int]:
    """Fill the (migrated, empty) database Django is connected to. Returns the row counts."""
    from django.db import connection, transaction

    from actions.services_due import rebuild_due
    from financing.totals_check import totals_rebuild

    rng = random.Random(seed)
    with transaction.atomic(), connection.cursor() as cursor:
        # Triggers off for this session (the totals' and the deferred foreign-key checks): the
        # generated rows are consistent by construction; the totals are rebuilt once below.
        cursor.execute("SET LOCAL session_replication_role = replica")
        cnsa, unions, porteurs, cofunders = _organisations()
        conventions, axes = _conventions(rng, cnsa, porteurs)
        actions = _actions(rng, axes, unions)
        reports = _reports(rng, actions)
        raw = cursor.cursor
        _copy(
            raw,
            "financing_fundingline",
            ("action_id", "funder_id", "year", "amount"),
            _funding_lines(rng, actions, cnsa, cofunders),
        )
        spending = (
            (r.pk, f, Decimal(rng.randint(100, 2_000_000)) / 100)
            for r in reports
            for f in (cnsa.pk, r.action.axis.convention.beneficiary_id, None)
        )
        _copy(raw, "actions_spending", ("report_id", "funder_id", "amount"), spending)
        _payments(conventions)
    totals_rebuild()
    rebuild_due()
    with connection.cursor() as cursor:
        # As autovacuum leaves a settled database: statistics, and the visibility map that lets
        # counts and index-only scans skip the table's pages.
        cursor.execute("VACUUM ANALYZE")
        counts = {}
        for table in (
            "conventions_organisation",
            "conventions_convention",
            "actions_action",
            "financing_fundingline",
            "actions_progressreport",
            "actions_spending",
            "financing_payment",
            "financing_actiontotal",
            "financing_conventiontotal",
        ):
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
    return counts


def users() -> dict[str, object]:
    """An officer, a porteur's coordinator and a union's contributor, each with an API token and a
    signed-in session; a superuser's session for the admin."""
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.test import Client

    from conventions.authentication import api_token_create
    from conventions.models import Convention, Membership, Organisation

    cnsa = Organisation.objects.get(kind="funder")
    porteur = Organisation.objects.get(name="Porteur national 00")
    union = Organisation.objects.filter(kind="departmental_union").order_by("pk").first()
    who = {
        "officer": (cnsa, "officer"),
        "coordinator": (porteur, "coordinator"),
        "contributor": (union, "contributor"),
    }
    out: dict[str, object] = {}
    for name, (organisation, role) in who.items():
        user = User.objects.create_user(username=f"bench.{name}", password=None)
        Membership.objects.create(user=user, organisation=organisation, role=role)
        _, key = api_token_create(user=user, name="bench", by=user)
        client = Client()
        client.force_login(user)
        out[name] = {"token": key, "session": client.cookies[settings.SESSION_COOKIE_NAME].value}
    admin = User.objects.create_superuser(username="bench.admin", email="", password=None)
    client = Client()
    client.force_login(admin)
    out["admin"] = {"session": client.cookies[settings.SESSION_COOKIE_NAME].value}
    out["session_cookie"] = settings.SESSION_COOKIE_NAME
    big = Convention.objects.order_by("pk").first()
    out["convention"] = big.pk if big else None
    out["action"] = union.led_actions.order_by("pk").values_list("pk", flat=True).first()
    return out
