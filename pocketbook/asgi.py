"""ASGI entry point: `uvicorn pocketbook.asgi:application`."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pocketbook.settings")
application = get_asgi_application()
