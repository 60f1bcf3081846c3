from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "tuson_hcc.documents"
    label = "documents"
    verbose_name = "Văn bản đã phát hành"

    def ready(self):
        from tuson_hcc.core import registry

        from .signing import seed_demo_signing

        registry.register_seeder(registry.Seeder(name="Chứng thư số demo (ký PAdES)", run=seed_demo_signing, order=5))
