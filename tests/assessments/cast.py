"""The fixed cast of users of the assessment tests: one commune, its district, the province."""

from django.contrib.auth.models import User

from thidua.accounts.models import Membership, Role
from thidua.units.models import Unit

PASSWORD = "x-Strong-Pass-1"


def make_user(username, role=None, unit_code=None):
    user = User.objects.create_user(username, password=PASSWORD, first_name=username.title())
    if role:
        unit = Unit.objects.get(code=unit_code) if unit_code else None
        Membership.objects.create(user=user, role=role, unit=unit)
    return user


def make_cast():
    return {
        "editor": make_user("editor", Role.UNIT_EDITOR, "31498"),
        "head": make_user("head", Role.UNIT_HEAD, "31498"),
        "other_editor": make_user("other_editor", Role.UNIT_EDITOR, "31501"),
        "other_head": make_user("other_head", Role.UNIT_HEAD, "31501"),
        "district": make_user("district", Role.DISTRICT_REVIEWER, "941"),
        "other_district": make_user("other_district", Role.DISTRICT_REVIEWER, "943"),
        "province": make_user("province", Role.PROVINCIAL_REVIEWER),
        "awards": make_user("awards", Role.AWARDS_OFFICER),
        "viewer": make_user("viewer", Role.VIEWER),
        "admin": make_user("admin", Role.ADMINISTRATOR),
        "outsider": make_user("outsider"),
    }
