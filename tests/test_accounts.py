import pytest
from django.urls import reverse

from tests.assessments.cast import PASSWORD, make_user


@pytest.mark.django_db
def test_an_account_is_locked_after_five_failed_logins(client, settings):
    make_user("canbo")
    url = reverse("accounts:login")
    for _ in range(5):
        response = client.post(url, {"username": "canbo", "password": "wrong-password"})
    assert response.status_code in (403, 429)
    assert "khóa" in response.content.decode()

    # Even the right password is refused while locked.
    response = client.post(url, {"username": "canbo", "password": PASSWORD})
    assert response.status_code in (403, 429)
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_correct_login_reaches_the_home_page(client):
    make_user("canbo")
    response = client.post(
        reverse("accounts:login"), {"username": "canbo", "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_a_wrong_password_gets_a_vietnamese_message(client):
    make_user("canbo")
    response = client.post(reverse("accounts:login"), {"username": "canbo", "password": "x"})
    assert response.status_code == 200
    assert "Tên đăng nhập" in response.content.decode() or "mật khẩu" in response.content.decode()


@pytest.mark.django_db
def test_weak_passwords_are_refused_on_change(client):
    user = make_user("canbo")
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.django_db
def test_the_session_user_comes_with_the_membership_in_one_query(
    client, units, django_assert_num_queries
):
    from django.contrib.auth import get_user
    from django.contrib.auth.models import User

    from thidua.accounts.backends import MembershipBackend
    from thidua.accounts.models import Membership, Role
    from thidua.units.models import Unit

    user = User.objects.create_user("canbo", password="x-Strong-Pass-1")
    Membership.objects.create(user=user, role=Role.UNIT_EDITOR, unit=Unit.objects.get(code="31498"))
    backend = MembershipBackend()
    with django_assert_num_queries(1):
        loaded = backend.get_user(user.pk)
        assert (loaded.membership.role, loaded.membership.unit.level.code) == ("unit_editor", "xa")
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert backend.get_user(user.pk) is None
    assert backend.get_user(10**9) is None
    client.force_login(user, backend="thidua.accounts.backends.MembershipBackend")
    assert get_user(client).is_anonymous  # inactive: the session no longer logs in


@pytest.mark.django_db
def test_the_session_is_read_by_one_query_and_an_expired_one_signs_nobody_in(
    client, django_assert_num_queries
):
    import datetime

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from thidua.accounts.sessions import SessionStore

    client.force_login(make_user("canbo"))
    key = client.cookies["sessionid"].value
    with django_assert_num_queries(1):
        store = SessionStore(key)
        assert store["_auth_user_id"]
    assert client.get(reverse("home")).status_code == 200

    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    expired = SessionStore(key)
    assert "_auth_user_id" not in expired
    assert expired.session_key is None  # a new session would get a new key
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
