"""API tokens expire, and their owner lists and revokes them (API and page)."""

from datetime import timedelta

from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import UserFactory

RIGHT = {"password": "secret-pass-1"}


def token_for(user) -> dict:
    answer = APIClient().post("/api/v1/auth/token/", {"username": user.username, **RIGHT})
    assert answer.status_code == 200, answer.content
    return answer.json()


def with_token(text) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {text}")
    return client


def test_a_token_expires_after_its_days(db, settings):
    user = UserFactory(username="erp-client")
    token = token_for(user)
    expiry = timezone.datetime.fromisoformat(token["expiry"])
    assert timedelta(days=89, hours=23) < expiry - timezone.now() <= timedelta(days=90)
    assert with_token(token["token"]).get("/api/v1/contracts/").status_code == 200

    AuthToken.objects.filter(user=user).update(expiry=timezone.now() - timedelta(seconds=1))
    assert with_token(token["token"]).get("/api/v1/contracts/").status_code == 401


def test_the_database_keeps_a_digest_not_the_token(db):
    token = token_for(UserFactory(username="bi-tool"))["token"]
    stored = AuthToken.objects.get()
    assert token not in (stored.digest, stored.token_key)
    assert token.startswith(stored.token_key)


def test_a_user_lists_and_revokes_their_own_tokens(db):
    user, other = UserFactory(username="owner"), UserFactory(username="other")
    first, second = token_for(user)["token"], token_for(user)["token"]
    theirs = token_for(other)["token"]
    client = with_token(first)

    listed = client.get("/api/v1/auth/tokens/").json()
    assert sorted(row["id"] for row in listed) == sorted([first[:15], second[:15]])
    assert all(set(row) == {"id", "created", "expiry"} for row in listed)

    assert client.delete(f"/api/v1/auth/tokens/{theirs[:15]}/").status_code == 404
    assert with_token(theirs).get("/api/v1/contracts/").status_code == 200
    assert client.delete(f"/api/v1/auth/tokens/{second[:15]}/").status_code == 204
    assert with_token(second).get("/api/v1/contracts/").status_code == 401
    assert [row["id"] for row in client.get("/api/v1/auth/tokens/").json()] == [first[:15]]


def test_the_tokens_page_makes_shows_once_and_revokes(client, db):
    user = UserFactory(username="page-owner")
    client.force_login(user)
    page = client.post("/account/tokens/").content.decode()
    token = AuthToken.objects.get(user=user)
    text = page.split('<code class="token-text">')[1].split("</code>")[0]
    assert text.startswith(token.token_key) and len(text) == 64
    assert with_token(text).get("/api/v1/contracts/").status_code == 200

    listing = client.get("/account/tokens/").content.decode()
    assert token.token_key in listing and text not in listing

    other = UserFactory(username="page-other")
    foreign = token_for(other)["token"][:15]
    assert client.post("/account/tokens/", {"revoke": foreign}).status_code == 404
    answer = client.post("/account/tokens/", {"revoke": token.token_key}, follow=True)
    assert "令牌已撤销" in answer.content.decode()
    assert with_token(text).get("/api/v1/contracts/").status_code == 401


def test_a_username_that_cannot_be_stored_is_refused_before_any_login(db):
    """300 characters, or a NUL, were a 500 (django-axes writing the failure, or reading the
    lockout); they are a 400 naming the field, nothing written, and the next login works."""
    from axes.models import AccessAttempt

    user = UserFactory(username="erp-client")
    for username, message in [("a" * 300, "150"), ("erp\x00client", "空字符")]:
        answer = APIClient().post(
            "/api/v1/auth/token/", {"username": username, **RIGHT}, format="json"
        )
        assert answer.status_code == 400
        assert message in answer.json()["username"][0]
    assert not AccessAttempt.objects.exists()
    assert token_for(user)["token"]
