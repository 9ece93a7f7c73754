"""Care: alerts and their delivery, care plans, referrals, tambon plan. One module per subject."""

from chumchon.care.models.alerts import USER, Alert, AlertRecipient, AlertStatus, Severity
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

__all__ = ["USER", "Action", "ActionStatus", "Alert", "AlertRecipient", "AlertStatus", "BudgetLine", "CarePlan",
           "Comparison", "Dimension", "Goal", "GoalMeasure", "Outcome", "OutcomeSource", "PlanKind", "PlanReview",
           "PlanStatus", "Programme", "ProgrammeStatus", "Referral", "ReferralStatus", "Severity"]

from chumchon.care import plan_signals

plan_signals.connect()
