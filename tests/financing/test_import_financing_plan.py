"""The command line: a dry run prints every change and saves nothing; errors exit non-zero."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from financing.models import FundingLine
from tests.financing.plan_files import edited, small_convention, template

pytestmark = pytest.mark.django_db


def _file(tmp_path, upload) -> str:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(upload.getvalue())
    return str(path)


def test_a_dry_run_prints_the_changes_and_saves_nothing(cnsa, tmp_path):
    convention = small_convention(cnsa)
    path = _file(tmp_path, edited(template(convention), "Plan de financement", E2=1500))
    out = io.StringIO()

    call_command(
        "import_financing_plan", path, convention=convention.reference, dry_run=True, stdout=out
    )

    text = out.getvalue().replace("\u00a0", " ")
    assert (
        "Ligne modifiée (E2) : action 1.1, Caisse nationale de solidarité pour l'autonomie, 2019 : 1 000,00 € → 1 500,00 €"
        in text
    )
    assert "Après : coût global 4 500,00 €, montant CNSA 2 500,00 €, taux 55,56 %" in text
    assert "passent par un avenant" in text
    assert "Aperçu seulement : rien n'a été enregistré." in text
    assert FundingLine.objects.filter(amount=Decimal("1500.00")).count() == 0


def test_applied_it_saves_and_says_so(cnsa, tmp_path):
    convention = small_convention(cnsa)
    path = _file(tmp_path, edited(template(convention), "Plan de financement", E2=1500))
    out = io.StringIO()

    call_command("import_financing_plan", path, convention=convention.reference, stdout=out)

    assert out.getvalue().rstrip().endswith("Enregistré.")
    assert FundingLine.objects.filter(amount=Decimal("1500.00")).count() == 1
    assert (
        convention.amendments.get().description == "Plan de financement importé de « plan.xlsx »."
    )


def test_a_bad_file_exits_with_its_errors(cnsa, tmp_path):
    convention = small_convention(cnsa)
    path = _file(tmp_path, edited(template(convention), "Plan de financement", E2="beaucoup"))
    out = io.StringIO()

    with pytest.raises(CommandError, match="1 erreur"):
        call_command("import_financing_plan", path, convention=convention.reference, stdout=out)

    assert (
        "ERREUR Feuille « Plan de financement », cellule E2 : « beaucoup » n'est pas un montant"
        in out.getvalue()
    )
    assert not FundingLine.objects.filter(amount=0).exists()


def test_an_unknown_convention_is_named(tmp_path):
    with pytest.raises(CommandError, match="Convention « NOPE » introuvable."):
        call_command("import_financing_plan", str(tmp_path / "x.xlsx"), convention="NOPE")
