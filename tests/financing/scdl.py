"""Validation of an SCDL « subventions » file against the vendored official schema: frictionless
for the Table Schema, plus the schema's own custom checks (Validata's `french-siret-value` and
`one-of-required`) with python-stdnum, the official SIRET rule (SIRET key, SIREN key, La Poste)."""

from __future__ import annotations

from typing import Any

import attrs
from frictionless import Check, Checklist, Resource, Schema, errors
from stdnum.fr import siret

from financing.opendata import scdl_schema


class FrenchSiretError(errors.CellError):
    type = "french-siret-value"
    title = "SIRET invalide"
    description = "La valeur n'est pas un SIRET valide (clé du SIRET ou du SIREN)."
    template = "La cellule {cell} de la colonne {fieldName} ligne {rowNumber} : SIRET invalide."


class OneOfRequiredError(errors.RowError):
    type = "one-of-required"
    title = "Une des deux colonnes est requise"
    description = "Au moins une des deux colonnes doit être renseignée."
    template = "Ligne {rowNumber} : {note}"


@attrs.define(kw_only=True, repr=False)
class FrenchSiretValue(Check):
    type = "french-siret-value"
    Errors = [FrenchSiretError]
    column: str

    def validate_row(self, row: Any):
        value = row[self.column]
        if value not in (None, "") and not siret.is_valid(str(value)):
            yield FrenchSiretError.from_row(row, note="SIRET invalide", field_name=self.column)


@attrs.define(kw_only=True, repr=False)
class OneOfRequired(Check):
    type = "one-of-required"
    Errors = [OneOfRequiredError]
    column1: str
    column2: str

    def validate_row(self, row: Any):
        if row[self.column1] in (None, "") and row[self.column2] in (None, ""):
            note = f"{self.column1} ou {self.column2} doit être renseigné."
            yield OneOfRequiredError.from_row(row, note=note)


CUSTOM_CHECKS = {"french-siret-value": FrenchSiretValue, "one-of-required": OneOfRequired}


def _checklist(descriptor: dict[str, Any]) -> Checklist:
    checks = [CUSTOM_CHECKS[c["name"]](**c["params"]) for c in descriptor["custom_checks"]]
    return Checklist(checks=checks)


def scdl_errors(text: str) -> list[str]:
    """Every error the official schema and its custom checks find in this CSV text."""
    descriptor = scdl_schema()
    schema = Schema.from_descriptor(
        {k: v for k, v in descriptor.items() if k in ("fields", "missingValues", "primaryKey")}
    )
    resource = Resource(data=text.encode("utf-8"), format="csv", encoding="utf-8", schema=schema)
    report = resource.validate(_checklist(descriptor))
    return [f"{e.type}: {e.message}" for task in report.tasks for e in task.errors] + [
        f"{e.type}: {e.message}" for e in report.errors
    ]
