from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# How often the worker sends due alert deliveries and escalates overdue alerts.
DELIVERY_EVERY_SECONDS = 15
ESCALATION_EVERY_SECONDS = 60


class CareConfig(AppConfig):
    name = "chumchon.care"
    label = "care"
    verbose_name = _("care and alerts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from chumchon.care import plan_signals
        from chumchon.core import periodic

        plan_signals.connect()

        periodic.register("care.deliveries_send", every_seconds=DELIVERY_EVERY_SECONDS, func=_send_due)
        periodic.register("care.alerts_escalate", every_seconds=ESCALATION_EVERY_SECONDS, func=_escalate_due)


def _send_due() -> object:
    from chumchon.care.services.delivery import deliveries_send_due

    return deliveries_send_due()


def _escalate_due() -> object:
    from chumchon.care.services.escalation import alerts_escalate_due

    return alerts_escalate_due()
