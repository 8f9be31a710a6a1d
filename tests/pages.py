"""What the page tests share: a browser's session (Django's test client) logged in as a user."""

from django.test import Client


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
