from django.apps import AppConfig


class LedgersConfig(AppConfig):
    name = "tuson_hcc.ledgers"
    label = "ledgers"
    verbose_name = "Sổ ghi nối tiếp"

    def ready(self):
        from . import checks  # noqa: F401
