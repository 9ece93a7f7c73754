from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "chumchon.visits"
    label = "visits"
    verbose_name = _("visits and assessments")
    default_auto_field = "django.db.models.BigAutoField"
