from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError

LA_POSTE_SIREN = "356000000"


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        n = int(char)
        if index % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def siret_is_valid(value: str) -> bool:
    if not re.fullmatch(r"\d{14}", value or ""):
        return False
    if value.startswith(LA_POSTE_SIREN):
        # La Poste's establishments share one SIREN; their SIRET digits sum to a multiple of 5.
        return sum(int(c) for c in value) % 5 == 0
    return luhn_ok(value)


def validate_siret(value: str) -> None:
    if not re.fullmatch(r"\d{14}", value or ""):
        raise ValidationError("Le SIRET doit compter exactement 14 chiffres.", code="siret_format")
    if not siret_is_valid(value):
        raise ValidationError(
            "Ce SIRET n'est pas valide : sa clé de contrôle ne correspond pas.",
            code="siret_checksum",
        )


def validate_rna(value: str) -> None:
    if not re.fullmatch(r"W\d{9}", value or ""):
        raise ValidationError("Le numéro RNA s'écrit W suivi de 9 chiffres.", code="rna_format")


def validate_departement_code(value: str) -> None:
    if not re.fullmatch(r"(0[1-9]|[1-8]\d|9[0-5]|2A|2B|97[1-6])", value or ""):
        raise ValidationError(
            "Code de département inconnu (ex. : 01, 2A, 69, 974).", code="departement_code"
        )


EARLIEST_DATE = datetime.date(1990, 1, 1)
LATEST_DATE = datetime.date(2199, 12, 31)


def validate_plausible_date(value: datetime.date) -> None:
    """Conventions are signed from the 1990s on; a date outside this range is a typing error."""
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            "Date invraisemblable : elle doit tomber entre 1990 et 2199.", code="implausible_date"
        )
