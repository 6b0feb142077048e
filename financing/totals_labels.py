"""The labels of the totals rows' ids (conventions, axes, actions, organisations), in one query."""

from __future__ import annotations

from django.db import connection

# Each part yields (key, id, label, kind): kind is an organisation's kind, else ''.
PARTS = {
    "convention": "SELECT 'convention', id, reference || ' — ' || title, '' "
    "FROM conventions_convention WHERE id {ids}",
    "axis": "SELECT 'axis', id, 'Axe ' || number || ' : ' || title, '' FROM axes_axis WHERE id {ids}",
    "action": "SELECT 'action', id, code || ' — ' || title, '' FROM actions_action WHERE id {ids}",
    "funder": "SELECT 'funder', id, COALESCE(NULLIF(short_name, ''), name), kind "
    "FROM conventions_organisation WHERE id {ids}",
    "beneficiary": "SELECT 'beneficiary', id, COALESCE(NULLIF(short_name, ''), name), kind "
    "FROM conventions_organisation WHERE id {ids}",
}


def labels_for(group_by: list[str], rows: list[dict]) -> dict[tuple[str, object], str]:
    """{(key, id): label} for the ids in these rows, plus {("funder_kind", id): kind}."""
    parts, params = [], []
    for key in group_by:
        ids = sorted({row[f"k_{key}"] for row in rows} - {None, 0}) if key in PARTS else []
        if (
            ids and connection.vendor == "postgresql"
        ):  # one array: no thousand placeholders to parse
            parts.append(PARTS[key].format(ids="= ANY(%s)"))
            params.append(ids)
        elif ids:
            parts.append(PARTS[key].format(ids=f"IN ({', '.join(['%s'] * len(ids))})"))
            params += ids
    if not parts:
        return {}
    labels: dict[tuple[str, object], str] = {}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for key, pk, label, kind in cursor.fetchall():
            labels[(key, pk)] = label
            if key == "funder":
                labels[("funder_kind", pk)] = kind
    return labels
