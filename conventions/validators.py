from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from stdnum import luhn
from stdnum.fr import siren, siret

LA_POSTE_SIREN = "356000000"


def luhn_ok(digits: str) -> bool:
    return luhn.is_valid(digits)


def siret_is_valid(value: str) -> bool:
    """The official rule (INSEE, and the SCDL validator): 14 digits, the SIRET key and the SIREN
    key both right; La Poste's establishments share one SIREN and use a sum-of-digits rule."""
    return bool(re.fullmatch(r"\d{14}", value or "")) and siret.is_valid(value)


def siren_is_valid(value: str) -> bool:
    return bool(re.fullmatch(r"\d{9}", value or "")) and siren.is_valid(value)


def rna_is_valid(value: str) -> bool:
    return bool(re.fullmatch(r"W\d{9}", value or ""))


def siret_with_keys(stem: str) -> str:
    """A SIRET that passes the official rule, from 8 SIREN digits and 4 NIC digits (demo, tests)."""
    siren_digits = stem[:8] + luhn.calc_check_digit(stem[:8])
    body = siren_digits + stem[8:12]
    return body + luhn.calc_check_digit(body)


def validate_siret(value: str) -> None:
    if not re.fullmatch(r"\d{14}", value or ""):
        raise ValidationError("Le SIRET doit compter exactement 14 chiffres.", code="siret_format")
    if not siren_is_valid(value[:9]) and not value.startswith(LA_POSTE_SIREN):
        raise ValidationError(
            "Ce SIRET n'est pas valide : les 9 premiers chiffres ne forment pas un SIREN valide (clé de contrôle).",
            code="siren_checksum",
        )
    if not siret_is_valid(value):
        raise ValidationError(
            "Ce SIRET n'est pas valide : sa clé de contrôle ne correspond pas.",
            code="siret_checksum",
        )


def validate_rna(value: str) -> None:
    if not rna_is_valid(value):
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
