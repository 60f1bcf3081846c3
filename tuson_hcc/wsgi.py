import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuson_hcc.settings")
application = get_wsgi_application()

# Move what a worker holds for good (Django, the apps, WeasyPrint) out of the cyclic collector's
# walks: otherwise a full collection during a PDF render took 70–130 ms (measured on the receipt).
import weasyprint  # noqa: E402,F401  (loaded now so it is frozen with the rest)
from django.urls import get_resolver  # noqa: E402

from tuson_hcc.documents.rendering import warm_up  # noqa: E402
from tuson_hcc.documents.samples import warm_up_samples  # noqa: E402
from tuson_hcc.workdays.calendar import national_calendars_warm_up  # noqa: E402

# The first receipt after start-up would otherwise load fonts, Pango and the templates (issue 14),
# import every view (the URLconf: exports load openpyxl), the holiday data and WeasyPrint's lazily
# loaded parts; the sample receipt reads nothing from the database.
warm_up()
get_resolver().url_patterns  # noqa: B018 - loading the URLconf imports the views
national_calendars_warm_up()
warm_up_samples()

gc.collect()
gc.freeze()
