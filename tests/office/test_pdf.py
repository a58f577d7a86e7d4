"""The shared PDF service (office/pdf.py) on real WeasyPrint: GB/T 9704 layout, the
deny-by-default fetcher, the content cache and background jobs with their pages."""

import datetime
import io
import os
import socket
import time
import zipfile
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.urls import include, path, reverse
from PIL import Image
from pypdf import PdfReader

from office import pdf, urls_core
from office import urls as root_urls
from office.celery import app as celery_app
from office.models import PdfJob
from office.views import pdf as pdf_views

SAMPLE = "office/pdf/sample_document.html"
A4 = (595.28, 841.89)
# fonts-arphic-ukai, a system dependency: stands in for a licensed font in the fonts folder.
UKAI = Path("/usr/share/fonts/truetype/arphic/ukai.ttc")


def _urlpatterns_with_pdf_jobs():
    """office.urls with the job pages in the "office" namespace, whether or not
    office/urls_core.py lists them already."""
    core_names = {getattr(p, "name", None) for p in urls_core.urlpatterns}
    missing = [p for p in pdf_views.urlpatterns if p.name not in core_names]
    others = [p for p in root_urls.urlpatterns if getattr(p, "app_name", None) != "office"]
    return [path("", include((urls_core.urlpatterns + missing, "office"))), *others]


urlpatterns = _urlpatterns_with_pdf_jobs()


@pytest.fixture(autouse=True)
def _pdf_folders(settings, tmp_path):
    settings.PDF_CACHE_DIR = tmp_path / "pdf-cache"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OFFICIAL_FONTS_DIR = ""


@pytest.fixture
def eager_celery(settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    monkeypatch.setattr(celery_app.conf, "task_always_eager", True)
    monkeypatch.setattr(celery_app.conf, "task_eager_propagates", True)


def read(data):
    return PdfReader(io.BytesIO(data))


def page_texts(data):
    return [page.extract_text() for page in read(data).pages]


def png_file(folder):
    """A small red square: the stand-in for a seal image."""
    target = folder / "seal.png"
    Image.new("RGB", (40, 40), (230, 0, 18)).save(target)
    return target


def test_sample_document_is_a_gbt9704_a4_document():
    data = pdf.render_pdf(SAMPLE, pdf.sample_document_context())

    reader = read(data)
    assert len(reader.pages) == 7
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4[0]) <= 1 and abs(height - A4[1]) <= 1
    texts = page_texts(data)
    assert "— 1 —" in texts[0]
    assert "— 2 —" in texts[1]
    assert "— 7 —" in texts[6]
    first_page = texts[0].replace("\n", "")
    assert "珠海市人民政府文件" in first_page
    assert "珠府〔2026〕12号" in first_page
    assert "珠海市人民政府关于进一步加强政务服务效能建设的通知" in first_page
    # The colophon (版记) is on the last page only.
    assert "抄送：" in texts[-1] and "2026年11月23日印发" in texts[-1]
    assert not any("印发" in text for text in texts[:-1])


def test_the_free_fonts_stand_in_for_the_official_ones():
    data = pdf.render_pdf(SAMPLE, pdf.sample_document_context(sections=1))

    fonts = set()
    for page in read(data).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(font.get_object()["/BaseFont"].split("+", 1)[1])
    # 小标宋 → Noto Serif CJK SC Bold, 黑体 → Noto Sans CJK SC, 楷体 → AR PL UKai CN,
    # 仿宋 → FandolFang R when installed, else Noto Serif CJK SC (OFFICIAL_FORMAT.md).
    assert {"Noto-Serif-CJK-SC-Bold", "Noto-Sans-CJK-SC", "AR-PL-UKai-CN"} <= fonts
    assert {"Noto-Serif-CJK-SC", "FandolFang-R"} & fonts


