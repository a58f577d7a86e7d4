"""The office's one PDF service: every duty prints its 公文, 纪要, 督办单 and 答复函 through it.

A thin wrapper around WeasyPrint (≥ 70, FIELD_NOTES.md "PDFs") that adds, to every render:

- the GB/T 9704-2012 base stylesheet, templates/office/pdf/gbt9704.css (A4 and the
  156 × 225 mm type area of 5.1 and 5.2.1, 22 lines × 28 characters of 三号仿宋 of 5.2.2–5.2.3,
  the header, body and colophon of 7.2–7.4, page numbers of 7.5); print templates extend
  templates/office/pdf/base.html;
- @font-face rules for the official fonts found in settings.OFFICIAL_FONTS_DIR, each family
  falling back to the free Debian fonts named in OFFICIAL_FORMAT.md;
- a deny-by-default URL fetcher: the renderer reads only the font files this service
  referenced, data: URIs and the files the caller allow-lists (a seal image). Nothing that
  user text says — file://, http://, https:// — is ever fetched;
- a cache keyed by content (the final HTML, the stylesheet and the font set-up), so printing
  unchanged content again returns the stored bytes at once;
- background jobs (PdfJob rows with a status a page polls) for long documents.

WeasyPrint is imported on first render, not at import time: it costs about a second.
"""

import base64
import contextlib
import dataclasses
import datetime
import functools
import hashlib
import io
import logging
import mimetypes
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template, render_to_string
from django.utils import timezone

from .models import PdfJob

logger = logging.getLogger(__name__)

STYLESHEET_TEMPLATE = "office/pdf/gbt9704.css"

# Bump when the rendering changes in a way the inputs do not show (the cache key includes it).
RENDERER_REVISION = "1"

MM = 72 / 25.4
TYPE_AREA_WIDTH_PT = 156 * MM  # GB/T 9704 5.2.1


@dataclasses.dataclass(frozen=True)
class FontRole:
    """One official typeface of GB/T 9704 and where to find it.

    `family` is the CSS family name gbt9704.css uses for it; `file_names` are normalised
    file-name stems (lower case, without spaces, "_" or "-") of the licensed font in order of
    preference, matched as substrings; `fallbacks` are the Debian families gbt9704.css lists
    after it, and `weight` is the weight the stylesheet asks for."""

    label: str
    family: str
    file_names: tuple[str, ...]
    fallbacks: tuple[str, ...]
    weight: int = 400


FONT_ROLES = (
    FontRole(
        "小标宋",
        "GB XiaoBiaoSong",
        ("方正小标宋", "小标宋", "fzxiaobiaosong", "xiaobiaosong", "fzxbsjw", "fzxbsk"),
        ("Noto Serif CJK SC",),
        weight=700,
    ),
    FontRole(
        "仿宋_GB2312",
        "GB FangSong",
        ("仿宋gb2312", "fangsonggb2312", "fsgb2312", "仿宋", "fangsong", "simfang"),
        ("FandolFang R", "Noto Serif CJK SC"),
    ),
    FontRole("黑体", "GB HeiTi", ("黑体", "simhei", "heiti"), ("Noto Sans CJK SC",)),
    FontRole(
        "楷体_GB2312",
        "GB KaiTi",
        ("楷体gb2312", "kaitigb2312", "楷体", "kaiti", "simkai"),
        ("AR PL UKai CN", "Noto Serif CJK SC"),
    ),
    FontRole("宋体", "GB SongTi", ("宋体", "simsun", "songti"), ("Noto Serif CJK SC",)),
)

FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc", ".woff", ".woff2")


@dataclasses.dataclass(frozen=True)
class FontSetup:
    """The @font-face rules of one process, the files they reference and a version string that
    changes when any of them, or the installed fallback families, change."""

    css: str
    files: tuple[Path, ...]
    version: str
    report: tuple[str, ...]


def _normalised_stem(path):
    return re.sub(r"[\s_\-]+", "", path.stem).lower()


def find_official_fonts(folder):
    """The licensed font file of each role found in `folder` (searched recursively): a dict of
    role family → resolved Path. Roles without a file are left out."""
    folder = Path(folder)
    if not folder.is_dir():
        return {}
    candidates = sorted(
        path
        for path in folder.rglob("*")
        if path.suffix.lower() in FONT_SUFFIXES and path.is_file()
    )
    found = {}
    for role in FONT_ROLES:
        for wanted in role.file_names:
            match = next((p for p in candidates if wanted in _normalised_stem(p)), None)
            if match is not None:
                found[role.family] = match.resolve()
                break
    return found


