"""A JSON body is bounded in depth (core.rest.JSONParser) and size, and is an object where one is
expected, for anyone: 100,000 nested lists were a 500 for an anonymous request (Python's parser
recursed)."""

import io
import json

import pytest
from django.utils import translation
from rest_framework.exceptions import ParseError

from core.rest import MAX_JSON_DEPTH, JSONParser

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def nested(depth):
    return "[" * depth + "]" * depth


def post(api, path, body, user=None):
    return api(user).generic("POST", path, body, content_type="application/json")


@pytest.mark.parametrize("depth", [100_000, MAX_JSON_DEPTH + 1])
def test_deep_json_to_the_token_endpoint_is_a_400(api, depth):
    answer = post(api, "/api/v1/auth/token/", nested(depth))

    assert answer.status_code == 400
    assert answer.json() == {"detail": f"JSON 嵌套超过 {MAX_JSON_DEPTH} 层。"}


def test_deep_json_is_a_400_on_every_resource(api, procurement, vendor_pm):
    body = json.dumps({"name": "x", "lines": json.loads(nested(200))})

    for path, user in (
        ("/api/v1/orders/", procurement),
        ("/api/v1/assessment-templates/", procurement),
        ("/api/v1/worklogs/", vendor_pm),
    ):
        answer = post(api, path, body, user)
        assert answer.status_code == 400, path
        assert "嵌套超过" in answer.json()["detail"]


def test_the_api_s_own_depth_is_well_inside_the_bound():
    body = {"categories": [{"indicators": [{"max": "50"}]}]}
    parse = JSONParser().parse

    assert parse(io.BytesIO(json.dumps(body).encode())) == body
    assert parse(io.BytesIO(nested(MAX_JSON_DEPTH).encode())) == json.loads(nested(MAX_JSON_DEPTH))
    with pytest.raises(ParseError):
        parse(io.BytesIO(json.dumps({"a": json.loads(nested(MAX_JSON_DEPTH))}).encode()))


def test_a_json_body_larger_than_the_upload_limit_is_a_400(api, settings):
    """DRF reads a JSON body through request.body, which Django bounds by
    DATA_UPLOAD_MAX_MEMORY_SIZE: a 400 before anything is parsed, not a 500."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    body = json.dumps({"username": "x" * (1024 * 1024), "password": "y"})

    answer = post(api, "/api/v1/auth/token/", body)

    assert answer.status_code == 400


@pytest.mark.parametrize("body", ["false", "1.5", '"text"', "[]"])
def test_an_update_whose_body_is_no_object_is_a_400(api, procurement, active_contract, body):
    """`false` as the body of a PUT or PATCH of a resource with fields fixed at creation was a
    500 (found by schemathesis' deep run, FUZZ_DEEP=1)."""
    path = f"/api/v1/contracts/{active_contract.pk}/"
    for method in ("PUT", "PATCH"):
        answer = api(procurement).generic(method, path, body, content_type="application/json")
        assert answer.status_code == 400, (method, answer.content)
        assert "字典" in answer.json()["non_field_errors"][0]  # DRF's: "expected a dictionary"
