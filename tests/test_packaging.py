"""The portal as a wheel, installed (not editable) in a fresh virtual environment: every app
imports from the installed package, as on a worker host that got the wheel alone."""

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from django.apps import apps
from django.conf import settings

IGNORED = shutil.ignore_patterns(
    ".venv", ".git", "media", "build", "*.egg-info", "*.sqlite3", "node_modules", "__pycache__"
)


def test_the_wheel_holds_every_app(tmp_path):
    source = shutil.copytree(settings.BASE_DIR, tmp_path / "source", ignore=IGNORED)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
         "-w", tmp_path / "dist", source],
        check=True,
    )  # fmt: skip
    [wheel] = (tmp_path / "dist").glob("*.whl")
    fresh = tmp_path / "fresh"
    subprocess.run([sys.executable, "-m", "venv", fresh], check=True)
    python = fresh / "bin" / "python"
    # The dependencies are this environment's (read, not installed again); the portal's own
    # code only from the wheel: a .pth line adds a folder without running its .pth files, so
    # this environment's editable install of the portal stays out.
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", wheel], check=True)

    ours = sorted(
        {
            config.name.split(".")[0]
            for config in apps.get_app_configs()
            if Path(config.path).is_relative_to(settings.BASE_DIR)
            and not Path(config.path).is_relative_to(sys.prefix)  # this venv's packages
        }
    )
    imported = subprocess.run(
        [python, "-c", IMPORT_EVERY_APP, *ours],
        cwd=tmp_path,
        env={"DJANGO_SETTINGS_MODULE": "config.settings", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.split() == ours
    assert "kpi" in ours


# Sets Django up (which imports every app and its models), then prints each app named that
# came from site-packages.
IMPORT_EVERY_APP = """
import importlib, sys, sysconfig
import django
django.setup()
for name in sys.argv[1:]:
    if importlib.import_module(name).__file__.startswith(sysconfig.get_paths()["purelib"]):
        print(name)
"""