@functools.cache
def installed_families():
    """The font families fontconfig knows on this machine (read once per process)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return frozenset()
    result = subprocess.run(  # noqa: S603 - fixed arguments, no user input
        [fc_list, "--format", "%{family}\n"], capture_output=True, text=True, check=False
    )
    families = set()
    for line in result.stdout.splitlines():
        families.update(name.strip() for name in line.split(","))
    return frozenset(families)


@functools.cache
def _font_setup_for(fonts_dir):
    found = find_official_fonts(fonts_dir) if fonts_dir else {}
    families = installed_families()
    rules, report, signature = [], [], [RENDERER_REVISION]
    for role in FONT_ROLES:
        path = found.get(role.family)
        if path is not None:
            stat = path.stat()
            rules.append(
                "@font-face { "
                f'font-family: "{role.family}"; '
                f'src: url("{path.as_uri()}"); '
                f"font-weight: {role.weight}; "
                "}"
            )
            report.append(f"{role.label}: {path}")
            signature.append(f"{role.family}={path}:{stat.st_size}:{stat.st_mtime_ns}")
            continue
        substitute = next((name for name in role.fallbacks if name in families), None)
        if substitute is None:
            logger.warning(
                "No font for %s: install fonts-noto-cjk / fonts-arphic-ukai (OFFICIAL_FORMAT.md).",
                role.label,
            )
        report.append(f"{role.label}: {substitute or '（缺失）'}")
        signature.append(f"{role.family}->{substitute}")
    css = "\n".join(rules)
    version = hashlib.sha256("\n".join([*signature, css]).encode()).hexdigest()[:16]
    files = tuple(found[role.family] for role in FONT_ROLES if role.family in found)
    return FontSetup(css=css, files=files, version=version, report=tuple(report))


def font_setup():
    """The font set-up for the current settings.OFFICIAL_FONTS_DIR (built once per folder;
    restart the workers after adding fonts)."""
    return _font_setup_for(str(settings.OFFICIAL_FONTS_DIR or ""))


def authority_mark_size(text):
    """GB/T 9704 7.2.4: the 发文机关标志 is sized to look solemn but never wider than the type
    area. The largest of 初号 (42 pt), 小初 (36 pt), 一号 (26 pt) and 小一 (24 pt) that fits, or
    a smaller size that just fits for very long joint marks; as a CSS length."""
    characters = max(len(text), 1)
    for size in (42, 36, 26, 24):
        if characters * size <= TYPE_AREA_WIDTH_PT:
            return f"{size}pt"
    return f"{TYPE_AREA_WIDTH_PT / characters:.1f}pt"


def letter_mark(unit):
    """信函格式 (GB/T 9704 10.1): the authority's name alone — its header text without 「文件」
    (「珠海市教育局」 for 「珠海市教育局文件」), or its name; "" without a unit."""
    if unit is None:
        return ""
    return (unit.header_text or unit.name).removesuffix("文件") or unit.name


# --- QR codes on prints (督办单, 答复函, 征询意见表) ----------------------------------------------

QR_SCALE = 4  # pixels per module in the embedded PNG; the template sets the printed size
QR_BORDER = 2  # quiet zone, in modules


def qr_png(url):
    """The segno QR code of `url` (error correction M, as the meetings' sign-in code) as PNG
    bytes: QR_SCALE pixels per module, a QR_BORDER-module quiet zone."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=QR_SCALE, border=QR_BORDER)
    return buffer.getvalue()


def qr_data_uri(url):
    """The QR code of `url` as a data: URI — the only kind of image the renderer fetches without
    an allow-list."""
    return "data:image/png;base64," + base64.b64encode(qr_png(url)).decode("ascii")


# --- The URL fetcher: deny by default (FIELD_NOTES.md, "PDFs") --------------------------------


class RefusedURL(ValueError):
    """Raised for every URL the PDF service will not fetch. WeasyPrint logs it and skips the
    image, stylesheet or font that asked for it."""


def _resolved(path):
    return os.path.realpath(os.fspath(path))


def allowed_path(url, allowed_files):
    """The local path `url` may be read from, or RefusedURL.

    Only file: URLs naming one of `allowed_files` exactly (after resolving symlinks and "..")
    are allowed; data: URIs are handled by the fetcher itself; everything else is refused."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file":
        raise RefusedURL(f"PDF 渲染不读取外部地址：{url[:200]}")
    if parts.netloc not in ("", "localhost"):
        raise RefusedURL(f"PDF 渲染不读取远程文件：{url[:200]}")
    path = _resolved(url2pathname(unquote(parts.path)))
    if path not in {_resolved(p) for p in allowed_files}:
        raise RefusedURL(f"PDF 渲染只读取登记过的文件：{url[:200]}")
    return path


@functools.cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class OfficeURLFetcher(URLFetcher):
        """WeasyPrint 70's fetcher API: a URLFetcher subclass whose fetch() returns a
        URLFetcherResponse or raises (WeasyPrint then logs and skips the resource)."""

        def __init__(self, *, allowed_files=()):
            super().__init__(timeout=5, allowed_protocols={"data", "file"}, allow_redirects=False)
            self.allowed_files = frozenset(_resolved(p) for p in allowed_files)

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            try:
                path = allowed_path(url, self.allowed_files)
            except RefusedURL:
                logger.warning("PDF fetcher refused %s", url[:200])
                raise
            content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(
                Path(path).as_uri(), open(path, "rb"), {"Content-Type": content_type}
            )

    return OfficeURLFetcher


def url_fetcher(*, allowed_files=()):
    """A fetcher for one render: data: URIs, the official font files and `allowed_files`."""
    files = (*font_setup().files, *allowed_files)
    return _fetcher_class()(allowed_files=files)


# --- The content cache -------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Rendered:
    """A rendered PDF, its page count (None for a cached PDF without its .pages note) and
    whether it came from the cache."""

    pdf: bytes
    pages: int | None
    cached: bool = False


def _cache_key(html, stylesheet, fonts, allowed_files):
    digest = hashlib.sha256()
    for part in (html, "\0", stylesheet, "\0", fonts.version):
        digest.update(part.encode())
    for path in sorted(_resolved(p) for p in allowed_files):
        try:
            stat = os.stat(path)
        except OSError:
            stat = None
        stamp = f"{stat.st_size}:{stat.st_mtime_ns}" if stat else "missing"
        digest.update(f"\0{path}:{stamp}".encode())
    return digest.hexdigest()


def _cache_paths(key):
    folder = Path(settings.PDF_CACHE_DIR)
    return folder / f"{key}.pdf", folder / f"{key}.pages"


def _write_atomically(path, data):
    """Write to a temporary file in the same folder and rename it into place, so a reader never
    sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _cache_read(key):
    pdf_path, pages_path = _cache_paths(key)
    try:
        pdf = pdf_path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        pages = int(pages_path.read_text())
    except (OSError, ValueError):
        pages = None
    return Rendered(pdf=pdf, pages=pages, cached=True)


def prune_cache(*, max_age=datetime.timedelta(days=30)):
    """Delete cached PDFs not written for `max_age` (and stray temporary files); returns how
    many PDFs went. For a periodic task: the cache otherwise grows with every distinct print."""
    folder = Path(settings.PDF_CACHE_DIR)
    if not folder.is_dir():
        return 0
    cutoff = time.time() - max_age.total_seconds()
    removed = 0
    for path in folder.iterdir():
        if path.suffix not in (".pdf", ".pages", ".tmp"):
            continue
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += path.suffix == ".pdf"
        except FileNotFoundError:
            continue  # another worker pruned it first
    return removed


def _cache_write(key, rendered):
    pdf_path, pages_path = _cache_paths(key)
    try:
        _write_atomically(pages_path, str(rendered.pages).encode())
        _write_atomically(pdf_path, rendered.pdf)
    except OSError:
        logger.exception("Could not store a rendered PDF in %s", pdf_path.parent)


# --- Rendering ---------------------------------------------------------------------------------


# One font configuration per process keeps the fonts loaded between renders; WeasyPrint is not
# thread-safe with a shared one, so renders in one process take turns (they are CPU-bound anyway).
_render_lock = threading.Lock()
_font_configs = {}
_harfbuzz_checked = False


def _check_harfbuzz_once():
    global _harfbuzz_checked
    if _harfbuzz_checked:
        return
    _harfbuzz_checked = True
    from .checks import harfbuzz_subset_available

    if not harfbuzz_subset_available():
        logger.warning(
            "libharfbuzz-subset0 is missing: PDFs render about 30 times slower "
            "(apt-get install libharfbuzz-subset0)."
        )


def base_stylesheet():
    """The GB/T 9704 stylesheet's text (templates/office/pdf/gbt9704.css), through the template
    loaders (cached in production, re-read in development)."""
    return render_to_string(STYLESHEET_TEMPLATE)


# Decoded and re-encoded images (the seal: its PNG's alpha split off and compressed) kept between
# renders: a sealed print cost about 0.15 s more than an unsealed one without them. One cache per
# set of allowed files and file contents: WeasyPrint looks an image up by its URL before asking
# the fetcher, so a shared cache would hand a render an image it was not allowed to fetch, or an
# old image after the file changed. A few seals per installation; dropped past the limit.
_image_caches = {}
IMAGE_CACHE_LIMIT = 32


def _image_cache_for(allowed_files):
    key = []
    for name in sorted(str(_resolved(f)) for f in allowed_files):
        try:
            stat = os.stat(name)
        except OSError:
            return {}  # a missing file: nothing to reuse, and the fetcher will refuse it
        key.append((name, stat.st_mtime_ns, stat.st_size))
    if len(_image_caches) > IMAGE_CACHE_LIMIT:
        _image_caches.clear()
    return _image_caches.setdefault(tuple(key), {})


def _weasyprint_render(html, stylesheet, fonts, allowed_files):
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    _check_harfbuzz_once()
    fetcher = url_fetcher(allowed_files=allowed_files)
    with _render_lock:
        font_config = _font_configs.get(fonts.version)
        if font_config is None:
            font_config = _font_configs[fonts.version] = FontConfiguration()
        css = CSS(string=f"{fonts.css}\n{stylesheet}", url_fetcher=fetcher, font_config=font_config)
        images = _image_cache_for(allowed_files)
        document = HTML(string=html, url_fetcher=fetcher).render(
            stylesheets=[css], font_config=font_config, cache=images
        )
        pdf = document.write_pdf()
    return Rendered(pdf=pdf, pages=len(document.pages))


class PageTally:
    """The pages of the PDFs rendered in one thread inside `tally_pages()`; `complete` turns
    False when a cached PDF came without its page count."""

    def __init__(self):
        self.pages = 0
        self.complete = True

    def add(self, rendered):
        if rendered.pages is None:
            self.complete = False
        else:
            self.pages += rendered.pages


_tallies = threading.local()


@contextlib.contextmanager
def tally_pages():
    """Count the pages of every PDF this thread renders inside the block: a batch job's page
    total when the duty's print function (e.g. documents.outgoing_print.render_outgoing) returns
    only the bytes. Tallies nest; each counts what was rendered inside it."""
    tally = PageTally()
    outer = getattr(_tallies, "active", ())
    _tallies.active = (*outer, tally)
    try:
        yield tally
    finally:
        _tallies.active = outer


def _tally(rendered):
    for tally in getattr(_tallies, "active", ()):
        tally.add(rendered)
    return rendered


def render_html(html, *, allowed_files=()):
    """HTML → PDF with the GB/T 9704 stylesheet, through the cache: a Rendered(pdf, pages,
    cached). `allowed_files` are local files the HTML may use (a seal image's path)."""
    stylesheet = base_stylesheet()
    fonts = font_setup()
    key = _cache_key(html, stylesheet, fonts, allowed_files)
    cached = _cache_read(key)
    if cached is not None:
        return _tally(cached)
    rendered = _weasyprint_render(html, stylesheet, fonts, allowed_files)
    _cache_write(key, rendered)
    return _tally(rendered)


def html_to_pdf(html, *, allowed_files=()) -> bytes:
    """The PDF of `html` laid out by GB/T 9704 (see render_html)."""
    return render_html(html, allowed_files=allowed_files).pdf


def render_pdf(template_name, context, *, request=None, allowed_files=()) -> bytes:
    """Render a print template (one that extends office/pdf/base.html) with `context` and return
    the PDF. Django escapes the context, and the fetcher refuses what escaping would not: user
    text can never make the renderer read a file or a URL."""
    html = render_to_string(template_name, context, request=request)
    return render_html(html, allowed_files=allowed_files).pdf


# --- Background jobs ---------------------------------------------------------------------------


def start_job(*, title, template_name, context, user) -> PdfJob:
    """Create a PdfJob and queue its rendering once the surrounding transaction commits (a job
    is never queued for a row that does not exist). `context` must be JSON: it is stored on the
    row and rendered by the worker."""
    from .tasks import render_pdf_job

    get_template(template_name)  # a wrong name fails here, not in the worker
    with transaction.atomic():
        job = PdfJob.objects.create(
            title=title, template_name=template_name, context=context, requested_by=user
        )
        job_id = str(job.pk)
        transaction.on_commit(lambda: render_pdf_job.delay(job_id))
    return job


def _friendly_error(exc):
    if isinstance(exc, TemplateDoesNotExist):
        return f"找不到打印模板“{exc}”，请联系系统管理员。"
    if isinstance(exc, TemplateSyntaxError):
        return f"打印模板有错误，请联系系统管理员：{exc}"
    return f"生成 PDF 时出错（{type(exc).__name__}），请稍后重试或联系系统管理员。"


def job_progress(job, done):
    """Store how far a long job (batch print, ledger export) has come: a short UPDATE of its own
    (the task runs outside a transaction), so the polling page sees it at once."""
    PdfJob.objects.filter(pk=job.pk).update(done=done)
    job.done = done


def finish_job(job, *, status, last_error="", fields=()):
    """Mark `job` READY or FAILED (with a message the requester can read), saving `fields` with
    it; the job's final status."""
    job.status = status
    job.last_error = last_error
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "last_error", "finished_at", *fields])
    return job.status


