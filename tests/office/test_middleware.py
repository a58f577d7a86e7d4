"""Sign-in is required everywhere; idle sessions end; an expired password must be changed."""

import datetime
import time

import pytest
from django.utils import timezone

from office.middleware import ACTIVITY_KEY
from office.models import SecurityPolicy


def age_session(client, seconds):
    session = client.session
    session[ACTIVITY_KEY] = time.time() - seconds
    session.save()


@pytest.mark.django_db
def test_anonymous_users_go_to_login(client):
    response = client.get("/notifications/")
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=")
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_idle_session_ends_after_the_policy_minutes(client, personas):
    client.force_login(personas["secretary"])
    assert client.get("/").status_code == 200
    age_session(client, 31 * 60)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/login/")
    assert "30 分钟未操作" in response.content.decode()
    assert client.get("/").status_code == 302  # really signed out


@pytest.mark.django_db
def test_the_policy_sets_the_idle_time(client, personas):
    policy = SecurityPolicy.current()
    policy.idle_minutes = 60
    policy.save()
    client.force_login(personas["secretary"])
    client.get("/")
    age_session(client, 31 * 60)
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_badge_polling_does_not_keep_an_idle_session_alive(client, personas):
    client.force_login(personas["secretary"])
    client.get("/")
    age_session(client, 29 * 60)
    assert client.get("/notifications/badge/").status_code == 200
    age_session(client, 31 * 60)  # the poll did not renew the last activity
    assert client.get("/notifications/badge/").status_code == 302


@pytest.mark.django_db
def test_expired_password_must_be_changed_first(client, personas):
    user = personas["handler_a"]
    user.password_changed_at = timezone.now() - datetime.timedelta(days=91)
    user.save()
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/password/"
    assert client.get("/password/").status_code == 200
    response = client.post(
        "/password/",
        {
            "old_password": "Demo@2026x",
            "new_password1": "Xin#mima2027",
            "new_password2": "Xin#mima2027",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_password_policy_messages_are_chinese(client, personas):
    client.force_login(personas["handler_a"])
    response = client.post(
        "/password/",
        {"old_password": "Demo@2026x", "new_password1": "abcdefg", "new_password2": "abcdefg"},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "密码至少需要 8 个字符" in text and "至少 3 类" in text


@pytest.mark.django_db
def test_reset_password_must_be_changed_even_without_periodic_change(client, personas):
    from office import services

    policy = SecurityPolicy.current()
    policy.max_age_days = 0
    policy.save()
    temporary = services.user_reset_password(personas["handler_a"], actor=personas["secadmin"])
    response = client.post("/login/", {"username": "chengban_a", "password": temporary})
    assert response.status_code == 302
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/password/"
