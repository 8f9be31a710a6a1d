from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data from the seed contracts for `make run`; it depends on every other app."""

    name = "demo"
    verbose_name = "Demo data"