def run_job(job):
    """Render `job` (the task has marked it PROCESSING), store the file in the default storage
    and mark it READY with its page count; on failure mark it FAILED with a message the
    requester can read. Storage errors are raised again after that so Celery retries."""
    try:
        html = render_to_string(job.template_name, job.context)
        rendered = render_html(html)
    except Exception as exc:
        logger.exception("PDF job %s failed", job.pk)
        return finish_job(job, status=PdfJob.Status.FAILED, last_error=_friendly_error(exc))
    try:
        job.file.save(f"{job.pk}.pdf", ContentFile(rendered.pdf), save=False)
    except OSError:
        logger.exception("PDF job %s could not be stored", job.pk)
        finish_job(
            job, status=PdfJob.Status.FAILED, last_error="PDF 文件保存失败，系统将自动重试。"
        )
        raise
    job.pages = rendered.pages
    return finish_job(job, status=PdfJob.Status.READY, fields=("file", "pages"))


# --- The demo document (tests, benchmark, and a smoke test on a new server) ---------------------

SAMPLE_SENTENCES = (
    "各区人民政府，市政府各部门、各直属机构要切实提高政治站位，把政务服务效能建设摆在突出位置，"
    "主要负责同志亲自抓、负总责，分管负责同志具体抓、抓落实。",
    "要对照年度目标任务，逐项梳理工作清单，明确责任单位、责任人和完成时限，"
    "做到任务到岗、责任到人，确保各项措施落地见效。",
    "市政府办公室要加强统筹协调和督促检查，定期通报工作进展情况，"
    "对推进不力、进度滞后的单位及时督办，必要时约谈有关负责同志。",
    "各单位要建立健全工作台账，每月25日前将工作进展情况报市政府办公室，"
    "遇有重大情况随时报告，不得迟报、漏报、瞒报。",
    "要坚持以人民为中心的发展思想，聚焦企业和群众反映强烈的堵点难点问题，"
    "持续优化办事流程，压减办理时限，提升办事便利度和满意度。",
    "要加强政务数据共享和业务协同，推动更多事项网上办、掌上办、就近办，让数据多跑路、群众少跑腿。",
)


