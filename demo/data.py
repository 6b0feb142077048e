"""Demo data reproducing the three conventions of the seed documents (the loader is `demo.loader`).

Figures from the texts hold to the cent (UNCCAS 2019-2022: 1 103 953,00 € CNSA; Lyon: 801 500,00 €
total, 427 750,00 € CNSA, 53,37 %). The texts give no split by action, funder or year, nor the total
cost of the UNCCAS conventions: those splits are illustrative, and the conventions say so
(`is_illustrative`). SIRET numbers are illustrative too (valid check digit, not the real ones).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

DEMO_PASSWORD = "demo-cnsa-2026"
# The demo officer is enrolled in two-factor authentication with this published secret (base32
# MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U, hex below) and these recovery codes: demo data, never real.
DEMO_TOTP_KEY_HEX = "6162636465666768696a6b6c6d6e6f7071727374"
DEMO_RECOVERY_CODES = ["demo-secours-1", "demo-secours-2", "demo-secours-3", "demo-secours-4"]
D = Decimal


@dataclass
class ActionSpec:
    code: str
    title: str
    means: str
    lead: str
    cnsa: Decimal
    own: Decimal
    indicators: list[tuple[str, str, Decimal]] = field(default_factory=list)
    description: str = ""


@dataclass
class HistorySpec:
    """What happened after signature: payments, approved yearly reports, final report, balance."""

    payments: list[tuple[str, Decimal, datetime.date]]
    reported_years: range | None  # None: every year of the convention
    spent_share: Decimal  # spending reported, as a share of each action's planned cost
    report_author: str
    final_report_on: datetime.date | None = None
    settled_on: datetime.date | None = None  # balance paid, then the convention is closed


@dataclass
class ConventionSpec:
    reference: str
    title: str
    beneficiary: str
    start: datetime.date
    end: datetime.date
    signed_on: datetime.date
    axes: list[tuple[str, str, list[ActionSpec]]]
    illustrative: bool
    objet: str
    history: HistorySpec


ORGANISATIONS = [
    # name, short name, kind, département, parent
    ("Caisse nationale de solidarité pour l'autonomie", "CNSA", "funder", "", None),
    (
        "Union nationale des centres communaux et intercommunaux d'action sociale",
        "UNCCAS",
        "national_union",
        "",
        None,
    ),
    ("Métropole de Lyon", "Métropole de Lyon", "metropole", "69", None),
    ("Union départementale des CCAS du Rhône", "UDCCAS 69", "departmental_union", "69", "UNCCAS"),
    ("Union départementale des CCAS du Nord", "UDCCAS 59", "departmental_union", "59", "UNCCAS"),
    (
        "Union départementale des CCAS de la Gironde",
        "UDCCAS 33",
        "departmental_union",
        "33",
        "UNCCAS",
    ),
    ("Union départementale des CCAS de l'Isère", "UDCCAS 38", "departmental_union", "38", "UNCCAS"),
    (
        "Union départementale des CCAS de l'Aveyron",
        "UDCCAS 12",
        "departmental_union",
        "12",
        "UNCCAS",
    ),
    (
        "Union départementale des CCAS du Finistère",
        "UDCCAS 29",
        "departmental_union",
        "29",
        "UNCCAS",
    ),
]

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

# Loaded in this order: Lyon, UNCCAS 2019-2022, UNCCAS 2009-2011.
CONVENTIONS = [LYON_2016, UNCCAS_2019, UNCCAS_2009]

DEMO_USERS = [
    # username, organisation short name, role, staff
    ("cnsa.officer", "CNSA", "officer", True),
    ("cnsa.lecteur", "CNSA", "reader", False),
    ("unccas.coordinateur", "UNCCAS", "coordinator", False),
    ("lyon.coordinateur", "Métropole de Lyon", "coordinator", False),
    ("udccas69.contributeur", "UDCCAS 69", "contributor", False),
    ("udccas59.contributeur", "UDCCAS 59", "contributor", False),
]
