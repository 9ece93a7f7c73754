"""Care: alerts and their delivery, care plans, referrals, tambon plan. One module per subject."""

from chumchon.care.models.alerts import USER, Alert, AlertEscalation, AlertRecipient, AlertStatus, Severity
from chumchon.care.models.delivery import AlertChannel, ChannelKind, Delivery, DeliveryAttempt, DeliveryStatus
from chumchon.care.models.plans import (
    Action,
    ActionStatus,
    CarePlan,
    Comparison,
    Goal,
    GoalMeasure,
    Outcome,
    OutcomeSource,
    PlanKind,
    PlanReview,
    PlanStatus,
)
from chumchon.care.models.referrals import Referral, ReferralStatus
from chumchon.care.models.tambon_plan import BudgetLine, Dimension, Programme, ProgrammeStatus

__all__ = ["USER", "Action", "ActionStatus", "Alert", "AlertChannel", "AlertEscalation", "AlertRecipient",
           "AlertStatus", "BudgetLine", "CarePlan", "ChannelKind", "Comparison", "Delivery", "DeliveryAttempt",
           "DeliveryStatus", "Dimension", "Goal", "GoalMeasure", "Outcome", "OutcomeSource", "PlanKind",
           "PlanReview", "PlanStatus", "Programme", "ProgrammeStatus", "Referral", "ReferralStatus", "Severity"]
