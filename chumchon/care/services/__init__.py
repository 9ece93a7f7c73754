"""Care writes, one module per subject; import from the module (care.services.alerts, ...)."""

from chumchon.care.services.alerts import (
    alert_acknowledge,
    alert_mark_seen,
    alert_raise,
    alert_recipient_ids,
    alert_resolve,
    alerts_raise_for_assessment,
)

__all__ = ["alert_acknowledge", "alert_mark_seen", "alert_raise", "alert_recipient_ids", "alert_resolve",
           "alerts_raise_for_assessment"]
