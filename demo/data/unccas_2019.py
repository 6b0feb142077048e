"""CNSA-UNCCAS 2019-2022: 1 103 953,00 € CNSA; 6 departmental unions lead axis 3."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

from demo.data.specs import ActionSpec, ConventionSpec, HistorySpec

UDCCAS = ["UDCCAS 69", "UDCCAS 59", "UDCCAS 33", "UDCCAS 38", "UDCCAS 12", "UDCCAS 29"]

UNCCAS_2019 = ConventionSpec(
    reference="CNSA-UNCCAS-2019-2022",
    title="Convention 2019-2022 pour la modernisation des services d'aide à domicile gérés par "
    "les CCAS et les CIAS",
    beneficiary="UNCCAS",
    start=datetime.date(2019, 1, 1),
    end=datetime.date(2022, 12, 31),
    signed_on=datetime.date(2019, 7, 15),
    illustrative=True,
    objet="Modernisation des services d'aide à domicile gérés par les CCAS et les CIAS (2019-2022)",
    history=HistorySpec(
        payments=[
            ("advance", D("331185.90"), datetime.date(2019, 9, 2)),
            ("instalment", D("331185.90"), datetime.date(2021, 3, 1)),
        ],
        reported_years=range(2019, 2021),
        spent_share=D("0.90"),
        report_author="unccas.coordinateur",
    ),
    axes=[
        (
            "Structuration de l'offre",
            "Sensibiliser, informer et accompagner les gestionnaires dans leurs démarches de "
            "mutualisation ou de regroupement de services d'aide à domicile au niveau départemental.",
            [
                ActionSpec(
                    "1.1",
                    "Accompagnement à la mutualisation et au regroupement des services",
                    "8 jours d'accompagnement",
                    "UNCCAS",
                    D("96000"),
                    D("64000"),
                    [("Jours d'accompagnement réalisés", "jours", D("8"))],
                )
            ],
        ),
        (
            "Modernisation du secteur",
            "Aider les services à préparer leur évaluation externe ou à s'engager dans une démarche "
            "de certification ; prévenir les risques professionnels.",
            [
                ActionSpec(
                    "2.1",
                    "Préparer l'évaluation externe et la certification",
                    "Outils et accompagnement qualité",
                    "UNCCAS",
                    D("180000"),
                    D("120000"),
                    [("Services accompagnés dans leur démarche qualité", "services", D("60"))],
                ),
                ActionSpec(
                    "2.2",
                    "Prévention des risques professionnels et qualité de vie au travail",
                    "Diagnostics et plans de prévention",
                    "UNCCAS",
                    D("150000"),
                    D("100000"),
                    [("Services dotés d'un plan de prévention", "services", D("40"))],
                ),
            ],
        ),
        (
            "Aide à la professionnalisation du secteur",
            "Permettre à 6 unions départementales de CCAS de piloter des sessions d'analyse des "
            "pratiques et des groupes de parole pour les aides à domicile et les responsables de "
            "secteur.",
            [
                ActionSpec(
                    "3.1",
                    "Coordination nationale de l'analyse des pratiques",
                    "Animation du réseau des unions départementales",
                    "UNCCAS",
                    D("60000"),
                    D("40000"),
                    [("Unions départementales pilotes", "unions départementales", D("6"))],
                )
            ]
            + [
                ActionSpec(
                    f"3.{i + 2}",
                    f"Analyse des pratiques et groupes de parole — {ud}",
                    "Sessions animées par un psychologue",
                    ud,
                    D("75000"),
                    D("50000"),
                    [
                        ("Sessions d'analyse des pratiques", "sessions", D("12")),
                        ("Groupes de parole", "groupes", D("4")),
                    ],
                )
                for i, ud in enumerate(UDCCAS)
            ],
        ),
        (
            "Pilotage de la convention",
            "Assurer le pilotage et le suivi global de la mise en œuvre des actions du programme.",
            [
                ActionSpec(
                    "4.1",
                    "Pilotage et suivi de la convention",
                    "Comités de pilotage, bilans",
                    "UNCCAS",
                    D("167953"),
                    D("81806"),
                    [("Comités de pilotage tenus", "réunions", D("4"))],
                )
            ],
        ),
    ],
)
