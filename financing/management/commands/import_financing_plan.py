"""python manage.py import_financing_plan FILE --convention REFERENCE [--dry-run]"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from conventions.models import Convention
from core.money import format_euros, format_rate
from financing.imports import Figures, ImportReport, plan_import

KINDS = {"added": "ajoutée", "changed": "modifiée", "removed": "supprimée"}


class Command(BaseCommand):
    help = (
        "Importe le plan de financement et les indicateurs d'une convention depuis son modèle "
        "XLSX ou ODS. --dry-run montre les changements sans rien enregistrer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Classeur .xlsx ou .ods (modèle de la convention).")
        parser.add_argument("--convention", required=True, help="Référence de la convention.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Aperçu : rien n'est enregistré."
        )
        parser.add_argument(
            "--signed-on",
            type=datetime.date.fromisoformat,
            help="Date de l'avenant (AAAA-MM-JJ) quand la convention est signée ; défaut : aujourd'hui.",
        )
        parser.add_argument("--description", default="", help="Objet de l'avenant.")

    def handle(self, *args, **options) -> None:
        convention = Convention.objects.filter(reference=options["convention"]).first()
        if convention is None:
            raise CommandError(f"Convention « {options['convention']} » introuvable.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Fichier « {path} » introuvable.")
        description = options["description"] or f"Plan de financement importé de « {path.name} »."
        with path.open("rb") as upload:
            report = plan_import(
                convention=convention,
                upload=upload,
                by=None,
                dry_run=options["dry_run"],
                signed_on=options["signed_on"],
                description=description,
            )
        for line in report_lines(report):
            self.stdout.write(line)
        if report.issues:
            raise CommandError(f"Fichier refusé : {len(report.issues)} erreur(s), rien n'a changé.")


def report_lines(report: ImportReport) -> list[str]:
    """The report as text, in French, for the command line."""
    out = [f"Convention {report.convention.reference}" + (" — aperçu" if report.dry_run else "")]
    for issue in report.issues:
        out.append(f"ERREUR {str(issue)[0].upper()}{str(issue)[1:]}")
    if report.issues:
        return out
    for line in report.lines:
        out.append(
            f"Ligne {KINDS[line.kind]} ({line.cell}) : action {line.action}, {line.funder}, "
            f"{line.year} : {format_euros(line.before)} → {format_euros(line.after)}"
        )
    for change in report.indicators:
        out.append(f"Indicateur {KINDS[change.kind]} : action {change.action}, {change.label}")
    if not report.has_changes:
        out.append("Aucun changement : le fichier reprend le plan enregistré.")
    out += _figures("Avant", report.before) + _figures("Après", report.after)
    if report.amends:
        out.append("La convention étant signée, les nouveaux montants passent par un avenant.")
    for problem in report.problems:
        out.append(f"À revoir : {problem.place} — {problem.message}")
    if report.applied:
        out.append("Enregistré.")
    elif report.dry_run and report.has_changes:
        out.append("Aperçu seulement : rien n'a été enregistré.")
    return out


def _figures(title: str, figures: Figures | None) -> list[str]:
    if figures is None:
        return []
    return [
        f"{title} : coût global {format_euros(figures.total_cost)}, montant CNSA "
        f"{format_euros(figures.cnsa_amount)}, taux {format_rate(figures.cnsa_rate)} ; plan "
        f"{format_euros(figures.planned)} dont CNSA {format_euros(figures.cnsa_planned)} "
        f"({format_rate(figures.planned_rate)})"
    ]
