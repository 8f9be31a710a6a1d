"""The API's rows are DRF's own: core.rest.ModelSerializer reads plain attributes directly for
speed, and answers for every object of every list exactly what DRF's to_representation does."""

import pytest
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from config.urls import router
from core.models import User
from core.rest import ModelSerializer


@pytest.mark.django_db
def test_every_lists_rows_equal_drfs_own(demo_users):
    request = APIRequestFactory().get("/")
    request.user = User.objects.get(username="admin")
    compared = 0
    for _prefix, viewset, _basename in router.registry:
        serializer_class = getattr(viewset, "serializer_class", None)
        if serializer_class is None or not issubclass(serializer_class, ModelSerializer):
            continue
        serializer = serializer_class(context={"request": Request(request)})
        for obj in viewset.queryset.model.objects.all():
            drf = serializers.Serializer.to_representation(serializer, obj)
            assert ModelSerializer.to_representation(serializer, obj) == drf, (viewset, obj.pk)
            compared += 1
    assert compared > 100
