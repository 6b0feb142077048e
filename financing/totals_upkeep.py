"""Database triggers that keep the totals tables (ActionTotal, AxisTotal, ConventionTotal) exact.

Why triggers and not the services: funding lines are written by financing, but spending and the
approval that makes it count are written by actions, a floor below (it may not import financing),
and bulk writes (imports, `bulk_create`, `QuerySet.update`) skip any Python hook. A trigger runs
in the transaction of every write, whatever its door. The same statements are generated for
PostgreSQL (PL/pgSQL functions) and SQLite (trigger bodies), so `make run` on SQLite keeps them too.

Each trigger turns the row change into signed deltas, one row per (action, axis, convention, funder,
year), then adds them to each grain with an upsert.
"""

from __future__ import annotations

from dataclasses import dataclass

ACTION, AXIS, CONVENTION = (
    "financing_actiontotal",
    "financing_axistotal",
    "financing_conventiontotal",
)
DELTA_COLUMNS = "action_id, axis_id, convention_id, funder_key, year, planned, spent, paid"


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
}
LINE_GRAINS = ("action", "axis", "convention")


def year_of(vendor: str, column: str) -> str:
    if vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS integer)"
    return f"CAST(strftime('%Y', {column}) AS integer)"


def upsert(grain: Grain, deltas: str) -> str:
    """Add the delta rows to one grain: rows appear on first use, sums move by the deltas."""
    keys = ", ".join(grain.keys)
    sums = ", ".join(f"SUM({m})" for m in grain.measures)
    updates = ", ".join(f"{m} = {grain.table}.{m} + excluded.{m}" for m in grain.measures)
    # `WHERE true`: SQLite's documented way to parse an upsert after a SELECT.
    return (
        f"INSERT INTO {grain.table} ({keys}, {', '.join(grain.measures)}) "
        f"SELECT {keys}, {sums} FROM ({deltas}) AS d WHERE true GROUP BY {keys} "
        f"ON CONFLICT ({keys}) DO UPDATE SET {updates}"
    )


def _line_delta(row: str, sign: str) -> str:
    return (
        f"SELECT {row}.action_id AS action_id, a.axis_id AS axis_id, x.convention_id AS convention_id, "
        f"{row}.funder_id AS funder_key, {row}.year AS year, {sign}{row}.amount AS planned, "
        f"0 AS spent, 0 AS paid "
        f"FROM actions_action a JOIN axes_axis x ON x.id = a.axis_id WHERE a.id = {row}.action_id"
    )


def _spending_delta(vendor: str, row: str, sign: str) -> str:
    return (
        f"SELECT r.action_id AS action_id, a.axis_id AS axis_id, x.convention_id AS convention_id, "
        f"COALESCE({row}.funder_id, 0) AS funder_key, {year_of(vendor, 'r.period_start')} AS year, "
        f"0 AS planned, {sign}{row}.amount AS spent, 0 AS paid "
        "FROM actions_progressreport r JOIN actions_action a ON a.id = r.action_id "
        f"JOIN axes_axis x ON x.id = a.axis_id WHERE r.id = {row}.report_id AND r.status = 'approved'"
    )


def _report_delta(vendor: str, row: str, sign: str) -> str:
    """All the spending of one approved report, as it was (OLD) or as it is (NEW)."""
    return (
        f"SELECT {row}.action_id AS action_id, a.axis_id AS axis_id, x.convention_id AS convention_id, "
        f"COALESCE(s.funder_id, 0) AS funder_key, {year_of(vendor, f'{row}.period_start')} AS year, "
        f"0 AS planned, {sign}s.amount AS spent, 0 AS paid "
        "FROM actions_spending s JOIN actions_action a ON a.id = "
        f"{row}.action_id JOIN axes_axis x ON x.id = a.axis_id "
        f"WHERE s.report_id = {row}.id AND {row}.status = 'approved'"
    )


def _payment_delta(vendor: str, row: str, sign: str) -> str:
    return (
        f"SELECT NULL AS action_id, NULL AS axis_id, {row}.convention_id AS convention_id, "
        f"c.funder_id AS funder_key, {year_of(vendor, f'{row}.paid_on')} AS year, 0 AS planned, "
        f"0 AS spent, {sign}(CASE WHEN {row}.kind = 'reclaim' THEN -{row}.amount "
        f"ELSE {row}.amount END) AS paid "
        f"FROM conventions_convention c WHERE c.id = {row}.convention_id AND {row}.status = 'paid'"
    )


