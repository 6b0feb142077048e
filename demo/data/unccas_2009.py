"""CNSA-UNCCAS 2009-2011: 6 000 € per GCSMS project holder."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

from demo.data.specs import ActionSpec, ConventionSpec, HistorySpec

UNCCAS_2009 = ConventionSpec(
    reference="CNSA-UNCCAS-2009-2011",
    title="Convention de partenariat UNCCAS-CNSA 2009-2011",
    beneficiary="UNCCAS",
    start=datetime.date(2009, 1, 1),
    end=datetime.date(2011, 12, 31),
    signed_on=datetime.date(2009, 9, 15),
    illustrative=True,
    objet="Modernisation des services d'aide à domicile publics et mutualisation (2009-2011)",
    history=HistorySpec(
        payments=[
            ("advance", D("153000.00"), datetime.date(2009, 10, 1)),
            ("instalment", D("204000.00"), datetime.date(2010, 10, 1)),
        ],
        reported_years=None,
        spent_share=D("1.00"),
        report_author="unccas.coordinateur",
        final_report_on=datetime.date(2012, 5, 10),
        settled_on=datetime.date(2012, 7, 1),
    ),
    axes=[
        (
            "Structuration du réseau",
            "Renforcer les unions départementales de CCAS/CIAS.",
            [
                ActionSpec(
                    "1.1",
                    "Rôle des unions départementales dans le montage des dossiers",
                    "Appui aux unions départementales",
                    "UNCCAS",
                    D("90000"),
                    D("60000"),
                    [("Unions départementales appuyées", "unions départementales", D("20"))],
                ),
                ActionSpec(
                    "1.2",
                    "Soutien au développement des GCSMS",
                    "6 000 € par porteur de projet et accompagnement méthodologique",
                    "UNCCAS",
                    D("180000"),
                    D("120000"),
                    [
                        ("Porteurs de projet GCSMS aidés (6 000 € chacun)", "porteurs", D("20")),
                        ("Aide forfaitaire par porteur de projet", "€", D("6000")),
                    ],
                ),
            ],
        ),
        (
            "Qualité et professionnalisation",
            "Démarches qualité et certification.",
            [
                ActionSpec(
                    "2.1",
                    "Démarches qualité et certification",
                    "Accompagnement",
                    "UNCCAS",
                    D("90000"),
                    D("60000"),
                    [("Services engagés en certification", "services", D("50"))],
                )
            ],
        ),
        (
            "Gestion des ressources humaines",
            "Faire face aux départs en retraite.",
            [
                ActionSpec(
                    "3.1",
                    "Politiques de gestion des ressources humaines",
                    "Outils GRH",
                    "UNCCAS",
                    D("60000"),
                    D("40000"),
                    [("Services outillés", "services", D("40"))],
                )
            ],
        ),
        (
            "Valorisation des savoir-faire",
            "Contribuer à l'attractivité du secteur.",
            [
                ActionSpec(
                    "4.1",
                    "Valorisation des savoir-faire spécifiques du secteur",
                    "Supports de communication",
                    "UNCCAS",
                    D("45000"),
                    D("30000"),
                    [("Supports diffusés", "supports", D("5"))],
                )
            ],
        ),
        (
            "Diffusion de bonnes pratiques",
            "Appels à expériences.",
            [
                ActionSpec(
                    "5.1",
                    "Diffusion de bonnes pratiques de gestion et d'organisation",
                    "Appels à expériences",
                    "UNCCAS",
                    D("45000"),
                    D("30000"),
                    [("Expériences diffusées", "expériences", D("15"))],
                )
            ],
        ),
    ],
)
