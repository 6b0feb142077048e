"""A partner's totals by convention, funder or year, from the per-convention table.

A porteur sees every action of the conventions it carries, and the actions it leads in others
(actions.models.actions._action_scope). Its totals are those two parts, apart: the carried
conventions' rows of the per-convention table (a few rows each, paid included), and the per-action
rows of the actions it leads in conventions it does not carry (none, mostly). Summed per group,
they equal the reading through every visible action without reading them.
"""

from __future__ import annotations

from django.db.models import QuerySet

from conventions.access import Scope
from financing.models import ActionTotal, ConventionTotal
from financing.totals_grouping import filtered, grouped_rows, measures_for, merge_rows
from financing.totals_sources import BY_ACTION, BY_CONVENTION, CONVENTION_KEYS, YEAR_FUNDER_KEYS


def carried_conventions_answer(scope: Scope, needs: set[str]) -> bool:
    """A partner that carries conventions, asking by keys the per-convention table holds."""
    return (
        scope.authenticated
        and not scope.is_global
        and bool(scope.porteur_ids)
        and needs <= CONVENTION_KEYS | YEAR_FUNDER_KEYS
    )


def partner_rows(scope: Scope, group_by: list[str], filters: dict, paid: bool) -> list[dict]:
    """Every group's row (one row without keys), in key order, before labels."""
    carried = filtered(
        ConventionTotal.objects.filter(convention__beneficiary_id__in=scope.porteur_ids),
        BY_CONVENTION,
        filters,
    )
    led_elsewhere = filtered(
        ActionTotal.objects.filter(action__lead_organisation_id__in=scope.org_ids).exclude(
            action__axis__convention__beneficiary_id__in=scope.porteur_ids
        ),
        BY_ACTION,
        filters,
    )
    parts = (
        _read(carried, BY_CONVENTION, group_by, paid),
        _read(led_elsewhere, BY_ACTION, group_by, False),
    )
    return merge_rows(group_by, *parts)


def _read(queryset: QuerySet, source, group_by: list[str], paid: bool) -> list[dict]:
    measures = measures_for(source, money=True, paid=paid)
    if not group_by:
        return [queryset.aggregate(**measures)]
    return list(grouped_rows(queryset, source, group_by, measures))
