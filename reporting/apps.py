import logging

from django.apps import AppConfig

# WeasyPrint logs every layout step at INFO, from its import on: a 40-page report would flood
# the worker's log. Set here, before any module imports weasyprint.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Rapports"
