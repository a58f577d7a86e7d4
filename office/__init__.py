"""The project package and the shared core of the office system."""

from .celery import app as celery_app

__all__ = ("celery_app",)
