import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "otscustoms.settings")
application = get_wsgi_application()

# What is loaded by now (Django, the apps, their modules) lives as long as the process: moved
# out of the garbage collector's generations, a full collection no longer walks it during a
# request.
gc.collect()
gc.freeze()
