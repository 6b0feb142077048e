"""Métropole de Lyon 2016-2017: 801 500,00 € in all, 427 750,00 € CNSA, 53,37 %."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

from demo.data.specs import ActionSpec, ConventionSpec, HistorySpec

LYON_2016 = ConventionSpec(
    reference="CNSA-METROPOLE-LYON-2016-2017",
    title="Programme de modernisation et de professionnalisation des services d'aide à domicile "
    "de la Métropole de Lyon",
    beneficiary="Métropole de Lyon",
    start=datetime.date(2016, 1, 1),
    end=datetime.date(2017, 12, 31),
    signed_on=datetime.date(2016, 8, 1),
    illustrative=True,
    objet="Modernisation et professionnalisation des services d'aide à domicile (2016-2017)",
    history=HistorySpec(
        payments=[
            ("advance", D("128325.00"), datetime.date(2016, 9, 15)),
            ("instalment", D("171100.00"), datetime.date(2017, 9, 1)),
        ],
        reported_years=None,
        spent_share=D("0.97"),
        report_author="lyon.coordinateur",
        final_report_on=datetime.date(2018, 6, 15),
        settled_on=datetime.date(2018, 9, 1),
    ),
    axes=[
        (
            "Structuration de l'offre de service à domicile",
            "",
            [
                ActionSpec(
                    "1.1",
                    "Structuration de l'offre de service à domicile",
                    "Diagnostic territorial",
                    "Métropole de Lyon",
                    D("60000"),
                    D("55000"),
                    [("Services accompagnés", "services", D("30"))],
                )
            ],
        ),
        (
            "Modernisation de la gestion des services",
            "",
            [
                ActionSpec(
                    "2.1",
                    "Généralisation de la télégestion",
                    "Équipement et formation",
                    "Métropole de Lyon",
                    D("120000"),
                    D("100000"),
                    [("Services équipés en télégestion", "%", D("80"))],
                ),
                ActionSpec(
                    "2.2",
                    "Soutien aux structures en difficulté et appui à la mutualisation",
                    "Accompagnement individualisé",
                    "Métropole de Lyon",
                    D("50000"),
                    D("45000"),
                    [("Structures accompagnées", "structures", D("10"))],
                ),
            ],
        ),
        (
            "Accès aux métiers et professionnalisation",
            "",
            [
                ActionSpec(
                    "3.1",
                    "Parcours intégré pour une insertion durable dans l'aide à domicile",
                    "Expérimentation",
                    "Métropole de Lyon",
                    D("70000"),
                    D("60000"),
                    [("Personnes en parcours", "personnes", D("40"))],
                ),
                ActionSpec(
                    "3.2",
                    "Analyse de la pratique et permanence téléphonique",
                    "Séances et permanence",
                    "Métropole de Lyon",
                    D("30000"),
                    D("25000"),
                    [("Séances d'analyse de la pratique", "séances", D("24"))],
                ),
            ],
        ),
        (
            "Accueil familial",
            "",
            [
                ActionSpec(
                    "4.1",
                    "Formation des accueillants familiaux et groupe de paroles",
                    "Formations initiale et continue",
                    "Métropole de Lyon",
                    D("40000"),
                    D("35000"),
                    [("Accueillants formés", "accueillants", D("50"))],
                )
            ],
        ),
        (
            "Aide aux aidants",
            "",
            [
                ActionSpec(
                    "5.1",
                    "Diagnostic des besoins des aidants et appui en situation de crise",
                    "Diagnostic et relais",
                    "Métropole de Lyon",
                    D("35000"),
                    D("30000"),
                    [("Aidants soutenus", "aidants", D("100"))],
                )
            ],
        ),
        (
            "Pilotage, suivi et animation de la convention",
            "",
            [
                ActionSpec(
                    "6.1",
                    "Pilotage, suivi et animation de la convention",
                    "Comité de pilotage",
                    "Métropole de Lyon",
                    D("22750"),
                    D("23750"),
                    [("Comités de pilotage tenus", "réunions", D("2"))],
                )
            ],
        ),
    ],
)
