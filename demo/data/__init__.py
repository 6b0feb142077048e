"""Demo data reproducing the three conventions of the seed documents (the loader is `demo.loader`).

Figures from the texts hold to the cent (UNCCAS 2019-2022: 1 103 953,00 € CNSA; Lyon: 801 500,00 €
total, 427 750,00 € CNSA, 53,37 %). The texts give no split by action, funder or year, nor the total
cost of the UNCCAS conventions: those splits are illustrative, and the conventions say so
(`is_illustrative`). SIRET numbers are illustrative too (valid check digit, not the real ones).
"""

from __future__ import annotations

from demo.data.lyon_2016 import LYON_2016
from demo.data.specs import ActionSpec, ConventionSpec, HistorySpec
from demo.data.unccas_2009 import UNCCAS_2009
from demo.data.unccas_2019 import UNCCAS_2019

__all__ = [
    "CONVENTIONS",
    "DEMO_PASSWORD",
    "DEMO_RECOVERY_CODES",
    "DEMO_TOTP_KEY_HEX",
    "DEMO_USERS",
    "ORGANISATIONS",
    "ActionSpec",
    "ConventionSpec",
    "HistorySpec",
]

DEMO_PASSWORD = "demo-cnsa-2026"
# The demo officer is enrolled in two-factor authentication with this published secret (base32
# MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U, hex below) and these recovery codes: demo data, never real.
DEMO_TOTP_KEY_HEX = "6162636465666768696a6b6c6d6e6f7071727374"
DEMO_RECOVERY_CODES = ["demo-secours-1", "demo-secours-2", "demo-secours-3", "demo-secours-4"]

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
