from django.apps import AppConfig


class OfficeConfig(AppConfig):
    name = "office"
    verbose_name = "办公核心"

    def ready(self):
        from . import checks, signals  # noqa: F401  (registers checks and signal receivers)
