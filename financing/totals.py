"""Funding totals grouped by any keys: three aggregate queries (lines, payments, spending), merged.

planned / cnsa_planned come from funding lines, paid from CNSA payments (net of reclaims), spent from
spending in approved progress reports. Payments belong to a convention, not to an axis, an action or a
département, so `paid` is null whenever the request groups or filters by one of those, and on rows of
a funder that is not a convention's funder (co-funders' payments are not recorded here).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, CharField, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import ExtractYear

from actions.models import ProgressReport, Spending
from conventions.models import Organisation
from core.money import ZERO, rate_percent, round_money
from financing.models import FundingLine, Payment
from financing.selectors import SIGNED_PAYMENT

GROUP_KEYS = ("convention", "axis", "action", "year", "funder", "beneficiary", "departement")
FILTER_KEYS = (
    "convention",
    "year",
    "year_min",
    "year_max",
    "funder",
    "beneficiary",
    "departement",
    "status",
)
MEASURES = ("planned", "cnsa_planned", "cnsa_rate", "paid", "spent")
UNATTRIBUTABLE_PAYMENT_KEYS = frozenset({"axis", "action", "departement"})


@dataclass(frozen=True)
class Paths:
    """Where each key lives, seen from one source table ('' for the action's own table)."""

    action: str | None
    convention: str
    year: object
    funder: str | None

    def key_expressions(self) -> dict[str, object]:
        c = self.convention
        keys: dict[str, object] = {
            "convention": F(f"{c}id"),
            "year": self.year,
            "beneficiary": F(f"{c}beneficiary_id"),
        }
        if self.funder is not None:
            keys["funder"] = F(f"{self.funder}_id")
        if self.action is not None:
            a = self.action
            keys["axis"] = F(f"{a}axis_id")
            keys["action"] = F(f"{a}id")
            keys["departement"] = Case(
                When(
                    ~Q(**{f"{a}lead_organisation__departement_code": ""}),
                    then=F(f"{a}lead_organisation__departement_code"),
                ),
                When(
                    ~Q(**{f"{c}beneficiary__departement_code": ""}),
                    then=F(f"{c}beneficiary__departement_code"),
                ),
                default=Value(None),
                output_field=CharField(),
            )
        return keys

    def label_expressions(self, group_by: Iterable[str]) -> dict[str, object]:
        c, a = self.convention, self.action
        fields = {
            "convention": {"_c_ref": f"{c}reference", "_c_title": f"{c}title"},
            "axis": {"_x_num": f"{a}axis__number", "_x_title": f"{a}axis__title"},
            "action": {"_a_code": f"{a}code", "_a_title": f"{a}title"},
            "funder": {
                "_f_name": f"{self.funder}__name",
                "_f_short": f"{self.funder}__short_name",
                "_f_kind": f"{self.funder}__kind",
            },
            "beneficiary": {
                "_b_name": f"{c}beneficiary__name",
                "_b_short": f"{c}beneficiary__short_name",
            },
        }
        wanted: dict[str, object] = {}
        for key in group_by:
            wanted.update({alias: F(path) for alias, path in fields.get(key, {}).items()})
        return wanted


LINES = Paths(
    action="action__", convention="action__axis__convention__", year=F("year"), funder="funder"
)
SPENDING = Paths(
    action="report__action__",
    convention="report__action__axis__convention__",
    year=ExtractYear("report__period_start"),
    funder="funder",
)
PAYMENTS = Paths(action=None, convention="convention__", year=ExtractYear("paid_on"), funder=None)


def _label(key: str, row: dict) -> str | None:
    value = row.get(f"k_{key}")
    if value is None:
        return "Non ventilé" if key == "funder" else "Non renseigné"
    if key == "convention":
        return f"{row['_c_ref']} — {row['_c_title']}"
    if key == "axis":
        return f"Axe {row['_x_num']} : {row['_x_title']}"
    if key == "action":
        return f"{row['_a_code']} — {row['_a_title']}"
    if key == "funder":
        return row["_f_short"] or row["_f_name"]
    if key == "beneficiary":
        return row["_b_short"] or row["_b_name"]
    return str(value)


def _filtered(queryset: QuerySet, paths: Paths, filters: dict) -> QuerySet:
    keys = paths.key_expressions()
    c = paths.convention
    conditions = Q()
    if "convention" in filters:
        conditions &= Q(**{f"{c}id": filters["convention"]})
    if "beneficiary" in filters:
        conditions &= Q(**{f"{c}beneficiary_id": filters["beneficiary"]})
    if "status" in filters:
        conditions &= Q(**{f"{c}status": filters["status"]})
    if "funder" in filters:
        funder = f"{paths.funder}_id" if paths.funder else f"{c}funder_id"
        conditions &= Q(**{funder: filters["funder"]})
    queryset = queryset.filter(conditions).alias(_year=keys["year"])
    if "year" in filters:
        queryset = queryset.filter(_year=filters["year"])
    if "year_min" in filters:
        queryset = queryset.filter(_year__gte=filters["year_min"])
    if "year_max" in filters:
        queryset = queryset.filter(_year__lte=filters["year_max"])
    if "departement" in filters:
        queryset = queryset.alias(_dep=keys["departement"]).filter(_dep=filters["departement"])
    return queryset


def _grouped(queryset: QuerySet, paths: Paths, group_by: list[str], **measures) -> list[dict]:
    if not group_by:
        return [queryset.aggregate(**measures)]
    keys = paths.key_expressions()
    # Prefixed aliases: "year" or "funder" would clash with the models' own fields.
    values = {f"k_{key}": keys[key] for key in group_by}
    values.update(paths.label_expressions(group_by))
    return list(queryset.order_by().values(**values).annotate(**measures))


def funding_totals(*, user, group_by: list[str], filters: dict) -> list[dict]:
    """One row per combination of the group keys (one grand-total row without keys)."""
    lines = _filtered(FundingLine.objects.visible_to(user), LINES, filters)
    planned_rows = _grouped(
        lines,
        LINES,
        group_by,
        planned=Sum("amount"),
        cnsa_planned=Sum("amount", filter=Q(funder_id=F("action__axis__convention__funder_id"))),
    )
    reports = ProgressReport.objects.visible_to(user).filter(status=ProgressReport.Status.APPROVED)
    spendings = _filtered(Spending.objects.filter(report__in=reports), SPENDING, filters)
    spent_rows = _grouped(spendings, SPENDING, group_by, spent=Sum("amount"))

    payments_known = not (UNATTRIBUTABLE_PAYMENT_KEYS & {*group_by, *filters})
    paid_rows = []
    if payments_known:
        payments = Payment.objects.visible_to(user).filter(status=Payment.Status.PAID)
        paid_rows = _grouped(
            _filtered(payments, PAYMENTS, filters),
            _payment_paths_for(group_by),
            group_by,
            paid=Sum(SIGNED_PAYMENT),
        )
    return _merge(group_by, planned_rows, spent_rows, paid_rows, payments_known)


def _payment_paths_for(group_by: list[str]) -> Paths:
    """A payment is made by its convention's funder: group it under that funder."""
    if "funder" not in group_by:
        return PAYMENTS
    return Paths(
        action=None, convention="convention__", year=PAYMENTS.year, funder="convention__funder"
    )


def _merge(group_by, planned_rows, spent_rows, paid_rows, payments_known) -> list[dict]:
    rows: dict[tuple, dict] = {}

    def row_for(source: dict) -> dict:
        key = tuple(source[f"k_{k}"] for k in group_by)
        if key not in rows:
            rows[key] = {"_funder_kind": source.get("_f_kind")}
            for k in group_by:
                rows[key][k] = source[f"k_{k}"]
                rows[key][f"{k}_label"] = _label(k, source)
            rows[key].update(planned=ZERO, cnsa_planned=ZERO, paid=ZERO, spent=ZERO)
        return rows[key]

    for source in planned_rows:
        row = row_for(source)
        row["planned"] += source["planned"] or ZERO
        row["cnsa_planned"] += source["cnsa_planned"] or ZERO
    for source in spent_rows:
        row_for(source)["spent"] += source["spent"] or ZERO
    for source in paid_rows:
        row_for(source)["paid"] += source["paid"] or ZERO
    if not group_by and not rows:
        rows[()] = {"planned": ZERO, "cnsa_planned": ZERO, "paid": ZERO, "spent": ZERO}
    return [_finish(rows[key], group_by, payments_known) for key in sorted(rows, key=_sort_key)]


def _finish(row: dict, group_by: list[str], payments_known: bool) -> dict:
    funder_kind = row.pop("_funder_kind", None)
    paid_applies = payments_known and (
        "funder" not in group_by or funder_kind == Organisation.Kind.FUNDER
    )
    planned, cnsa_planned = round_money(row["planned"]), round_money(row["cnsa_planned"])
    keys = {name: row[name] for key in group_by for name in (key, f"{key}_label")}
    return {
        **keys,
        "planned": planned,
        "cnsa_planned": cnsa_planned,
        "cnsa_rate": rate_percent(cnsa_planned, planned),
        "paid": round_money(row["paid"]) if paid_applies else None,
        "spent": round_money(row["spent"]),
    }


def _sort_key(key: tuple) -> tuple:
    return tuple((value is None, value if value is not None else 0) for value in key)