def test_an_official_font_in_the_fonts_folder_is_used(settings, tmp_path):
    fonts_dir = tmp_path / "fonts"
    fonts_dir.mkdir()
    (fonts_dir / "楷体_GB2312.ttf").symlink_to(UKAI)
    settings.OFFICIAL_FONTS_DIR = str(fonts_dir)

    setup = pdf.font_setup()
    assert setup.files == (UKAI.resolve(),)
    assert '"GB KaiTi"' in setup.css and "GB HeiTi" not in setup.css
    html = '<html lang="zh-CN"><body><h3>（一）楷体标题</h3><p>正文</p></body></html>'
    fonts = set()
    for page in read(pdf.html_to_pdf(html)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(font.get_object()["/BaseFont"].split("+", 1)[1])
    # The heading's font came from the folder, through the fetcher's allow-list.
    assert fonts == {"GB-KaiTi", "Noto-Serif-CJK-SC"}


def test_fetcher_refuses_everything_not_allow_listed(settings, tmp_path):
    fonts_dir = tmp_path / "fonts"
    fonts_dir.mkdir()
    (fonts_dir / "仿宋_GB2312.ttf").symlink_to(UKAI)
    settings.OFFICIAL_FONTS_DIR = str(fonts_dir)
    seal = png_file(tmp_path)
    fetcher = pdf.url_fetcher(allowed_files=[seal])

    refused = [
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        f"{fonts_dir.as_uri()}/../../../../../../../../../etc/passwd",
        f"file://{fonts_dir}/",  # the folder itself, not a font in it
        "http://127.0.0.1:9/x.css",
        "https://example.com/logo.png",
        "ftp://example.com/x",
        "file://example.com/share/x.png",
    ]
    for url in refused:
        with pytest.raises(pdf.RefusedURL):
            fetcher.fetch(url)

    response = fetcher.fetch("data:text/plain;base64,5YWs5paH")
    assert response.read().decode() == "公文"
    response.close()
    font_url = (fonts_dir / "仿宋_GB2312.ttf").as_uri()
    response = fetcher.fetch(font_url)
    assert response.read(4) == b"ttcf"
    response.close()
    response = fetcher.fetch(f"file://{tmp_path}/./seal.png")
    assert response.read(8) == b"\x89PNG\r\n\x1a\n"
    response.close()


def test_user_text_never_makes_the_renderer_fetch(tmp_path):
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    secret = tmp_path / "secret.png"
    png_file(tmp_path).rename(secret)
    hostile = (
        '<img src="file:///etc/passwd"><link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">'
        f'<img src="http://127.0.0.1:{port}/i.png"><img src="{secret.as_uri()}">'
        f"<style>@import url(http://127.0.0.1:{port}/i.css);</style>"
    )
    context = pdf.sample_document_context(sections=1, paragraphs_per_section=1)
    context["title"] = hostile
    context["paragraphs"].append({"level": 0, "text": hostile})

    escaped = pdf.render_pdf(SAMPLE, context)  # Django escapes it: it is printed as text
    raw = pdf.html_to_pdf(f'<html lang="zh-CN"><body><p>正文</p>{hostile}</body></html>')

    listener.setblocking(False)
    with pytest.raises(BlockingIOError):
        listener.accept()  # nobody connected
    listener.close()
    assert "<img src=" in "".join(page_texts(escaped)).replace("\n", "")
    for data in (escaped, raw):
        reader = read(data)
        assert all(not page.images for page in reader.pages)
        assert "root:" not in "".join(page_texts(data))


def test_an_allow_listed_image_is_drawn(tmp_path):
    seal = png_file(tmp_path)
    context = pdf.sample_document_context(sections=1, paragraphs_per_section=1)
    context["seal"] = seal.as_uri()

    without = pdf.render_pdf(SAMPLE, context)
    allowed = pdf.render_pdf(SAMPLE, context, allowed_files=[seal])

    assert not any(page.images for page in read(without).pages)
    assert any(page.images for page in read(allowed).pages)


def test_images_kept_between_renders_never_bypass_the_allow_list(tmp_path):
    """Decoded images are reused between renders (the seal), but only by a render allowed to
    fetch that file, and only while the file is unchanged."""
    from PIL import Image

    seal = png_file(tmp_path)
    context = pdf.sample_document_context(sections=1, paragraphs_per_section=1)
    context["seal"] = seal.as_uri()
    first = pdf.render_pdf(SAMPLE, context, allowed_files=[seal])
    sizes = [image.image.size for page in read(first).pages for image in page.images]
    assert sizes
    context["date"] = "2026年11月24日"  # new content: not the PDF cache
    refused = pdf.render_pdf(SAMPLE, context)
    assert not any(page.images for page in read(refused).pages)
    Image.new("RGBA", (37, 37), (230, 0, 18, 255)).save(seal)  # the secadmin replaced it
    context["date"] = "2026年11月25日"
    replaced = pdf.render_pdf(SAMPLE, context, allowed_files=[seal])
    assert [image.image.size for page in read(replaced).pages for image in page.images] == [
        (37, 37)
    ] * len(sizes)


def test_a_reprint_of_unchanged_content_comes_from_the_cache(settings):
    context = pdf.sample_document_context(sections=1, paragraphs_per_section=1)
    first = pdf.render_pdf(SAMPLE, context)

    cached = list(Path(settings.PDF_CACHE_DIR).glob("*.pdf"))
    assert len(cached) == 1 and len(cached[0].stem) == 64
    assert cached[0].read_bytes() == first
    assert not list(Path(settings.PDF_CACHE_DIR).glob("*.tmp"))
    again = pdf.render_html(render_to_string(SAMPLE, context))
    assert again.cached and again.pdf == first and again.pages == 2
    # What the cache holds is what is served: prove no render happened.
    cached[0].write_bytes(b"%PDF-1.7 from the cache")
    assert pdf.render_pdf(SAMPLE, context) == b"%PDF-1.7 from the cache"

    changed = pdf.render_pdf(SAMPLE, {**context, "date": "2026年11月24日"})
    assert (
        changed.startswith(b"%PDF") and len(list(Path(settings.PDF_CACHE_DIR).glob("*.pdf"))) == 2
    )


def test_authority_mark_never_wider_than_the_type_area():
    assert pdf.authority_mark_size("珠海市人民政府文件") == "42pt"
    assert pdf.authority_mark_size("珠海市人民政府办公室文件") == "36pt"
    assert pdf.authority_mark_size("珠海市住房和城乡建设局珠海市发展和改革局文件") == "20.1pt"


@pytest.mark.django_db
def test_a_background_job_renders_after_commit(
    personas, eager_celery, django_capture_on_commit_callbacks
):
    context = pdf.sample_document_context(sections=1, paragraphs_per_section=1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = pdf.start_job(
            title="珠府〔2026〕12号",
            template_name=SAMPLE,
            context=context,
            user=personas["secretary"],
        )
        assert PdfJob.objects.get(pk=job.pk).status == PdfJob.Status.PENDING
    assert len(callbacks) == 1

    job.refresh_from_db()
    assert job.status == PdfJob.Status.READY
    assert job.pages == 2 and job.last_error == "" and job.finished_at
    with job.file.open("rb") as file:
        assert len(read(file.read()).pages) == 2


@pytest.mark.django_db
def test_a_failed_job_keeps_a_readable_error(personas):
    job = PdfJob.objects.create(
        title="缺模板",
        template_name="office/pdf/no_such_template.html",
        context={},
        requested_by=personas["secretary"],
        status=PdfJob.Status.PROCESSING,
    )

    pdf.run_job(job)

    job.refresh_from_db()
    assert job.status == PdfJob.Status.FAILED
    assert "找不到打印模板" in job.last_error and job.finished_at and not job.file


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_only_the_requester_sees_and_downloads_a_job(client, personas):
    owner, other = personas["secretary"], personas["leader"]
    pending = PdfJob.objects.create(
        title="会议纪要", template_name=SAMPLE, context={}, requested_by=owner
    )
    ready = PdfJob.objects.create(
        title="珠府〔2026〕12号", template_name=SAMPLE, context={}, requested_by=owner
    )
    pdf.run_job(ready)
    detail = reverse("office:pdf-job", args=[pending.pk])

    client.force_login(owner)
    page = client.get(detail)
    assert page.status_code == 200 and 'hx-trigger="every 2s"' in page.content.decode()
    fragment = client.get(detail, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.content.decode()
    assert client.get(reverse("office:pdf-job-download", args=[pending.pk])).status_code == 404
    page = client.get(reverse("office:pdf-job", args=[ready.pk])).content.decode()
    assert "下载 PDF" in page and "every 2s" not in page
    download = client.get(reverse("office:pdf-job-download", args=[ready.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    client.force_login(other)
    assert client.get(detail).status_code == 404
    assert client.get(reverse("office:pdf-job", args=[ready.pk])).status_code == 404
    assert client.get(reverse("office:pdf-job-download", args=[ready.pk])).status_code == 404


def test_prune_cache_removes_only_old_prints(settings):
    pdf.render_pdf(SAMPLE, pdf.sample_document_context(sections=1, paragraphs_per_section=1))
    folder = Path(settings.PDF_CACHE_DIR)
    old = folder / ("0" * 64 + ".pdf")
    old.write_bytes(b"%PDF-1.7 old")
    forty_days_ago = time.time() - 40 * 86400
    os.utime(old, (forty_days_ago, forty_days_ago))

    assert pdf.prune_cache(max_age=datetime.timedelta(days=30)) == 1
    assert not old.exists() and len(list(folder.glob("*.pdf"))) == 1


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_batch_job_shows_its_progress_and_downloads_as_a_zip(client, personas):
    from django.core.files.base import ContentFile

    owner = personas["secretary"]
    job = PdfJob.objects.create(
        title="发文批量打印（50 件）",
        template_name=SAMPLE,
        context={"outgoing_ids": list(range(1, 51))},
        total=50,
        done=12,
        status=PdfJob.Status.PROCESSING,
        requested_by=owner,
    )
    detail = reverse("office:pdf-job", args=[job.pk])
    client.force_login(owner)
    for response in (client.get(detail), client.get(detail, headers={"HX-Request": "true"})):
        page = response.content.decode()
        assert 'role="progressbar"' in page and 'aria-valuenow="12"' in page
        assert 'aria-valuemax="50"' in page and "width: 24%" in page
        assert "已完成 12/50" in page and 'hx-trigger="every 2s"' in page

    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as package:
        package.writestr("珠府〔2026〕1号 关于做好第1项工作的通知.pdf", b"%PDF-1.7")
    job.file.save(f"{job.pk}.zip", ContentFile(zipped.getvalue()), save=False)
    job.status, job.done, job.pages = PdfJob.Status.READY, 50, 150
    job.context = {
        **job.context,
        "printed": 49,
        "note": "另有1件发文已不存在或您已无权查看，未打印。",
    }
    job.save()
    page = client.get(detail).content.decode()
    assert "every 2s" not in page and "progressbar" not in page
    assert "共 49 件、150 页" in page and "另有1件发文" in page and "下载 ZIP" in page
    download = client.get(reverse("office:pdf-job-download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    disposition = download["Content-Disposition"]
    assert (
        disposition.startswith("attachment;") and f'filename="pdf-job-{job.pk}.zip"' in disposition
    )
    assert "filename*=UTF-8''" in disposition and disposition.endswith(".zip")
    assert zipfile.is_zipfile(io.BytesIO(b"".join(download.streaming_content)))

    client.force_login(personas["leader"])
    assert client.get(detail).status_code == 404
    assert client.get(reverse("office:pdf-job-download", args=[job.pk])).status_code == 404