def _action_move_delta(row: str, sign: str) -> str:
    """An action moved to another axis: its totals leave the old axis (and convention)."""
    return (
        f"SELECT t.action_id AS action_id, {row}.axis_id AS axis_id, x.convention_id AS convention_id, "
        f"t.funder_key AS funder_key, t.year AS year, {sign}t.planned AS planned, "
        f"{sign}t.spent AS spent, 0 AS paid FROM {ACTION} t JOIN axes_axis x ON x.id = {row}.axis_id "
        f"WHERE t.action_id = {row}.id"
    )


def _axis_move_delta(row: str, sign: str) -> str:
    return (
        f"SELECT NULL AS action_id, t.axis_id AS axis_id, {row}.convention_id AS convention_id, "
        f"t.funder_key AS funder_key, t.year AS year, {sign}t.planned AS planned, "
        f"{sign}t.spent AS spent, 0 AS paid FROM {AXIS} t WHERE t.axis_id = {row}.id"
    )


def _funder_move_delta(row: str, sign: str) -> str:
    """A convention changed funder: its payments count under the new one."""
    return (
        f"SELECT NULL AS action_id, NULL AS axis_id, {row}.id AS convention_id, "
        f"{row}.funder_id AS funder_key, t.year AS year, 0 AS planned, 0 AS spent, "
        f"{sign}t.paid AS paid FROM {CONVENTION} t "
        f"WHERE t.convention_id = OLD.id AND t.funder_key = OLD.funder_id"
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
        lambda row, sign: _spending_delta(vendor, row, sign),
        lambda row, sign: _report_delta(vendor, row, sign),
        lambda row, sign: _payment_delta(vendor, row, sign),
    )
    return [
        Trigger("totals_line_ins", "financing_fundingline", "INSERT", _line_delta("NEW", ""), LINE_GRAINS),
        Trigger("totals_line_upd", "financing_fundingline", "UPDATE", _both(_line_delta), LINE_GRAINS, ("action_id", "funder_id", "year", "amount")),
        Trigger("totals_line_del", "financing_fundingline", "DELETE", _line_delta("OLD", "-"), LINE_GRAINS),
        Trigger("totals_spend_ins", "actions_spending", "INSERT", spending("NEW", ""), LINE_GRAINS),
        Trigger("totals_spend_upd", "actions_spending", "UPDATE", _both(spending), LINE_GRAINS, ("report_id", "funder_id", "amount")),
        Trigger("totals_spend_del", "actions_spending", "DELETE", spending("OLD", "-"), LINE_GRAINS),
        Trigger("totals_report_upd", "actions_progressreport", "UPDATE", _both(report), LINE_GRAINS, ("status", "action_id", "period_start")),
        Trigger("totals_pay_ins", "financing_payment", "INSERT", payment("NEW", ""), ("convention",)),
        Trigger("totals_pay_upd", "financing_payment", "UPDATE", _both(payment), ("convention",), ("convention_id", "kind", "status", "amount", "paid_on")),
        Trigger("totals_pay_del", "financing_payment", "DELETE", payment("OLD", "-"), ("convention",)),
        Trigger("totals_action_move", "actions_action", "UPDATE", _both(_action_move_delta), ("axis", "convention"), ("axis_id",)),
        Trigger("totals_axis_move", "axes_axis", "UPDATE", _both(_axis_move_delta), ("convention",), ("convention_id",)),
        Trigger("totals_funder_move", "conventions_convention", "UPDATE", _both(_funder_move_delta), ("convention",), ("funder_id",)),
    ]  # fmt: skip


def _body(trigger: Trigger) -> str:
    return "; ".join(upsert(GRAINS[g], trigger.deltas) for g in trigger.grains)


def _when(vendor: str, trigger: Trigger) -> str:
    if not trigger.changed:
        return ""
    differs = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    return " WHEN (" + " OR ".join(f"OLD.{c} {differs} NEW.{c}" for c in trigger.changed) + ")"


def install_statements(vendor: str) -> list[str]:
    statements = []
    for trigger in triggers(vendor):
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
