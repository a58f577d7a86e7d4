"""Playwright journeys in Debian's headless Chromium against pytest-django's live server.

Run them with SECURE_SSL_REDIRECT=0: the live server speaks plain HTTP, and with DEBUG off the
settings would redirect every request to HTTPS. Playwright's own browser download is not used;
the journeys launch /usr/bin/chromium.
"""

import os

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a thread
# with a running loop unless told that this is deliberate.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1366, "height": 768}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if settings.SECURE_SSL_REDIRECT:
        raise pytest.UsageError(
            "Browser journeys need plain HTTP: run them with SECURE_SSL_REDIRECT=0."
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, settings):
    """A fresh 1366×768 tab (the office's standard laptop) with its own cookies."""
    # The live server has no TLS, so its cookies cannot be Secure-only.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def patient_expectations():
    """Expectations wait as long as actions do (10 s, above): on a busy machine a step's POST and
    the page after it can take longer than Playwright's default 5 s."""
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)
    yield
    expect.set_options(timeout=5_000)
