"""Ally champions: everyone finds them; the programme office names them and reads their
participation records; each person has their own record page (empty unless a champion).

``world.mentor`` is a champion of the world's department.
"""

from lms.services.champions import champions
from tests.authz_matrix import ADMINS, SIGNED_IN, Rule

ROWS = [
    Rule("champions.directory", SIGNED_IN),
    Rule("champions.manage", ADMINS),
    Rule("champions.remove", ADMINS, "POST", args={"champion_id": "champion.id"}),
    Rule("champions.my_record", SIGNED_IN),
    Rule("champions.record", ADMINS, args={"user_id": "mentor.id"}),
]


def build_world(world, factories) -> None:
    world.champion = champions.assign(actor=world.admin, user=world.mentor,
                                      department=world.department)
