"""The signed delta rows each totals trigger adds to its grains (see totals_upkeep).

A delta row carries every key and measure a grain may need: action_id, axis_id, convention_id,
funder_key, year, planned, cnsa_planned (planned when the funder is the convention's), spent, paid,
and departement (the lead organisation's code, else the beneficiary's, else ""). Money rows (funding
lines, spending, reports, payments) give deltas of their amounts; moves (an action changing axis or
lead organisation, an axis changing convention, a convention changing beneficiary or funder, an
organisation changing département) take an action's totals away from where they were (OLD) and add
them where they are (NEW), read from the per-action-funder-year table.
"""

from __future__ import annotations

ACTION, AXIS, CONVENTION = (
    "financing_actiontotal",
    "financing_axistotal",
    "financing_conventiontotal",
)
ORGANISATION = "conventions_organisation"
DEPARTEMENT = "COALESCE(NULLIF({lead}, ''), NULLIF({beneficiary}, ''), '')"
# From an action `a` to its axis, convention, beneficiary and lead organisation (LEFT: free to
# drop when a grain reads none of them).
ACTION_JOINS = (
    "JOIN axes_axis x ON x.id = a.axis_id "
    "LEFT JOIN conventions_convention c ON c.id = x.convention_id "
    f"LEFT JOIN {ORGANISATION} b ON b.id = c.beneficiary_id "
    f"LEFT JOIN {ORGANISATION} lo ON lo.id = a.lead_organisation_id"
)
DEPARTEMENT_OF_A = DEPARTEMENT.format(lead="lo.departement_code", beneficiary="b.departement_code")


def year_of(vendor: str, column: str) -> str:
    if vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS integer)"
    return f"CAST(strftime('%Y', {column}) AS integer)"


def line_delta(row: str, sign: str) -> str:
    return (
        f"SELECT {row}.action_id AS action_id, a.axis_id AS axis_id, x.convention_id AS convention_id, "
        f"{row}.funder_id AS funder_key, {row}.year AS year, {sign}{row}.amount AS planned, "
        f"{sign}(CASE WHEN {row}.funder_id = c.funder_id THEN {row}.amount ELSE 0 END) AS cnsa_planned, "
        f"0 AS spent, 0 AS paid, {DEPARTEMENT_OF_A} AS departement "
        f"FROM actions_action a {ACTION_JOINS} WHERE a.id = {row}.action_id"
    )


def spending_delta(vendor: str, row: str, sign: str) -> str:
    return (
        f"SELECT r.action_id AS action_id, a.axis_id AS axis_id, x.convention_id AS convention_id, "
        f"COALESCE({row}.funder_id, 0) AS funder_key, {year_of(vendor, 'r.period_start')} AS year, "
        f"0 AS planned, 0 AS cnsa_planned, {sign}{row}.amount AS spent, 0 AS paid, "
        f"{DEPARTEMENT_OF_A} AS departement "
        f"FROM actions_progressreport r JOIN actions_action a ON a.id = r.action_id {ACTION_JOINS} "
        f"WHERE r.id = {row}.report_id AND r.status = 'approved'"
    )


def report_delta(vendor: str, row: str, sign: str) -> str:
    """All the spending of one approved report, as it was (OLD) or as it is (NEW)."""
    return (
        f"SELECT {row}.action_id AS action_id, a.axis_id AS axis_id, x.convention_id AS convention_id, "
        f"COALESCE(s.funder_id, 0) AS funder_key, {year_of(vendor, f'{row}.period_start')} AS year, "
        f"0 AS planned, 0 AS cnsa_planned, {sign}s.amount AS spent, 0 AS paid, "
        f"{DEPARTEMENT_OF_A} AS departement "
        f"FROM actions_spending s JOIN actions_action a ON a.id = {row}.action_id {ACTION_JOINS} "
        f"WHERE s.report_id = {row}.id AND {row}.status = 'approved'"
    )


def payment_delta(vendor: str, row: str, sign: str) -> str:
    return (
        f"SELECT NULL AS action_id, NULL AS axis_id, {row}.convention_id AS convention_id, "
        f"c.funder_id AS funder_key, {year_of(vendor, f'{row}.paid_on')} AS year, 0 AS planned, "
        f"0 AS spent, {sign}(CASE WHEN {row}.kind = 'reclaim' THEN -{row}.amount "
        f"ELSE {row}.amount END) AS paid "
        f"FROM conventions_convention c WHERE c.id = {row}.convention_id AND {row}.status = 'paid'"
    )


