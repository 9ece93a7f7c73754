"""Care writes, one module per subject; import from the module (care.services.alerts, ...)."""

from chumchon.care.services.alerts import (
    alert_acknowledge,
    alert_mark_seen,
    alert_raise,
    alert_recipient_ids,
    alert_resolve,
    alerts_raise_for_assessment,
)
from chumchon.care.services.channels import area_channel_set, my_channels_set
from chumchon.care.services.delivery import deliveries_send_due
from chumchon.care.services.escalation import alerts_escalate_due

__all__ = ["alert_acknowledge", "alert_mark_seen", "alert_raise", "alert_recipient_ids", "alert_resolve",
           "alerts_escalate_due", "alerts_raise_for_assessment", "area_channel_set", "deliveries_send_due",
           "my_channels_set"]
