"""Care: alerts and their delivery, care plans, referrals, tambon plan. One module per subject."""

from chumchon.care.models.alerts import USER, Alert, AlertRecipient, AlertStatus, Severity

__all__ = ["USER", "Alert", "AlertRecipient", "AlertStatus", "Severity"]
