"""Demo data for `manage.py seed_demo`: a believable 珠海市 government office.

Every seeder is a function `seed_<what>(demo)` that receives what the earlier seeders returned
(one dict, e.g. `demo["units"]["education"]`, `demo["users"]["mayor"]`) and returns a dict of
what it made under new keys. A seeder must be idempotent: it looks rows up by their natural keys
(a unit's name, a user's username, a register's number) with `update_or_create`, so running the
command twice leaves the same data.

SEEDERS is the one extension point: each duty app appends the dotted path of its seeder, in the
order in which they depend on each other (documents before meetings before supervision, whose
items link back to both; proposals last). The core never imports a duty app; it only calls the
paths listed here.
"""

from django.db import transaction
from django.utils.module_loading import import_string

# One password for every demo account. It satisfies the default security policy (at least 8
# characters, three of the four character classes); the accounts table prints it.
DEMO_PASSWORD = "Demo@2026"

SEEDERS = [
    "office.seed.core.seed_core",
    "documents.seed.seed_incoming",
    "documents.seed_outgoing.seed_outgoing",
    "meetings.seed.seed_meetings",
    "supervision.seed.seed_supervision",
    "proposals.seed.seed_proposals",
]


def run_seeders(seeders=None):
    """Run the seeders in order inside one transaction and return everything they made."""
    demo = {}
    with transaction.atomic():
        for path in SEEDERS if seeders is None else seeders:
            made = import_string(path)(demo)
            overlap = demo.keys() & made.keys()
            if overlap:
                raise ValueError(f"{path} returned keys already taken: {sorted(overlap)}")
            demo.update(made)
    return demo
