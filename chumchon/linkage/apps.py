from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# How often the worker deletes old uploaded lists and error reports.
PRUNE_EVERY_SECONDS = 3600


class LinkageConfig(AppConfig):
    name = "chumchon.linkage"
    label = "linkage"
    verbose_name = _("imports and record linkage")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from chumchon.core import periodic

        periodic.register("linkage.import_files_prune", every_seconds=PRUNE_EVERY_SECONDS, func=_prune)


def _prune() -> object:
    from chumchon.linkage.services.imports import import_files_prune

    return import_files_prune()
