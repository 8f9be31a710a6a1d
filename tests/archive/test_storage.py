"""Where the papers are kept: on disk under MEDIA_ROOT by default; in an S3-compatible bucket
when one is named, its objects private and any link to one signed; boto3 is not needed (nor
imported) unless a bucket is named."""

import json
import os
import subprocess
import sys

from django.conf import settings

SHOW = (
    "import json, sys, django; django.setup(); from django.conf import settings; "
    "print(json.dumps({'default': settings.STORAGES['default'], "
    "'boto3': 'boto3' in sys.modules}))"
)


def storages_with(**environment) -> dict:
    variables = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DOCUMENTS_S3_BUCKET", "AWS_STORAGE_BUCKET_NAME")
    }
    shown = subprocess.run(
        [sys.executable, "-c", SHOW],
        env={**variables, "DJANGO_SETTINGS_MODULE": "config.settings", **environment},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(shown.stdout)


def test_papers_are_kept_on_disk_unless_a_bucket_is_named():
    assert storages_with() == {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "boto3": False,
    }


def test_a_named_bucket_keeps_them_private_and_signs_every_link():
    shown = storages_with(
        DOCUMENTS_S3_BUCKET="portal-documents", DOCUMENTS_S3_ENDPOINT_URL="http://minio:9000"
    )

    assert shown["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert shown["default"]["OPTIONS"] == {
        "bucket_name": "portal-documents",
        "endpoint_url": "http://minio:9000",
        "region_name": None,
        "location": "",
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }
    assert shown["boto3"] is False  # the backend is loaded when a file is first stored


def test_the_usual_bucket_variable_names_one_too():
    shown = storages_with(AWS_STORAGE_BUCKET_NAME="papers")

    assert shown["default"]["OPTIONS"]["bucket_name"] == "papers"
