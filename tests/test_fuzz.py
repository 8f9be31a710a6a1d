"""Fuzzes every operation of the OpenAPI schema with schemathesis: no request answers a 5xx,
and every answer has a status code its operation documents, with the body documented for it
(schemathesis' not_a_server_error, status_code_conformance, response_schema_conformance).

Every operation runs as a buyer's procurement, as a vendor PM and as the administrator, on the
demo data, including the long jobs (`settlements/compute/`, `pdf-zip/`: they answer 202 and
queue their task when the transaction commits, which a test's never does) and the downloads
(PDF, xlsx). It finds 500s, ignored auth and a schema that lies; it does not find cross-vendor
leaks (the explicit two-vendor tests do).
"""

import io
import os
from unittest import mock

import hypothesis
import pytest
import schemathesis
from django.core.cache import cache
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection, transaction
from django.test import override_settings
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from assessment.models import AssessmentTemplate, Indicator
from config.urls import router
from config.wsgi import application
from contracts.models import FrameworkContract
from core.auth import token_create
from core.models import Organization, User
from orders.models import Order
from staffing.models import StaffMember

# Each operation gets, from each user, its schema's examples and 5 generated requests, valid ones
# and ones that break the schema, the same every run: about a minute in all on 2 cores (10 make
# it ~100 s). FUZZ_DEEP=1 makes that 100 and adds schemathesis' coverage phase (every boundary
# and wrong-typed value the schema allows for: ~17,500 requests more, 15 minutes): worth a run by
# hand after changing serializers or filters.
DEEP = os.environ.get("FUZZ_DEEP") == "1"
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20260101,
        "generation": {
            "max-examples": 100 if DEEP else 5,
            "deterministic": True,
            "database": "none",
        },
        "phases": {"coverage": {"enabled": DEEP}},
        # A PDF takes a few hundred ms and depends on the object, not on the request: a few do;
        # a contract's archive renders all its PDFs (seconds): one does.
        "operations": [
            {"include-path-regex": "/pdf/$", "generation": {"max-examples": 3}},
            {"include-path-regex": "/archive/$", "generation": {"max-examples": 1}},
        ],
    }
)

# Loaded when the tests are collected, before the test database exists: the schema touches no
# table, so its one request is kept out of a transaction (ATOMIC_REQUESTS would open one).
with mock.patch.dict(connection.settings_dict, {"ATOMIC_REQUESTS": False}):
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/schema/?format=json", application, config=CONFIG
    )


# The model behind each resource of the API, by its path (`orders` → Order).
MODELS = {prefix: viewset.queryset.model for prefix, viewset, _ in router.registry}
# Fields of bodies and queries (and of their lists' items) that refer to another object.
REFERENCES = {
    "contract": FrameworkContract,
    "order": Order,
    "buyer": Organization,
    "vendor": Organization,
    "organization": Organization,
    "assessment_template": AssessmentTemplate,
    "template": AssessmentTemplate,
    "indicator": Indicator,
    "staff": StaffMember,
    "replaces": StaffMember,
}


def a_demo_id(model, value):
    """A positive id becomes the id of one of the model's objects, so that requests get past
    their 404 or "invalid pk" and reach the rules of the demo's contracts, orders, logs..."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
        if ids:
            return ids[value % len(ids)]
    return value


def point_at_demo_objects(case):
    model = MODELS.get(case.operation.path.removeprefix("/api/v1/").split("/")[0])
    if model is not None and "id" in (case.path_parameters or {}):
        case.path_parameters["id"] = a_demo_id(model, case.path_parameters["id"])
    body = case.body if isinstance(case.body, dict) else {}
    items = [item for value in body.values() if isinstance(value, list) for item in value]
    for data in [case.query or {}, body, *items]:
        if isinstance(data, dict):
            for name in REFERENCES.keys() & data.keys():
                data[name] = a_demo_id(REFERENCES[name], data[name])


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data, loaded once for the module (it takes seconds) and rolled back after it;
    each test runs in a savepoint inside, as usual. Its papers (and what the requests upload)
    are stored in a directory of the module's own: the answer is the directory."""
    media = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield media
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def requests_keep_the_connection():
    """As Django's test client does: a request that ends must not close the connection, which
    holds the test's transaction (the requests here go through the WSGI application)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(request, demo, requests_keep_the_connection, settings):
    """The user's API token. What the requests leave outside the database is the module's
    (uploaded files, beside the demo's papers) or the test's own: the cache where throttling
    and login lockouts count (thousands of requests and failed logins must neither slow the
    fuzzing nor lock out the tests after it)."""
    settings.MEDIA_ROOT = demo
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fuzz"}
    }
    cache.clear()
    settings.API_THROTTLE_RATES = {"user": None, "anon": None, "login": None}
    # Failed logins and new users hash passwords, slowly on purpose at Django's strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = User.objects.get(username=request.param)
    return token_create(user)[1]


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["caigou", "yunqi_pm", "admin"], indirect=True)
@schema.parametrize()
# The examples of one operation share its test's transaction (and the demo data), on purpose.
@hypothesis.settings(suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture])
def test_every_answer_is_one_the_schema_documents(case, token):
    point_at_demo_objects(case)
    # Each request in a savepoint of its own, as the requests of an atomic view are: a view
    # that is not one (auth/token/) may end in an error DRF rolls back (set_rollback), which
    # would otherwise mark the test's whole transaction, not just the request's.
    with transaction.atomic():
        case.call_and_validate(
            headers={"Authorization": f"Token {token}"},
            checks=[not_a_server_error, response_schema_conformance, status_code_conformance],
        )
