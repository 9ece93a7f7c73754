from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "chumchon.network"
    label = "network"
    verbose_name = _("network of organisations")
    default_auto_field = "django.db.models.BigAutoField"
