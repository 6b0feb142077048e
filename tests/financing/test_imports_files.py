"""Bad files are refused with a French message naming the sheet and cell, and nothing changes."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from actions.models import Indicator
from conventions.models import Amendment
from financing.imports import plan_import
from financing.imports_files import cell_name
from financing.models import FundingLine
from tests.factories import IndicatorFactory, OrganisationFactory
from tests.financing.plan_files import edited, small_convention, template

pytestmark = pytest.mark.django_db
PLAN = "Plan de financement"


@pytest.fixture
def small(cnsa):
    convention = small_convention(cnsa)
    IndicatorFactory(action=convention.axes.get().actions.get(code="1.1"))
    return convention


def _state(convention):
    lines = FundingLine.objects.filter(action__axis__convention=convention)
    convention.refresh_from_db()
    return (
        sorted(lines.values_list("action_id", "funder_id", "year", "amount")),
        sorted(Indicator.objects.values_list("label", "unit", "baseline", "target")),
        (convention.total_cost, convention.cnsa_amount),
        Amendment.objects.count(),
    )


def _refused(convention, upload) -> list[tuple[str, str, str]]:
    before = _state(convention)
    report = plan_import(convention=convention, upload=upload, by=None, dry_run=False)
    assert report.applied is False
    assert _state(convention) == before
    return [(i.sheet, i.cell, i.message) for i in report.issues]


def test_the_template_lists_the_conventions_actions_funders_and_years(small, cnsa):
    sheet = openpyxl.load_workbook(io.BytesIO(template(small)))[PLAN]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]

    assert rows[0] == ["Axe", "Code action", "Action", "Financeur", 2019, 2020]
    assert [r[1] for r in rows[1:]] == ["1.1", "1.1", "1.2", "1.2"]
    assert rows[1][3] == cnsa.name and rows[1][4:] == [1000, None]
    assert sheet["E2"].number_format == '#,##0.00\\ "€"'


def test_a_file_without_the_plan_sheet_is_refused(small):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Feuil1"
    out = io.BytesIO()
    workbook.save(out)

    assert _refused(small, out) == [
        (
            "",
            "",
            "la feuille « Plan de financement » est introuvable (feuilles du fichier : "
            "« Feuil1 »). Partez du modèle téléchargé pour cette convention, sans renommer "
            "ses feuilles.",
        )
    ]


def test_merged_cells_are_refused(small):
    workbook = openpyxl.load_workbook(io.BytesIO(template(small)))
    workbook[PLAN].merge_cells("E2:F2")
    out = io.BytesIO()
    workbook.save(out)

    assert _refused(small, out) == [
        (PLAN, "E2:F2", "cellules fusionnées : défusionnez-les, une valeur par cellule.")
    ]


def test_text_in_an_amount_is_refused(small):
    upload = edited(template(small), PLAN, F3="mille euros", E3=500)

    assert _refused(small, upload) == [
        (
            PLAN,
            "F3",
            "« mille euros » n'est pas un montant : saisissez un nombre, sans texte ni symbole.",
        )
    ]


def test_three_decimals_are_refused(small):
    upload = edited(template(small), PLAN, E4=1234.567)

    assert _refused(small, upload) == [
        (PLAN, "E4", "1234,567 a plus de deux décimales : arrondissez au centime.")
    ]


def test_a_negative_amount_is_refused(small):
    assert _refused(small, edited(template(small), PLAN, E2=-5)) == [
        (PLAN, "E2", "un montant ne peut pas être négatif.")
    ]


def test_an_unknown_action_is_refused(small):
    assert _refused(small, edited(template(small), PLAN, B2="9.9")) == [
        (
            PLAN,
            "B2",
            f"action « 9.9 » inconnue dans la convention {small.reference} (actions : 1.1, 1.2).",
        )
    ]


def test_an_unknown_funder_is_refused_and_a_known_one_is_taken(small):
    OrganisationFactory(name="ARS Auvergne-Rhône-Alpes", kind="cofunder")
    upload = edited(
        template(small),
        PLAN,
        D6="Conseil inconnu",
        B6="1.1",
        E6=10,
        D7="ars auvergne-rhône-alpes",
        B7="1.2",
        E7=20,
    )

    assert _refused(small, upload) == [
        (
            PLAN,
            "D6",
            "financeur « Conseil inconnu » inconnu : enregistrez d'abord l'organisation, puis "
            "reprenez son nom exact.",
        )
    ]


def test_a_year_outside_the_period_is_refused(small):
    upload = edited(template(small), PLAN, G1=2021, G2=100)

    assert _refused(small, upload) == [
        (PLAN, "G1", "l'année 2021 est hors de la période de la convention (2019-2020).")
    ]


def test_a_template_of_another_convention_is_refused(small, cnsa):
    other = small_convention(cnsa)

    assert _refused(small, io.BytesIO(template(other))) == [
        (
            "Convention",
            "B1",
            f"ce fichier est le modèle de la convention « {other.reference} », pas de "
            f"« {small.reference} ».",
        )
    ]


def test_a_file_over_5_mb_is_refused_before_it_is_read(small):
    upload = io.BytesIO(b"PK\x03\x04" + b"\0" * (50 * 1024 * 1024))

    assert _refused(small, upload) == [
        (
            "",
            "",
            "Le fichier dépasse 5 Mo : un plan de financement tient en quelques dizaines de "
            "kilo-octets. Vérifiez que c'est bien le modèle téléchargé pour cette convention.",
        )
    ]


def _bomb(**members: bytes) -> io.BytesIO:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name.replace("__", "/"), data)
    out.seek(0)
    return out


def test_a_zip_bomb_is_refused_from_its_directory(small, monkeypatch):
    bomb = _bomb(xl__workbook_xml=b"", xl__worksheets__sheet1_xml=b"\0" * (200 * 1024 * 1024))
    assert len(bomb.getvalue()) < 1024 * 1024
    opened = []
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: opened.append(1))

    issues = _refused(small, bomb)

    assert issues == [
        (
            "",
            "",
            "Ce fichier est refusé : son archive se décompresse en un volume anormal (fichier "
            "piégé ou corrompu). Enregistrez-le de nouveau depuis votre logiciel.",
        )
    ]
    assert opened == []


def test_too_many_entries_are_refused(small):
    bomb = _bomb(**{f"xl__f{i}": b"x" for i in range(150)}, xl__workbook_xml=b"")

    assert _refused(small, bomb)[0][2].startswith("Ce fichier est refusé : son archive")


def test_a_file_that_is_not_a_spreadsheet_is_refused(small):
    assert _refused(small, io.BytesIO(b"Code action;Financeur\n1.1;CNSA\n"))[0][2].startswith(
        "Ce fichier n'est ni un classeur XLSX ni un classeur ODS"
    )


def test_every_error_of_a_file_is_listed_at_once(small):
    upload = edited(template(small), PLAN, E2="abc", F3=1.001, B4="X")

    cells = [cell for _, cell, _ in _refused(small, upload)]

    assert cells == ["E2", "F3", "B4"]


def test_indicators_are_changed_added_and_checked(small):
    upload = edited(
        template(small), "Indicateurs", F2=12, A3="1.2", C3="Services visités", D3="services", F3=4
    )

    report = plan_import(convention=small, upload=upload, by=None, dry_run=False)

    assert report.issues == [] and report.applied
    assert sorted(Indicator.objects.values_list("label", "target")) == [
        ("Jours d'accompagnement", Decimal("12.00")),
        ("Services visités", Decimal("4.00")),
    ]
    assert [(c.kind, c.action) for c in report.indicators] == [("changed", "1.1"), ("added", "1.2")]


def test_an_indicator_without_unit_is_refused(small):
    upload = edited(template(small), "Indicateurs", A3="1.2", C3="Services visités", F3=4)

    assert _refused(small, upload) == [
        ("Indicateurs", "D3", "indiquez l'unité (60 caractères au plus).")
    ]


def test_on_a_draft_the_convention_figures_follow_the_plan(cnsa):
    draft = small_convention(cnsa, status="draft", signature_date=None)
    upload = edited(template(draft), PLAN, F2=500)

    report = plan_import(convention=draft, upload=upload, by=None, dry_run=False)

    draft.refresh_from_db()
    assert report.applied and not report.amends
    assert (draft.total_cost, draft.cnsa_amount) == (Decimal("4500.00"), Decimal("2500.00"))


def test_cell_names_follow_spreadsheet_letters():
    assert [cell_name(1, 1), cell_name(3, 26), cell_name(10, 27)] == ["A1", "Z3", "AA10"]
