"""The report's sentences, chosen by the kind of report and the convention's state.

Interim and annual reports of a convention still running never state a balance: its payments are
advances, and a balance computed before the final report would read as money the porteur owes.
They state the spending justified and what the CNSA owes on it; the balance belongs to the final
report and, once the convention is closed, to the closure.
"""

from __future__ import annotations

from decimal import Decimal

from core.money import ZERO, format_euros, format_rate, rate_percent
from reporting.content import MoneyLine, ReportContext
from reporting.models import Report
from reporting.templatetags.report_format import long_date

ADVANCES_NOTE = (
    "Les versements d'une convention en cours sont des avances : le solde n'est établi qu'au "
    "bilan final."
)
CLOSED_ACTION = "Close avec la convention"


def _eur(value: Decimal | None) -> str:
    return format_euros(value, sep=" ")


def _balance_text(balance: Decimal) -> str:
    if balance > 0:
        return f"{_eur(balance)} à verser par la CNSA"
    if balance < 0:
        return f"{_eur(-balance)} à reverser par le porteur"
    return "soldé (0,00 €)"


def action_status(*, status: str, label: str, closed: bool) -> str:
    """A closed convention's actions are closed, whatever their last recorded progress."""
    if closed and status in ("planned", "in_progress"):
        return CLOSED_ACTION
    return label


def money_lines(r: ReportContext) -> list[MoneyLine]:
    s = r.summary
    lines = [
        MoneyLine("Coût global signé", s.total_cost),
        MoneyLine("Montant CNSA signé", s.cnsa_amount),
        MoneyLine("Plan de financement, tous financeurs", s.planned),
        MoneyLine("dont CNSA", s.cnsa_planned),
        MoneyLine("Versé par la CNSA (net des reversements)", s.paid),
        MoneyLine("Dépenses justifiées (comptes rendus approuvés)", s.spent),
        MoneyLine("Part CNSA de ces dépenses (dépenses × taux, plafonnée)", s.owed),
    ]
    if r.is_closed:
        due = max(s.balance, ZERO)
        lines.append(MoneyLine("Solde de clôture", s.balance, _balance_text(s.balance), True))
        lines.append(MoneyLine("Reste à verser (solde calculé)", due))
        released = s.cnsa_amount - s.paid - due
        if released > 0:
            lines.append(
                MoneyLine("Part du montant CNSA non appelée, libérée à la clôture", released)
            )
    elif r.kind == Report.Kind.FINAL:
        lines.append(MoneyLine("Reste à verser sur le montant CNSA", s.remaining))
        lines.append(
            MoneyLine("Solde au vu du bilan final", s.balance, _balance_text(s.balance), True)
        )
    else:
        lines.append(MoneyLine("Reste à verser sur le montant CNSA", s.remaining))
        lines.append(MoneyLine("Solde", None, ADVANCES_NOTE, True))
    return lines


def summary_paragraphs(r: ReportContext) -> list[str]:
    c, s = r.convention, r.summary
    state = {
        "closed": "Elle est clôturée.",
        "signed": "Elle est en cours d'exécution.",
        "draft": "Elle n'est pas encore signée.",
    }[c.status]
    paragraphs = [
        f"La convention {c.reference} lie {c.funder.name} et {c.beneficiary.name} du "
        f"{long_date(c.start_date)} au {long_date(c.end_date)}. Elle prévoit un coût global de "
        f"{_eur(s.total_cost)}, dont {_eur(s.cnsa_amount)} à la charge de la CNSA (taux "
        f"{format_rate(s.cnsa_rate, sep=' ')}). {state}",
        f"Prévu : {r.action_count} action{'s' if r.action_count > 1 else ''} en {len(r.axes)} "
        f"axe{'s' if len(r.axes) > 1 else ''}, pour un plan de financement de "
        f"{_eur(s.planned)} dont {_eur(s.cnsa_planned)} pour la CNSA.",
        f"Dépensé : les comptes rendus approuvés justifient {_eur(s.spent)} de dépenses, soit "
        f"{format_rate(rate_percent(s.spent, s.planned), sep=' ')} du plan ; la part CNSA de "
        f"ces dépenses est de {_eur(s.owed)}.",
        _paid_sentence(r),
        _late_sentence(r),
        _problems_sentence(r),
    ]
    return paragraphs


def _paid_sentence(r: ReportContext) -> str:
    s = r.summary
    paid = (
        f"Versé : la CNSA a versé {_eur(s.paid)}, soit "
        f"{format_rate(rate_percent(s.paid, s.cnsa_amount), sep=' ')} de son montant"
    )
    if r.is_closed:
        return f"{paid}. Solde de clôture : {_balance_text(s.balance)}."
    if r.kind == Report.Kind.FINAL:
        return (
            f"{paid} ; reste à verser selon la convention : {_eur(s.remaining)}. Au vu du bilan "
            f"final, le solde est de {_balance_text(s.balance)}."
        )
    return f"{paid} ; reste à verser selon la convention : {_eur(s.remaining)}. {ADVANCES_NOTE}"


def _late_sentence(r: ReportContext) -> str:
    count = len(r.overdue)
    if not count:
        return "En retard : aucun compte rendu n'est en retard."
    codes = sorted({row.code for row in r.overdue})
    shown = ", ".join(codes[:8]) + (" …" if len(codes) > 8 else "")
    return (
        f"En retard : {count} compte{'s' if count > 1 else ''} rendu{'s' if count > 1 else ''} "
        f"(actions {shown}), détaillés au chapitre « Comptes rendus en retard »."
    )


def _problems_sentence(r: ReportContext) -> str:
    count = len(r.problems)
    if not count:
        return "Cohérence : le plan, les versements et les périodes concordent."
    return (
        f"Cohérence : {count} point{'s' if count > 1 else ''} à examiner, dont « "
        f"{r.problems[0].place} : {r.problems[0].message} »."
    )


def period_label(start, end) -> str:
    """'2016' for a calendar year, else '01/01/2016 – 30/06/2016'."""
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return str(start.year)
    return f"{start:%d/%m/%Y} – {end:%d/%m/%Y}"
