"""Bounds on free text: what a partner types must fit a page, a report and a database row."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.deconstruct import deconstructible

NARRATIVE_MAX_LENGTH = 10_000
LONG_TEXT_MAX_LENGTH = 5_000
# Lines are bounded too: 10 000 one-letter lines would be 170 pages of a report.
MAX_LINES = 150


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", "\u202f")


def too_long_message(limit: int, length: int) -> str:
    return (
        f"Ce texte ne doit pas dépasser {_thousands(limit)} caractères "
        f"(il en compte {_thousands(length)})."
    )


@deconstructible
class TextLengthValidator(MaxLengthValidator):
    """The standard check with a French message that gives the count, lines bounded too."""

    def __call__(self, value) -> None:
        message = text_problem(value, self.limit_value)
        if message:
            raise ValidationError(message, code="max_length")


def text_problem(value: str | None, limit: int) -> str | None:
    if not value:
        return None
    if len(value) > limit:
        return too_long_message(limit, len(value))
    lines = value.count("\n") + 1
    if lines > MAX_LINES:
        return (
            f"Ce texte ne doit pas dépasser {MAX_LINES} lignes (il en compte {_thousands(lines)})."
        )
    return None


def text_check(*, field: str, value: str, limit: int) -> None:
    """For services that write a text outside full_clean: the same refusal, on its field."""
    message = text_problem(value, limit)
    if message:
        raise ValidationError({field: message})
