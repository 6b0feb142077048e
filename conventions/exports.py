"""The organisations, amendments and API tokens lists as files (the API's `?format=`)."""

from __future__ import annotations

from conventions.models import Organisation
from core.exports import DATE, DATETIME, INTEGER, MONEY, Column

ORGANISATION_COLUMNS = [
    Column("id", "Identifiant", INTEGER),
    Column("name", "Nom"),
    Column("short_name", "Nom court"),
    Column("kind", "Nature", display=lambda code: Organisation.Kind(code).label),
    Column("siret", "SIRET"),
    Column("rna", "Numéro RNA"),
    Column("departement_code", "Département"),
    Column("parent", "Organisation de rattachement (identifiant)", INTEGER),
    Column("email", "Courriel"),
]

AMENDMENT_COLUMNS = [
    Column("id", "Identifiant", INTEGER),
    Column("convention", "Convention (identifiant)", INTEGER),
    Column("number", "Numéro", INTEGER),
    Column("signed_on", "Signé le", DATE),
    Column("description", "Objet"),
    Column("previous_total_cost", "Coût global avant", MONEY, summed=False),
    Column("previous_cnsa_amount", "Montant CNSA avant", MONEY, summed=False),
    Column("previous_end_date", "Fin avant", DATE),
    Column("new_total_cost", "Coût global après", MONEY, summed=False),
    Column("new_cnsa_amount", "Montant CNSA après", MONEY, summed=False),
    Column("new_end_date", "Fin après", DATE),
    Column("created_at", "Enregistré le", DATETIME),
]

TOKEN_COLUMNS = [
    Column("id", "Identifiant", INTEGER),
    Column("name", "Nom"),
    Column("user", "Utilisateur (identifiant)", INTEGER),
    Column("prefix", "Préfixe"),
    Column("created_at", "Créé le", DATETIME),
    Column("last_used_at", "Dernier usage", DATETIME),
    Column("revoked_at", "Révoqué le", DATETIME),
]
