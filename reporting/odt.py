"""The report as an editable text document (ODT, odfpy): the same content as the PDF, for officers
who must adapt the wording before the comité de pilotage. Styles are named so that a word processor
builds its table of contents from the headings."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal

from django.conf import settings
from odf.opendocument import OpenDocumentText
from odf.style import (
    ParagraphProperties,
    Style,
    TableCellProperties,
    TextProperties,
)
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import H, P

from core.money import format_euros, format_rate
from core.templatetags.workspace import count_fr
from reporting.content import FunderPlan, ReportContext, overdue_by_action
from reporting.templatetags.report_format import long_date, plain_quantity

BLUE = "#000091"


def _eur(value: Decimal | None) -> str:
    return format_euros(value, sep=" ")


class _Writer:
    def __init__(self) -> None:
        self.doc = OpenDocumentText()
        self.heading = {}
        for level, size in ((1, "22pt"), (2, "15pt"), (3, "12pt"), (4, "10pt")):
            style = Style(name=f"Heading_20_{level}", displayname=f"Heading {level}")
            style.addElement(
                TextProperties(fontsize=size, fontweight="bold", color=BLUE, fontfamily="Marianne")
            )
            style.addElement(ParagraphProperties(margintop="0.3cm", marginbottom="0.15cm"))
            style.setAttribute("family", "paragraph")
            self.doc.styles.addElement(style)
            self.heading[level] = style
        self.body = Style(name="Corps", family="paragraph")
        self.body.addElement(TextProperties(fontsize="10pt"))
        self.body.addElement(ParagraphProperties(marginbottom="0.15cm"))
        self.strong = Style(name="Total", family="paragraph")
        self.strong.addElement(TextProperties(fontsize="9pt", fontweight="bold"))
        self.cell_text = Style(name="Cellule", family="paragraph")
        self.cell_text.addElement(TextProperties(fontsize="9pt"))
        self.cell = Style(name="Case", family="table-cell")
        self.cell.addElement(TableCellProperties(border="0.5pt solid #cccccc", padding="0.05cm"))
        for style in (self.body, self.strong, self.cell_text):
            self.doc.styles.addElement(style)
        self.doc.automaticstyles.addElement(self.cell)

    def h(self, level: int, text: str) -> None:
        self.doc.text.addElement(H(outlinelevel=level, stylename=self.heading[level], text=text))

    def p(self, text: str) -> None:
        for line in text.split("\n"):
            self.doc.text.addElement(P(stylename=self.body, text=line))

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str | list[str]]],
        total: Sequence[str] = (),
    ) -> None:
        """A cell given a list holds one paragraph per item."""
        table = Table()
        table.addElement(TableColumn(numbercolumnsrepeated=len(header)))
        for index, cells in enumerate([header, *rows, *([total] if total else [])]):
            bold = index == 0 or (total and index == len(rows) + 1)
            row = TableRow()
            for value in cells:
                cell = TableCell(stylename=self.cell, valuetype="string")
                for line in value if isinstance(value, list) else [value]:
                    cell.addElement(P(stylename=self.strong if bold else self.cell_text, text=line))
                row.addElement(cell)
            table.addElement(row)
        self.doc.text.addElement(table)

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.write(out)
        return out.getvalue()


def _funders(w: _Writer, r: ReportContext, lines: list[FunderPlan], totals, total) -> None:
    w.table(
        ["Financeur", *map(str, r.years), "Total"],
        [[line.name, *map(_eur, line.by_year), _eur(line.total)] for line in lines],
        ["Total", *map(_eur, totals), _eur(total)],
    )


def report_odt(r: ReportContext) -> bytes:
    c, s, w = r.convention, r.summary, _Writer()
    w.doc.meta.addElement(_title(r.title))
    w.p(f"{c.funder.name} — {c.beneficiary.name}")
    w.p(settings.CNSA_FUND_LABEL)
    w.h(1, r.kind_label)
    w.p(c.title)
    w.table(
        ["Rubrique", "Valeur"],
        [
            ["Référence", c.reference],
            ["Financeur", c.funder.name],
            ["Porteur", c.beneficiary.name],
            [
                "Durée de la convention",
                f"du {long_date(c.start_date)} au {long_date(c.end_date)}",
            ],
            ["Période couverte", f"du {long_date(r.period_start)} au {long_date(r.period_end)}"],
            ["Statut", c.get_status_display()],
            ["Données arrêtées au", long_date(r.generated_on)],
        ],
    )
    w.h(2, "Synthèse")
    for paragraph in r.summary_paragraphs:
        w.p(paragraph)
    w.h(2, "Situation financière")
    w.table(
        ["Rubrique", "Montant"],
        [["Taux de cofinancement CNSA", format_rate(s.cnsa_rate, sep=" ")]]
        + [[line.label, line.note or _eur(line.amount)] for line in r.money_lines],
    )
    w.h(3, "Plan de financement par financeur et par année")
    _funders(w, r, r.plan, r.plan_year_totals, s.planned)
    w.h(3, "Dépenses justifiées par financeur et par année")
    _funders(w, r, r.spending, r.spending_year_totals, r.spending_total)
    w.h(3, "Versements de la CNSA")
    w.table(
        ["Nature", "Date", "Statut", "Montant"],
        [
            [p.kind, f"{p.date:%d/%m/%Y}" if p.date else "—", p.status, _eur(p.amount)]
            for p in r.payments
        ],
        ["Total des versements", "", "", _eur(r.payments_total)],
    )
    w.h(3, "Avenants")
    if r.amendments:
        w.table(
            ["N°", "Signé le", "Objet", "Coût avant", "Coût après", "CNSA avant", "CNSA après"],
            [
                [
                    str(a.number),
                    f"{a.signed_on:%d/%m/%Y}",
                    a.description,
                    _eur(a.previous_total_cost),
                    _eur(a.new_total_cost),
                    _eur(a.previous_cnsa_amount),
                    _eur(a.new_cnsa_amount),
                ]
                for a in r.amendments
            ],
        )
    else:
        w.p("Aucun avenant signé.")
    w.h(2, "Comptes rendus en retard")
    if r.overdue:  # as in the PDF: one row per action, its late reports one per line
        w.p(
            f"{count_fr(len(r.overdue), 'compte rendu,comptes rendus')} en retard au "
            f"{long_date(r.generated_on)} :"
        )
        w.table(
            ["Action", "Pilote", "Comptes rendus attendus"],
            [[f"{o.code} — {o.title}", o.lead, o.labels] for o in overdue_by_action(r.overdue)],
        )
    else:
        w.p(f"Aucun compte rendu en retard au {long_date(r.generated_on)}.")
    _axes(w, r)
    w.h(2, "Visa")
    w.table(
        ["Établi par", "Date", "Visé par (nom, qualité, signature)"],
        [[r.prepared_by, f"{r.generated_on:%d/%m/%Y}", ""]],
    )
    return w.bytes()


def _axes(w: _Writer, r: ReportContext) -> None:
    w.h(2, "Axes et actions")
    for axis in r.axes:
        w.h(3, f"Axe {axis.number} : {axis.title}")
        if axis.objective:
            w.p(axis.objective)
        w.table(
            ["Action", "Pilote · statut", "Prévu", "dont CNSA", "Dépensé", "Taux"],
            [
                [
                    f"{a.code} — {a.title}",
                    f"{a.lead} · {a.status}",
                    _eur(a.planned),
                    _eur(a.cnsa_planned),
                    _eur(a.spent),
                    format_rate(a.spent_rate, sep=" "),
                ]
                for a in axis.actions
            ],
            [
                f"Total de l'axe {axis.number}",
                "",
                _eur(axis.planned),
                _eur(axis.cnsa_planned),
                _eur(axis.spent),
                format_rate(axis.spent_rate, sep=" "),
            ],
        )
        for a in axis.actions:
            w.h(4, f"{a.code} — {a.title}")
            w.p(f"Pilote : {a.lead} · Statut : {a.status}")
            if a.indicators:
                w.table(
                    ["Indicateur", "Départ", "Cible", "Valeurs par période", "Atteint"],
                    [
                        [
                            f"{i.label} ({i.unit})",
                            plain_quantity(i.baseline),
                            plain_quantity(i.target),
                            " · ".join(f"{v.label} : {plain_quantity(v.value)}" for v in i.values)
                            or "non renseigné",
                            format_rate(i.percent, sep=" "),
                        ]
                        for i in a.indicators
                    ],
                )
            if a.narrative:
                w.p(a.narrative.text)
            else:
                w.p("Aucun compte rendu approuvé sur la période.")


def _title(text: str):
    from odf.dc import Title

    return Title(text=text)
