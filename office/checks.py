"""Start-up checks. WeasyPrint without Debian's libharfbuzz-subset0 silently subsets CJK fonts in
pure Python, 30× slower (FIELD_NOTES.md): warn at start-up when it is missing."""

import ctypes.util

from django.core.checks import Warning, register


def harfbuzz_subset_available():
    return ctypes.util.find_library("harfbuzz-subset") is not None


@register()
def check_harfbuzz_subset(app_configs, **kwargs):
    if harfbuzz_subset_available():
        return []
    return [
        Warning(
            "libharfbuzz-subset0 is not installed: official PDFs will render about 30 times slower.",
            hint="apt-get install libharfbuzz-subset0",
            id="office.W001",
        )
    ]
