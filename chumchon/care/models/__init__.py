"""Care: alerts and their delivery, care plans, referrals, tambon plan. One module per subject."""

from chumchon.care.models.alerts import USER, Alert, AlertEscalation, AlertRecipient, AlertStatus, Severity
from chumchon.care.models.delivery import AlertChannel, ChannelKind, Delivery, DeliveryAttempt, DeliveryStatus

__all__ = ["USER", "Alert", "AlertChannel", "AlertEscalation", "AlertRecipient", "AlertStatus", "ChannelKind",
           "Delivery", "DeliveryAttempt", "DeliveryStatus", "Severity"]
