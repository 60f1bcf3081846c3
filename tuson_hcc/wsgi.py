import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuson_hcc.settings")
application = get_wsgi_application()

# Move what a worker holds for good (Django, the apps, WeasyPrint) out of the cyclic collector's
# walks: otherwise a full collection during a PDF render took 70–130 ms (measured on the receipt).
import weasyprint  # noqa: E402,F401  (loaded now so it is frozen with the rest)

gc.collect()
gc.freeze()
