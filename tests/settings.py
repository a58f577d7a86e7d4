"""The office's settings plus a small duty app that exists only for the tests of the core's
shared machinery (tests/workflow_app)."""

from office.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.workflow_app"]  # noqa: F405