def action_move_delta(row: str, sign: str) -> str:
    """An action moved to another axis: its totals leave the old axis (and convention)."""
    return (
        f"SELECT t.action_id AS action_id, {row}.axis_id AS axis_id, x.convention_id AS convention_id, "
        f"t.funder_key AS funder_key, t.year AS year, {sign}t.planned AS planned, "
        f"{sign}t.spent AS spent, 0 AS paid FROM {ACTION} t JOIN axes_axis x ON x.id = {row}.axis_id "
        f"WHERE t.action_id = {row}.id"
    )


def axis_move_delta(row: str, sign: str) -> str:
    return (
        f"SELECT NULL AS action_id, t.axis_id AS axis_id, {row}.convention_id AS convention_id, "
        f"t.funder_key AS funder_key, t.year AS year, {sign}t.planned AS planned, "
        f"{sign}t.spent AS spent, 0 AS paid FROM {AXIS} t WHERE t.axis_id = {row}.id"
    )


def funder_move_delta(row: str, sign: str) -> str:
    """A convention changed funder: its payments count under the new one."""
    return (
        f"SELECT NULL AS action_id, NULL AS axis_id, {row}.id AS convention_id, "
        f"{row}.funder_id AS funder_key, t.year AS year, 0 AS planned, 0 AS spent, "
        f"{sign}t.paid AS paid FROM {CONVENTION} t "
        f"WHERE t.convention_id = OLD.id AND t.funder_key = OLD.funder_id"
    )


def _regrouped(sign: str, where: str, **given: str) -> str:
    """Each per-action-funder-year total of the actions `where` selects, signed, with its CNSA
    share and département worked out from `given` columns (the OLD or NEW row of a move) instead
    of the tables'."""
    of = {
        "axis": "a.axis_id",
        "convention": "x.convention_id",
        "beneficiary": "c.beneficiary_id",
        "funder": "c.funder_id",
        "lead": "a.lead_organisation_id",
        "lead_code": "lo.departement_code",
        "beneficiary_code": "b.departement_code",
    } | given
    departement = DEPARTEMENT.format(lead=of["lead_code"], beneficiary=of["beneficiary_code"])
    return (
        f"SELECT t.action_id AS action_id, {of['axis']} AS axis_id, t.funder_key AS funder_key, "
        f"t.year AS year, {sign}t.planned AS planned, "
        f"{sign}(CASE WHEN t.funder_key = {of['funder']} THEN t.planned ELSE 0 END) AS cnsa_planned, "
        f"{sign}t.spent AS spent, {departement} AS departement "
        f"FROM {ACTION} t JOIN actions_action a ON a.id = t.action_id "
        f"JOIN axes_axis x ON x.id = {of['axis']} "
        f"JOIN conventions_convention c ON c.id = {of['convention']} "
        f"JOIN {ORGANISATION} b ON b.id = {of['beneficiary']} "
        f"JOIN {ORGANISATION} lo ON lo.id = {of['lead']} WHERE {where}"
    )


def action_regroup_delta(row: str, sign: str) -> str:
    """An action changed axis (maybe convention) or lead organisation."""
    return _regrouped(
        sign, f"t.action_id = {row}.id", axis=f"{row}.axis_id", lead=f"{row}.lead_organisation_id"
    )


def axis_regroup_delta(row: str, sign: str) -> str:
    """An axis moved to another convention, with its actions."""
    return _regrouped(sign, f"a.axis_id = {row}.id", convention=f"{row}.convention_id")


def convention_regroup_delta(row: str, sign: str) -> str:
    """A convention changed beneficiary (the fallback département) or funder (the CNSA share)."""
    return _regrouped(
        sign,
        f"x.convention_id = {row}.id",
        beneficiary=f"{row}.beneficiary_id",
        funder=f"{row}.funder_id",
    )


def organisation_regroup_delta(row: str, sign: str) -> str:
    """An organisation changed département: the actions it leads, and those of its conventions
    whose lead organisation is another one."""
    codes = {
        f"{alias}_code": f"CASE WHEN {org}.id = {row}.id THEN {row}.departement_code "
        f"ELSE {org}.departement_code END"
        for alias, org in (("lead", "lo"), ("beneficiary", "b"))
    }
    led = _regrouped(sign, f"a.lead_organisation_id = {row}.id", **codes)
    others = f"c.beneficiary_id = {row}.id AND a.lead_organisation_id <> {row}.id"
    return f"{led} UNION ALL {_regrouped(sign, others, **codes)}"