def sample_document_context(*, sections=5, paragraphs_per_section=3, variant=""):
    """A realistic 珠海市人民政府 文件 for templates/office/pdf/sample_document.html: numbered
    sections (一、 黑体), sub-headings (（一） 楷体, run in) and plain paragraphs. The defaults
    fill seven pages. `variant` is appended to each paragraph (distinct content for
    benchmarks)."""
    numerals = "一二三四五六七八九十"
    paragraphs = [
        {
            "level": 0,
            "text": "为深入贯彻落实党中央、国务院关于优化营商环境和加快转变政府职能的决策部署，"
            "进一步提升我市政务服务效能，经市人民政府同意，现就有关事项通知如下。",
        }
    ]
    for section in range(sections):
        paragraphs.append(
            {"level": 1, "text": f"{numerals[section % 10]}、第{section + 1}项重点工作要求"}
        )
        for index in range(paragraphs_per_section):
            sentences = [
                SAMPLE_SENTENCES[(section + index + k) % len(SAMPLE_SENTENCES)] for k in range(3)
            ]
            paragraphs.append(
                {
                    "level": 2,
                    "heading": f"（{numerals[index % 10]}）落实第{index + 1}项具体措施。",
                    "text": "".join(sentences) + variant,
                }
            )
    paragraphs.append({"level": 0, "text": "本通知自印发之日起施行。"})
    return {
        "title": "珠海市人民政府关于进一步加强政务服务效能建设的通知",
        "authority_mark": "珠海市人民政府文件",
        "document_number": "珠府〔2026〕12号",
        "addressee": "各区人民政府，市政府各部门、各直属机构：",
        "paragraphs": paragraphs,
        "signatory": "珠海市人民政府",
        "date": "2026年11月23日",
        "note": "此件公开发布",
        "copies_to": "市委各部门，市人大常委会办公室，市政协办公室，市监委，市中级法院，市检察院。",
        "printed_by": "珠海市人民政府办公室",
        "printed_on": "2026年11月23日",
    }
