from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tuson_hcc.accounts"
    label = "accounts"
    verbose_name = "Người dùng và cơ quan"
