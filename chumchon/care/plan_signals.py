"""Goals judged from re-assessment and the registry are refreshed when the person's current
result or registry record is saved. Connected in CareConfig.ready(); the receivers import lazily
so that loading models stays free of cycles."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save


def _status_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    from chumchon.care.services.outcomes import goals_refresh_from_status

    goals_refresh_from_status(instance)


def _person_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw") or kwargs.get("created"):
        return
    from chumchon.care.services.outcomes import goals_refresh_from_person

    goals_refresh_from_person(instance)


def connect() -> None:
    post_save.connect(_status_saved, sender="visits.CurrentStatus", dispatch_uid="care_goals_from_status")
    post_save.connect(_person_saved, sender="people.Person", dispatch_uid="care_goals_from_person")
