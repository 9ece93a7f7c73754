from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "chumchon.care"
    label = "care"
    verbose_name = _("care and alerts")
    default_auto_field = "django.db.models.BigAutoField"
