"""Roles and what each may do. Access is denied unless a membership's role grants it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VOLUNTEER = "volunteer", _("village health volunteer")
    CAREGIVER = "caregiver", _("caregiver")
    CARE_MANAGER = "care_manager", _("care manager")
    TAMBON_OFFICER = "tambon_officer", _("tambon officer")
    AGENCY_STAFF = "agency_staff", _("agency staff")
    FUND_COMMITTEE = "fund_committee", _("fund committee member")
    PROVINCIAL_COORDINATOR = "provincial_coordinator", _("provincial coordinator")
    ADMINISTRATOR = "administrator", _("administrator")


class Capability(models.TextChoices):
    VIEW_AGGREGATES = "view_aggregates", _("see counts")
    VIEW_NAMES = "view_names", _("see people by name")
    EDIT_REGISTRY = "edit_registry", _("register and edit people and households")
    VIEW_FULL_ID = "view_full_id", _("see full national ID numbers")
    MANAGE_AREAS = "manage_areas", _("create villages and communities")
    READ_AUDIT = "read_audit", _("read the audit log")
    MANAGE_MEMBERS = "manage_members", _("grant roles")
    VIEW_HEALTH = "view_health", _("see assessments and health data")
    RECORD_VISITS = "record_visits", _("record home visits and assessments")
    VERIFY_RECORDS = "verify_records", _("verify records by a second visit")
    RUN_FORUMS = "run_forums", _("run village forums")
    RECEIVE_ALERTS = "receive_alerts", _("receive alerts")
    MANAGE_INSTRUMENTS = "manage_instruments", _("add assessment instruments")
    MANAGE_NETWORK = "manage_network", _("keep the directory of organisations, services and committees")
    APPROVE_PLANS = "approve_plans", _("approve care plans and the tambon plan")
    LINK_RECORDS = "link_records", _("link imported records, review possible duplicates and merge people")


C = Capability
_FIELD = {C.VIEW_AGGREGATES, C.VIEW_NAMES, C.EDIT_REGISTRY, C.VIEW_HEALTH, C.RECORD_VISITS, C.VERIFY_RECORDS,
          C.RECEIVE_ALERTS}
ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.VOLUNTEER: frozenset(_FIELD),
    Role.CAREGIVER: frozenset(_FIELD),
    Role.CARE_MANAGER: frozenset(_FIELD | {C.VIEW_FULL_ID, C.APPROVE_PLANS}),
    Role.TAMBON_OFFICER: frozenset(_FIELD | {C.VIEW_FULL_ID, C.MANAGE_AREAS, C.READ_AUDIT, C.MANAGE_MEMBERS,
                                                C.RUN_FORUMS, C.MANAGE_NETWORK, C.APPROVE_PLANS,
                                                C.LINK_RECORDS}),
    # Agency staff see what is referred to their organisation (care issue); in the registry, counts.
    Role.AGENCY_STAFF: frozenset({C.VIEW_AGGREGATES}),
    Role.FUND_COMMITTEE: frozenset({C.VIEW_AGGREGATES, C.VIEW_NAMES}),
    Role.PROVINCIAL_COORDINATOR: frozenset({C.VIEW_AGGREGATES}),
    Role.ADMINISTRATOR: frozenset(set(Capability)),
}

# The area level a role is normally granted at (used by the demo and by the membership form).
ROLE_LEVEL: dict[str, str] = {
    Role.VOLUNTEER: "village",
    Role.CAREGIVER: "subdistrict",
    Role.CARE_MANAGER: "subdistrict",
    Role.TAMBON_OFFICER: "subdistrict",
    Role.AGENCY_STAFF: "subdistrict",
    Role.FUND_COMMITTEE: "subdistrict",
    Role.PROVINCIAL_COORDINATOR: "province",
    Role.ADMINISTRATOR: "province",
}
