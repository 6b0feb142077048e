from django.contrib.admin.apps import AdminConfig


class CnsaAdminConfig(AdminConfig):
    default_site = "config.admin.OfficerAdminSite"
