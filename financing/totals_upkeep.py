"""Database triggers that keep the eight totals tables (financing.models: per action, axis,
convention or département × funder × year, per axis × funder, and per action, axis or département)
exact.

Why triggers and not the services: funding lines are written by financing, but spending and the
approval that makes it count are written by actions, a floor below (it may not import financing),
and bulk writes (imports, `bulk_create`, `QuerySet.update`) skip any Python hook. A trigger runs
in the transaction of every write, whatever its door. The same statements are generated for
PostgreSQL (PL/pgSQL functions) and SQLite (trigger bodies), so `make run` on SQLite keeps them too.

Each trigger turns the row change into signed deltas (totals_deltas), one row per (action, axis,
convention, funder, year, département), then adds them to each grain with an upsert.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from financing.totals_deltas import (
    ACTION,
    AXIS,
    CONVENTION,
    action_move_delta,
    action_regroup_delta,
    axis_move_delta,
    axis_regroup_delta,
    convention_regroup_delta,
    funder_move_delta,
    line_delta,
    organisation_regroup_delta,
    payment_delta,
    report_delta,
    spending_delta,
)

ACTION_SUMMARY, DEPARTEMENT = "financing_actionsummary", "financing_departementtotal"
AXIS_SUMMARY, DEPARTEMENT_SUMMARY = "financing_axissummary", "financing_departementsummary"
AXIS_FUNDER = "financing_axisfundertotal"
SHARES = ("planned", "cnsa_planned", "spent")


@dataclass(frozen=True)
class Grain:
    table: str
    keys: tuple[str, ...]
    measures: tuple[str, ...]


GRAINS = {
    "action": Grain(ACTION, ("action_id", "funder_key", "year"), ("planned", "spent")),
    "axis": Grain(AXIS, ("axis_id", "funder_key", "year"), ("planned", "spent")),
    "convention": Grain(
        CONVENTION, ("convention_id", "funder_key", "year"), ("planned", "spent", "paid")
    ),
    "action_summary": Grain(ACTION_SUMMARY, ("action_id",), SHARES),
    "departement": Grain(DEPARTEMENT, ("departement", "funder_key", "year"), SHARES),
    "axis_summary": Grain(AXIS_SUMMARY, ("axis_id",), SHARES),
    "departement_summary": Grain(DEPARTEMENT_SUMMARY, ("departement",), SHARES),
    "axis_funder": Grain(AXIS_FUNDER, ("axis_id", "funder_key"), SHARES),
}
FIRST_GRAINS = ("action", "axis", "convention")  # those of migration 0006
SECOND_GRAINS = (*FIRST_GRAINS, "action_summary", "departement")  # and of 0008
SUMMARIES = ("axis_summary", "departement_summary")  # of 0013
THIRD_GRAINS = (*SECOND_GRAINS, *SUMMARIES)
LINE_GRAINS = (*THIRD_GRAINS, "axis_funder")  # and of 0014
# Grains holding a CNSA share or a département: what a move changes (from the per-action rows)
REGROUPED = ("action_summary", "departement", *SUMMARIES, "axis_funder")


def upsert(grain: Grain, deltas: str) -> str:
    """Add the delta rows to one grain: rows appear on first use, sums move by the deltas."""
    keys = ", ".join(grain.keys)
    sums = ", ".join(f"SUM({m})" for m in grain.measures)
    updates = ", ".join(f"{m} = {grain.table}.{m} + excluded.{m}" for m in grain.measures)
    # `WHERE true`: SQLite's documented way to parse an upsert after a SELECT. Rows in key order:
    # two statements that touch the same rows lock them in the same order, never crosswise.
    return (
        f"INSERT INTO {grain.table} ({keys}, {', '.join(grain.measures)}) "
        f"SELECT {keys}, {sums} FROM ({deltas}) AS d WHERE true GROUP BY {keys} ORDER BY {keys} "
        f"ON CONFLICT ({keys}) DO UPDATE SET {updates}"
    )


@dataclass(frozen=True)
class Trigger:
    name: str
    table: str
    event: str  # INSERT, UPDATE or DELETE
    deltas: str
    grains: tuple[str, ...]
    changed: tuple[str, ...] = ()  # UPDATE only: fire when one of these columns changed


def _both(delta, *args) -> str:
    return f"{delta(*args, 'OLD', '-')} UNION ALL {delta(*args, 'NEW', '')}"


def triggers(vendor: str) -> list[Trigger]:
    spending, report, payment = (
        lambda row, sign: spending_delta(vendor, row, sign),
        lambda row, sign: report_delta(vendor, row, sign),
        lambda row, sign: payment_delta(vendor, row, sign),
    )
    return [
        Trigger("totals_line_ins", "financing_fundingline", "INSERT", line_delta("NEW", ""), LINE_GRAINS),
        Trigger("totals_line_upd", "financing_fundingline", "UPDATE", _both(line_delta), LINE_GRAINS, ("action_id", "funder_id", "year", "amount")),
        Trigger("totals_line_del", "financing_fundingline", "DELETE", line_delta("OLD", "-"), LINE_GRAINS),
        Trigger("totals_spend_ins", "actions_spending", "INSERT", spending("NEW", ""), LINE_GRAINS),
        Trigger("totals_spend_upd", "actions_spending", "UPDATE", _both(spending), LINE_GRAINS, ("report_id", "funder_id", "amount")),
        Trigger("totals_spend_del", "actions_spending", "DELETE", spending("OLD", "-"), LINE_GRAINS),
        Trigger("totals_report_upd", "actions_progressreport", "UPDATE", _both(report), LINE_GRAINS, ("status", "action_id", "period_start")),
        Trigger("totals_pay_ins", "financing_payment", "INSERT", payment("NEW", ""), ("convention",)),
        Trigger("totals_pay_upd", "financing_payment", "UPDATE", _both(payment), ("convention",), ("convention_id", "kind", "status", "amount", "paid_on")),
        Trigger("totals_pay_del", "financing_payment", "DELETE", payment("OLD", "-"), ("convention",)),
        Trigger("totals_action_move", "actions_action", "UPDATE", _both(action_move_delta), ("axis", "convention"), ("axis_id",)),
        Trigger("totals_axis_move", "axes_axis", "UPDATE", _both(axis_move_delta), ("convention",), ("convention_id",)),
        Trigger("totals_funder_move", "conventions_convention", "UPDATE", _both(funder_move_delta), ("convention",), ("funder_id",)),
        Trigger("totals_action_regroup", "actions_action", "UPDATE", _both(action_regroup_delta), REGROUPED, ("axis_id", "lead_organisation_id")),
        Trigger("totals_axis_regroup", "axes_axis", "UPDATE", _both(axis_regroup_delta), REGROUPED, ("convention_id",)),
        Trigger("totals_convention_regroup", "conventions_convention", "UPDATE", _both(convention_regroup_delta), REGROUPED, ("beneficiary_id", "funder_id")),
        Trigger("totals_organisation_regroup", "conventions_organisation", "UPDATE", _both(organisation_regroup_delta), REGROUPED, ("departement_code",)),
    ]  # fmt: skip


def _kept(vendor: str, grains: Iterable[str]) -> list[Trigger]:
    """The triggers for these grains only, each writing to those of them it keeps."""
    kept = []
    for trigger in triggers(vendor):
        mine = tuple(g for g in trigger.grains if g in grains)
        if mine:
            kept.append(replace(trigger, grains=mine))
    return kept


def _body(trigger: Trigger) -> str:
    return "; ".join(upsert(GRAINS[g], trigger.deltas) for g in trigger.grains)


def _when(vendor: str, trigger: Trigger) -> str:
    if not trigger.changed:
        return ""
    differs = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    return " WHEN (" + " OR ".join(f"OLD.{c} {differs} NEW.{c}" for c in trigger.changed) + ")"


def install_statements(vendor: str, grains: Iterable[str] = tuple(GRAINS)) -> list[str]:
    statements = []
    for trigger in _kept(vendor, grains):
        head = f"AFTER {trigger.event} ON {trigger.table} FOR EACH ROW{_when(vendor, trigger)}"
        if vendor == "postgresql":
            statements += [
                f"CREATE OR REPLACE FUNCTION {trigger.name}() RETURNS trigger LANGUAGE plpgsql AS "
                f"$$ BEGIN {_body(trigger)}; RETURN NULL; END $$",
                f"DROP TRIGGER IF EXISTS {trigger.name} ON {trigger.table}",
                f"CREATE TRIGGER {trigger.name} {head} EXECUTE FUNCTION {trigger.name}()",
            ]
        else:
            statements += [
                f"DROP TRIGGER IF EXISTS {trigger.name}",
                f"CREATE TRIGGER {trigger.name} {head} BEGIN {_body(trigger)}; END",
            ]
    return statements


def remove_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            s
            for t in triggers(vendor)
            for s in (
                f"DROP TRIGGER IF EXISTS {t.name} ON {t.table}",
                f"DROP FUNCTION IF EXISTS {t.name}()",
            )
        ]
    return [f"DROP TRIGGER IF EXISTS {t.name}" for t in triggers(vendor)]
