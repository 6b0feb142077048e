"""Periodic tasks of financing: thin, they call one function."""

from __future__ import annotations

import logging

from celery import shared_task

from financing.totals_check import totals_differences

logger = logging.getLogger(__name__)


@shared_task(name="financing.check_totals", ignore_result=True)
def check_totals() -> int:
    """Compare the totals tables to the raw rows; every difference is logged as an error."""
    differences = totals_differences()
    for difference in differences[:100]:
        logger.error("Totaux inexacts : %s", difference)
    if differences:
        logger.error(
            "%d écart(s) entre les totaux et les lignes brutes : lancez `manage.py rebuild_totals`.",
            len(differences),
        )
    return len(differences)
