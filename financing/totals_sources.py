"""Which totals table answers a request, and where each group key lives in it (financing.totals).

The coarsest table that holds the keys answers a CNSA officer (global reader): per convention (a few
thousand rows nationally), per axis (one row per axis, per axis × funder, else axis × funder ×
year), per département
(one row per département, else département × funder × year), per action (one row per action), else
per action × funder × year. A partner's scope is small: it reads the last one, through the actions
it may see (or its carried conventions' rows, financing.totals_partner).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Case, CharField, F, Q, Value, When
from django.db.models.functions import NullIf

from financing.models import (
    ActionSummary,
    ActionTotal,
    AxisFunderTotal,
    AxisSummary,
    AxisTotal,
    ConventionTotal,
    DepartementSummary,
    DepartementTotal,
)

CONVENTION_KEYS = frozenset({"convention", "beneficiary", "status"})
YEAR_FUNDER_KEYS = frozenset({"year", "year_min", "year_max", "funder"})


@dataclass(frozen=True)
class Source:
    """One totals table and where each key lives in it."""

    model: type[models.Model]
    convention: str | None  # path to the convention, with its trailing "__" ("" for its own table)
    paths: dict[str, str]
    cnsa_column: bool = False  # the CNSA share is a column (else: lines of the convention's funder)
    unique: frozenset[str] = frozenset()  # group keys that name one row of the table

    def keys(self) -> dict[str, object]:
        c = self.convention
        keys: dict[str, object] = {"year": F("year"), "funder": F("funder_key")}
        if c is not None:
            keys["convention"] = F(f"{c}id" if c else "convention_id")
            keys["beneficiary"] = F(f"{c}beneficiary_id" if c else "convention__beneficiary_id")
        keys |= {key: F(path) for key, path in self.paths.items()}
        if self.model in (DepartementTotal, DepartementSummary):
            keys["departement"] = NullIf(F("departement"), Value(""))
        if self.model is ActionTotal:
            keys["departement"] = Case(
                When(
                    ~Q(action__lead_organisation__departement_code=""),
                    then=F("action__lead_organisation__departement_code"),
                ),
                When(
                    ~Q(**{f"{c}beneficiary__departement_code": ""}),
                    then=F(f"{c}beneficiary__departement_code"),
                ),
                default=Value(None),
                output_field=CharField(),
            )
        return keys

    @property
    def convention_prefix(self) -> str:
        return "convention__" if self.convention == "" else self.convention or ""


ACTION_PATHS = {"axis": "action__axis_id", "action": "action_id"}
BY_ACTION = Source(ActionTotal, "action__axis__convention__", ACTION_PATHS)
BY_ACTION_ONLY = Source(
    ActionSummary, "action__axis__convention__", ACTION_PATHS, True, frozenset({"action"})
)
BY_DEPARTEMENT = Source(
    DepartementTotal, None, {}, True, frozenset({"departement", "funder", "year"})
)
BY_DEPARTEMENT_ONLY = Source(DepartementSummary, None, {}, True, frozenset({"departement"}))
BY_AXIS = Source(AxisTotal, "axis__convention__", {"axis": "axis_id"})
BY_AXIS_ONLY = Source(
    AxisSummary, "axis__convention__", {"axis": "axis_id"}, True, frozenset({"axis"})
)
BY_AXIS_FUNDER = Source(
    AxisFunderTotal,
    "axis__convention__",
    {"axis": "axis_id"},
    True,
    frozenset({"axis", "funder"}),
)
BY_CONVENTION = Source(ConventionTotal, "", {}, unique=frozenset({"convention", "funder", "year"}))


def source_for(needs: set[str], is_global: bool) -> Source:
    """`needs`: the group keys and the filters of the request."""
    if not is_global:
        return BY_ACTION
    if "action" in needs:
        return BY_ACTION_ONLY if needs <= {"action", "axis", *CONVENTION_KEYS} else BY_ACTION
    if needs == {"departement"}:
        return BY_DEPARTEMENT_ONLY
    if "departement" in needs:
        return BY_DEPARTEMENT if needs <= {"departement", *YEAR_FUNDER_KEYS} else BY_ACTION
    if "axis" in needs:
        if needs <= {"axis", *CONVENTION_KEYS}:
            return BY_AXIS_ONLY
        return BY_AXIS_FUNDER if needs <= {"axis", "funder", *CONVENTION_KEYS} else BY_AXIS
    return BY_CONVENTION


def rows_are_groups(source: Source, group_by: list[str]) -> bool:
    """The keys name one row of the table (an action, an axis, a département; an axis and a
    funder; a département or a convention, a funder and a year): each row is its own group, read as it is (along the primary key for actions),
    counted apart."""
    return bool(source.unique) and source.unique <= set(group_by)
