"""Personal API tokens: stored hashed, checked on every request, revoked at once."""

import hashlib
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from thidua.api import tokens
from thidua.api.models import ApiToken

from ..assessments.cast import make_user
from .conftest import NOBODY


@pytest.fixture
def user(db):
    return make_user("someone")


@pytest.mark.django_db
def test_it_stores_only_a_hash_and_a_prefix_of_the_secret(user):
    created = tokens.create_token(user=user, name="reports")
    secret = created.plaintext.removeprefix("thd_")
    assert created.plaintext.startswith("thd_") and len(secret) == 43
    token = ApiToken.objects.get()
    assert token.prefix == secret[:8]
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table}")  # noqa: S608
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert secret not in stored
    assert secret[8:] not in stored


@pytest.mark.django_db
def test_it_accepts_a_valid_token_and_records_its_use(user):
    created = tokens.create_token(user=user, name="reports")
    token = tokens.authenticate(created.plaintext)
    assert token.pk == created.token.pk and token.user == user
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "plaintext",
    ["", "thd_", "abc", "thd_short", "Bearer thd_x", "thd_" + "A" * 43, "xyz_" + "A" * 43],
)
def test_it_refuses_malformed_and_unknown_tokens(user, plaintext):
    tokens.create_token(user=user, name="reports")
    with pytest.raises(tokens.TokenRefused):
        tokens.authenticate(plaintext)


@pytest.mark.django_db
def test_it_refuses_a_token_whose_secret_differs_after_the_prefix(user):
    created = tokens.create_token(user=user, name="reports")
    forged = created.plaintext[:-1] + ("A" if created.plaintext[-1] != "A" else "B")
    with pytest.raises(tokens.TokenRefused, match="không hợp lệ"):
        tokens.authenticate(forged)


@pytest.mark.django_db
def test_it_refuses_a_revoked_token(user):
    created = tokens.create_token(user=user, name="reports")
    tokens.revoke_token(created.token)
    with pytest.raises(tokens.TokenRefused, match="thu hồi"):
        tokens.authenticate(created.plaintext)


@pytest.mark.django_db
def test_it_refuses_the_token_of_a_deactivated_user(user):
    created = tokens.create_token(user=user, name="reports")
    user.is_active = False
    user.save()
    with pytest.raises(tokens.TokenRefused):
        tokens.authenticate(created.plaintext)


@pytest.mark.django_db
def test_it_caps_the_active_tokens_of_a_user(user):
    for index in range(tokens.MAX_ACTIVE_TOKENS):
        tokens.create_token(user=user, name=f"t{index}")
    with pytest.raises(tokens.TokenRefused):
        tokens.create_token(user=user, name="one too many")
    tokens.revoke_token(ApiToken.objects.first())
    tokens.create_token(user=user, name="after revoking one")


@pytest.mark.django_db
def test_a_revoked_token_stops_working_on_the_next_request(client, user):
    created = tokens.create_token(user=user, name="reports")
    headers = {"Authorization": f"Bearer {created.plaintext}"}
    assert client.get("/api/me", headers=headers).status_code == 200
    tokens.revoke_token(created.token)
    response = client.get("/api/me", headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "Mã truy cập đã bị thu hồi"


@pytest.mark.django_db
@pytest.mark.parametrize("who", NOBODY)
def test_callers_without_a_valid_token_get_401_json(as_, who):
    response = as_(who).get("/api/me")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["error"]["code"] == "unauthorized"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "thd_abc", "Bearer a b"]
)
def test_a_malformed_header_is_refused_even_with_a_session(client, user, header):
    client.force_login(user)
    assert client.get("/api/me").status_code == 200
    assert client.get("/api/me", headers={"Authorization": header}).status_code == 401


@pytest.mark.django_db
def test_a_token_acts_as_its_user(client, user):
    created = tokens.create_token(user=user, name="reports", can_write=False)
    response = client.get("/api/me", headers={"Authorization": f"Bearer {created.plaintext}"})
    assert response.json() == {
        "username": "someone",
        "full_name": "Someone",
        "role": None,
        "unit": None,
        "token": {
            "name": "reports",
            "prefix": created.token.prefix,
            "can_write": False,
            "created_at": response.json()["token"]["created_at"],
        },
    }


# -- the tokens page -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_needs_a_login(client):
    response = client.get(reverse("api:tokens"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_it_shows_a_new_secret_once(client, user):
    client.force_login(user)
    response = client.post(reverse("api:tokens"), {"name": "Báo cáo tỉnh", "can_write": "on"})
    assert response.status_code == 200
    plaintext = response.context["created"].plaintext
    assert plaintext in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=user)
    assert token.name == "Báo cáo tỉnh" and token.can_write
    again = client.get(reverse("api:tokens")).content.decode()
    assert plaintext not in again
    assert f"thd_{token.prefix}…" in again
    assert (
        client.get("/api/me", headers={"Authorization": f"Bearer {plaintext}"}).status_code == 200
    )


@pytest.mark.django_db
def test_a_token_without_the_box_ticked_only_reads(client, user):
    client.force_login(user)
    client.post(reverse("api:tokens"), {"name": "read"})
    assert not ApiToken.objects.get().can_write


@pytest.mark.django_db
def test_it_refuses_a_blank_name(client, user):
    client.force_login(user)
    response = client.post(reverse("api:tokens"), {"name": "   "})
    assert response.status_code == 200
    assert response.context["created"] is None
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_the_user_revokes_a_token_and_it_stops_working(client, user):
    created = tokens.create_token(user=user, name="reports")
    client.force_login(user)
    response = client.post(reverse("api:token_revoke", args=[created.token.uuid]))
    assert response.status_code == 302
    assert ApiToken.objects.get().revoked_at is not None
    client.logout()
    headers = {"Authorization": f"Bearer {created.plaintext}"}
    assert client.get("/api/me", headers=headers).status_code == 401


@pytest.mark.django_db
def test_nobody_revokes_another_users_token(client, user):
    created = tokens.create_token(user=user, name="reports")
    client.force_login(make_user("intruder"))
    response = client.post(reverse("api:token_revoke", args=[created.token.uuid]))
    assert response.status_code == 404
    assert ApiToken.objects.get().revoked_at is None


@pytest.mark.django_db
def test_revoking_needs_a_post(client, user):
    created = tokens.create_token(user=user, name="reports")
    client.force_login(user)
    assert client.get(reverse("api:token_revoke", args=[created.token.uuid])).status_code == 405


@pytest.mark.django_db
def test_the_page_lists_only_the_users_own_tokens(client, user):
    tokens.create_token(user=user, name="mine")
    tokens.create_token(user=make_user("other"), name="theirs")
    client.force_login(user)
    assert [t.name for t in client.get(reverse("api:tokens")).context["tokens"]] == ["mine"]


# -- the command -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_prints_a_working_token(client, user):
    out = io.StringIO()
    call_command("create_api_token", "someone", "--name", "ci", stdout=out)
    plaintext = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert token.name == "ci" and token.can_write
    assert (
        client.get("/api/me", headers={"Authorization": f"Bearer {plaintext}"}).status_code == 200
    )


@pytest.mark.django_db
def test_the_command_refuses_an_unknown_user():
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody")
