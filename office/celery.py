"""The Celery application.

Delivery rules (FIELD_NOTES.md, "Reminders and background work"): late acknowledgement, a task
whose worker died is given back to the queue, and every retry is shorter than the broker's
visibility timeout so that a redelivered task never runs beside its own retry.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "office.settings")

app = Celery("office")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
