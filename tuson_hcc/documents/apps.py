from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "tuson_hcc.documents"
    label = "documents"
    verbose_name = "Văn bản đã phát hành"
