"""Pages for people and households: thin function views over people/services.py and selectors.py."""

from chumchon.people.views.households import household_detail, household_edit, household_new
from chumchon.people.views.moves import move_households, person_move
from chumchon.people.views.persons import basis_record, basis_withdraw, person_detail
from chumchon.people.views.registration import duplicates, member_new, person_edit, person_new
from chumchon.people.views.search import export, search

__all__ = [
    "basis_record",
    "basis_withdraw",
    "duplicates",
    "export",
    "household_detail",
    "household_edit",
    "household_new",
    "member_new",
    "move_households",
    "person_detail",
    "person_edit",
    "person_move",
    "person_new",
    "search",
]
