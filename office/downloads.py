"""Downloads with Chinese file names (exports, printed documents)."""

from urllib.parse import quote


def content_disposition(filename, *, fallback, inline=False):
    """RFC 6266 with RFC 5987: an ASCII `fallback` for old clients and the UTF-8 name."""
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
