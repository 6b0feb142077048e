"""The guided set-up's steps: convention → axes → actions → indicators → plan → signature."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Step:
    number: int
    title: str
    url_name: str

    def url(self, pk: int) -> str:
        return reverse(f"backoffice:{self.url_name}", args=[pk])


STEPS = [
    Step(1, "Convention", "convention_edit"),
    Step(2, "Axes", "convention_axes"),
    Step(3, "Actions", "convention_actions"),
    Step(4, "Indicateurs", "convention_indicators"),
    Step(5, "Plan de financement", "plan"),
    Step(6, "Signature", "convention_sign"),
]


def stepper(number: int, pk: int | None) -> dict:
    """What the stepper include shows: this step, the next one, and links to all (once created)."""
    current = STEPS[number - 1]
    following = STEPS[number] if number < len(STEPS) else None
    return {
        "current": current,
        "next": following,
        "next_url": following.url(pk) if following and pk else None,
        "count": len(STEPS),
        "links": [(s, s.url(pk) if pk else None) for s in STEPS],
    }
