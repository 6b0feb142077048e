"""Bounds on free text: what a partner types must fit a page, a report and a database row."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.deconstruct import deconstructible

NARRATIVE_MAX_LENGTH = 10_000
LONG_TEXT_MAX_LENGTH = 5_000


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", "\u202f")


def too_long_message(limit: int, length: int) -> str:
    return (
        f"Ce texte ne doit pas dépasser {_thousands(limit)} caractères "
        f"(il en compte {_thousands(length)})."
    )


@deconstructible
class TextLengthValidator(MaxLengthValidator):
    """The standard check with a French message that gives the count."""

    def __call__(self, value) -> None:
        if value is not None and len(value) > self.limit_value:
            raise ValidationError(too_long_message(self.limit_value, len(value)), code="max_length")


def text_check(*, field: str, value: str, limit: int) -> None:
    """For services that write a text outside full_clean: the same refusal, on its field."""
    if len(value or "") > limit:
        raise ValidationError({field: too_long_message(limit, len(value))})
