"""Where the duty apps plug into the shell without the core importing them (STYLE.md).

Each app calls these from its AppConfig.ready():
- `register_nav(label, url_name, icon, roles)`: an entry of the top navigation;
- `register_desk(provider)`: provider(user) → list of DeskItem, its pending work for 工作台;
- `register_search(provider)`: provider(user, query, limit) → list of SearchHit, already
  filtered by office.permissions for that user.
"""

from dataclasses import dataclass, field

_nav = []
_desk = []
_search = []


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    icon: str = "folder"
    roles: frozenset = frozenset()  # empty: everyone with a business role


@dataclass(frozen=True)
class DeskItem:
    app_label: str  # e.g. "收文"
    title: str
    url: str
    due: object = None  # a date, or None
    light: str = "green"  # office.calendar.Light
    state_label: str = ""
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SearchHit:
    app_label: str
    title: str
    url: str
    subtitle: str = ""


def register_nav(label, url_name, icon="folder", roles=()):
    entry = NavEntry(label, url_name, icon, frozenset(roles))
    if entry not in _nav:
        _nav.append(entry)


def register_desk(provider):
    if provider not in _desk:
        _desk.append(provider)


def register_search(provider):
    if provider not in _search:
        _search.append(provider)


def nav_entries():
    return list(_nav)


def desk_providers():
    return list(_desk)


def search_providers():
    return list(_search)
