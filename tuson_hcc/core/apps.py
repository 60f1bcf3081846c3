from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tuson_hcc.core"
    label = "core"
    verbose_name = "Cấu hình chung"
