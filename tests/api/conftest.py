import pytest

from thidua.api import tokens
from thidua.assessments.models import Assessment
from thidua.periods.models import Period
from thidua.units.models import Unit

from ..assessments.cast import make_cast

UNIT = "31498"  # a commune (Phường 5) of district 941; the cast's editor and head work there
OTHER_UNIT = "31501"
# Everyone the API is tried with: the cast, and callers that are not anyone.
ROLES = [
    "editor",
    "head",
    "other_editor",
    "other_head",
    "district",
    "other_district",
    "province",
    "awards",
    "viewer",
    "admin",
    "outsider",
]
NOBODY = ["no_token", "revoked", "malformed", "unknown"]


@pytest.fixture
def cast(units, period):
    return make_cast()


@pytest.fixture
def bearer(cast):
    """role → Authorization header value of a read-write token of that role's user, plus
    the callers that are nobody: no header, a revoked token, a malformed header, a token
    that was never issued."""
    headers = {
        name: "Bearer " + tokens.create_token(user=user, name="test", can_write=True).plaintext
        for name, user in cast.items()
    }
    revoked = tokens.create_token(user=cast["province"], name="old", can_write=True)
    tokens.revoke_token(revoked.token)
    headers["revoked"] = "Bearer " + revoked.plaintext
    headers["malformed"] = "Token abc"
    headers["unknown"] = "Bearer thd_" + "A" * 43
    headers["no_token"] = None
    return headers


class Caller:
    """The test client with an Authorization header."""

    def __init__(self, client, header):
        self.client = client
        self.header = header

    def _kwargs(self, kwargs):
        if self.header:
            kwargs.setdefault("headers", {})["Authorization"] = self.header
        return kwargs

    def get(self, path, **kwargs):
        return self.client.get(path, **self._kwargs(kwargs))

    def put(self, path, data, **kwargs):
        return self.client.put(path, data, content_type="application/json", **self._kwargs(kwargs))

    def post(self, path, data=None, **kwargs):
        return self.client.post(path, data, **self._kwargs(kwargs))


@pytest.fixture
def as_(client, bearer):
    """as_("editor").get(...): a request with that caller's token."""
    return lambda who: Caller(client, bearer[who])


def statuses(as_, callers, request) -> dict:
    """caller → status code of `request(caller)`."""
    return {who: request(as_(who)).status_code for who in callers}


def submit(unit_code=UNIT, period_code="2023"):
    """Put the unit's assessment in the submitted state (how it got there is not the point)."""
    assessment, _ = Assessment.objects.get_or_create(
        period=Period.objects.get(code=period_code), unit=Unit.objects.get(code=unit_code)
    )
    assessment.state = Assessment.State.SUBMITTED
    assessment.save()
    return assessment
