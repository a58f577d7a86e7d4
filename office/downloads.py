"""Downloads with Chinese file names (exports, printed documents) and stored files (attachments,
report files, scans, materials), which are never rendered as a page of ours."""

from urllib.parse import quote

from django.http import FileResponse


def content_disposition(filename, *, fallback, inline=False):
    """RFC 6266 with RFC 5987: an ASCII `fallback` for old clients and the UTF-8 name."""
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def stored_file_response(stored, *, inline=False):
    """A stored upload (`file`, `name`, `media_type`) as a download — or inline where the caller
    allows it — with nosniff and a sandboxing CSP, so a crafted file cannot run as our page."""
    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=not inline,
        filename=stored.name,
        content_type=stored.media_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
