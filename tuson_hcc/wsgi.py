import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuson_hcc.settings")
application = get_wsgi_application()

# Move what a worker holds for good (Django, the apps, WeasyPrint) out of the cyclic collector's
# walks: otherwise a full collection during a PDF render took 70–130 ms (measured on the receipt).
import weasyprint  # noqa: E402,F401  (loaded now so it is frozen with the rest)

from tuson_hcc.documents.rendering import warm_up  # noqa: E402

# The first receipt after start-up would otherwise load fonts, Pango and the templates (issue 14).
warm_up()

gc.collect()
gc.freeze()
