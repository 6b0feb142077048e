"""The PDF renders whatever partners type: every free text at its bound, 100 actions."""

from __future__ import annotations

import time

import pytest

from actions.models import ProgressReport
from axes.models import Axis
from core.limits import LONG_TEXT_MAX_LENGTH, MAX_LINES, NARRATIVE_MAX_LENGTH, text_problem
from reporting import rendering, selectors
from tests.reporting.builders import generated_convention
from tests.reporting.pdf_text import pdf_text

UNBROKEN = "Z" * NARRATIVE_MAX_LENGTH
LINES = "\n".join(["Une ligne de compte rendu " * 2] * MAX_LINES)[:NARRATIVE_MAX_LENGTH]
PROSE = ("Les séances d'analyse de la pratique ont réuni les aides à domicile. " * 200)[
    :NARRATIVE_MAX_LENGTH
]


@pytest.mark.django_db
def test_a_report_with_every_text_at_its_bound_renders_and_holds_the_text(cnsa, capsys):
    convention = generated_convention(cnsa, actions=100, reference="CNSA-PIRE-CAS")
    reports = list(ProgressReport.objects.filter(action__axis__convention=convention))
    for i, report in enumerate(reports):
        report.narrative = (UNBROKEN, LINES, PROSE)[i % 3]
    ProgressReport.objects.bulk_update(reports, ["narrative"])
    Axis.objects.filter(convention=convention).update(
        objective="O" * LONG_TEXT_MAX_LENGTH, title="T" * 300
    )
    assert all(text_problem(r.narrative, NARRATIVE_MAX_LENGTH) is None for r in reports)

    started = time.monotonic()
    context = selectors.report_context(
        convention_id=convention.pk,
        kind="final",
        period_start=convention.start_date,
        period_end=convention.end_date,
    )
    pdf = rendering.html_to_pdf(rendering.report_html(context))
    elapsed = time.monotonic() - started

    text = pdf_text(pdf).replace("\n", "")
    assert text.count("Z" * 50) >= 30  # the unbroken word wraps and is all there
    assert "d'analyse de la pratique" in text
    with capsys.disabled():
        print(f"\nworst-case report: {elapsed:.1f} s, {len(pdf) // 1024} Kio")
