"""Benchmark of the office PDF service (office/pdf.py): run `.venv/bin/python bench/pdf_bench.py`.

Measures, on real WeasyPrint with the GB/T 9704 stylesheet and this machine's fonts:
1. a 7-page 公文 rendered cold (distinct content each time, so the cache is not hit): the median
   of 5 renders after one warm-up render — target ≤ 0.5 s;
2. a re-print of unchanged content, served from the content cache — target < 0.05 s;
3. a 7-page 发文 on documents/pdf/outgoing.html — the template and partials
   documents.outgoing_print.render_outgoing prints with — 份号 and 密级, an attachment on its own
   page and the seal image overlaid (allow-listed, as render_outgoing passes it), cold and
   re-printed, against the same targets. Its context has print_context's shape but is built here
   without model rows, so the benchmark still needs no database;
4. a 500-row table of about 27 pages, the expensive case: reported against FIELD_NOTES.md's
   anchor of about 4 pages/s, without a pass mark.

Wall-clock times decide; the CPU time of the process and the load average are printed beside
them, so a FAIL caused by other work on a shared machine shows as wall ≫ CPU. Needs no database.
The cache goes to a temporary folder that is removed afterwards. Exits 1 when a target is missed.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "office.settings")
os.environ.setdefault("DEBUG", "1")

COLD_RUNS = 5
CACHED_RUNS = 20
TARGET_COLD = 0.5
TARGET_CACHED = 0.05
TABLE_ROWS = 500

UNITS = ("市教育局", "市住房和城乡建设局", "市交通运输局", "市卫生健康局", "市生态环境局")
MATTERS = (
    "推进老旧小区改造项目",
    "落实中小学学位建设任务，确保秋季学期按时开学",
    "治理主干道路交通拥堵点",
    "提升基层医疗服务能力",
    "推进流域水环境整治",
)


def table_context(rows):
    return {
        "title": "市政府重点工作督办事项台账",
        "subtitle": "（截至2026年11月23日）",
        "rows": [
            {
                "number": n,
                "matter": MATTERS[n % len(MATTERS)],
                "unit": UNITS[n % len(UNITS)],
                "deadline": f"2026年{n % 12 + 1}月{n % 28 + 1}日",
                "progress": "按计划推进" if n % 3 else "已办结",
            }
            for n in range(1, rows + 1)
        ],
    }


def outgoing_context(pdf, variant, seal):
    """A sealed 发文 with one attachment, in the shape of documents.outgoing_print.print_context."""
    context = pdf.sample_document_context(sections=3, variant=variant)
    mark = "珠海市人民政府文件"
    context.update(
        authority_mark=mark,
        mark_size=pdf.authority_mark_size(mark),
        copy_number="000001",
        classification="秘密★1年",
        attachment_note="附件：2026年政务服务效能建设重点任务分工表",
        attachments=[
            {
                "label": "附件",
                "title": "2026年政务服务效能建设重点任务分工表",
                "paragraphs": context["paragraphs"][1:5],
            }
        ],
        seal=seal.as_uri(),
        unsealed=False,
    )
    return context


def write_seal(path):
    """A red ring as the seal image (a PNG with transparency, like an uploaded 印模)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (600, 600), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((12, 12, 588, 588), outline=(230, 0, 18, 255), width=24)
    image.save(path)
    return path


CPU_TIMES = []


def timed(function):
    """Wall-clock seconds and the result of function(); its CPU seconds go to CPU_TIMES."""
    started, started_cpu = time.perf_counter(), time.process_time()
    result = function()
    CPU_TIMES.append(time.process_time() - started_cpu)
    return time.perf_counter() - started, result


def main():
    import django

    django.setup()
    from django.conf import settings
    from django.template.loader import render_to_string

    from office import pdf
    from office.checks import harfbuzz_subset_available

    with tempfile.TemporaryDirectory(prefix="pdf-bench-") as cache_dir:
        settings.PDF_CACHE_DIR = cache_dir
        document = "office/pdf/sample_document.html"

        def render_document(variant):
            context = pdf.sample_document_context(variant=variant)
            return pdf.render_html(render_to_string(document, context))

        import_seconds, _ = timed(lambda: __import__("weasyprint"))
        render_document("（预热）")  # the first render loads fonts and compiles the stylesheet

        cold = []
        CPU_TIMES.clear()
        for run in range(COLD_RUNS):
            seconds, rendered = timed(lambda run=run: render_document(f"（第{run + 1}稿）"))
            assert not rendered.cached
            cold.append(seconds)
        cold_cpu = statistics.median(CPU_TIMES)
        pages = rendered.pages

        cached = []
        for _ in range(CACHED_RUNS):
            seconds, again = timed(
                lambda: pdf.render_pdf(document, pdf.sample_document_context(variant="（第5稿）"))
            )
            assert again == rendered.pdf
            cached.append(seconds)

        seal = write_seal(Path(cache_dir) / "seal.png")
        outgoing = "documents/pdf/outgoing.html"

        def render_outgoing(variant):
            return pdf.render_html(
                render_to_string(outgoing, outgoing_context(pdf, variant, seal)),
                allowed_files=[seal],
            )

        render_outgoing("（预热）")
        outgoing_cold = []
        CPU_TIMES.clear()
        for run in range(COLD_RUNS):
            seconds, sealed = timed(lambda run=run: render_outgoing(f"（发文第{run + 1}稿）"))
            assert not sealed.cached
            outgoing_cold.append(seconds)
        outgoing_cpu = statistics.median(CPU_TIMES)
        outgoing_cached = []
        for _ in range(CACHED_RUNS):
            seconds, again = timed(lambda: render_outgoing(f"（发文第{COLD_RUNS}稿）"))
            assert again.cached and again.pdf == sealed.pdf
            outgoing_cached.append(seconds)

        CPU_TIMES.clear()
        table_seconds, table = timed(
            lambda: pdf.render_html(
                render_to_string("office/pdf/sample_table.html", table_context(TABLE_ROWS))
            )
        )
        table_cpu = CPU_TIMES[0]

    cold_median = statistics.median(cold)
    cached_median = statistics.median(cached)
    cold_passed = cold_median <= TARGET_COLD
    cached_passed = cached_median < TARGET_CACHED
    outgoing_cold_median = statistics.median(outgoing_cold)
    outgoing_cached_median = statistics.median(outgoing_cached)
    outgoing_passed = outgoing_cold_median <= TARGET_COLD and outgoing_cached_median < TARGET_CACHED
    rows = [
        (
            f"{pages}-page 公文, cold (median of {COLD_RUNS})",
            f"{cold_median:.3f}",
            f"{cold_cpu:.3f}",
            f"≤ {TARGET_COLD} s",
            "PASS" if cold_passed else "FAIL",
        ),
        (
            f"re-print from cache (median of {CACHED_RUNS})",
            f"{cached_median:.4f}",
            "",
            f"< {TARGET_CACHED} s",
            "PASS" if cached_passed else "FAIL",
        ),
        (
            f"{sealed.pages}-page 发文 with seal, cold",
            f"{outgoing_cold_median:.3f}",
            f"{outgoing_cpu:.3f}",
            f"≤ {TARGET_COLD} s",
            "PASS" if outgoing_cold_median <= TARGET_COLD else "FAIL",
        ),
        (
            "发文 re-print from cache",
            f"{outgoing_cached_median:.4f}",
            "",
            f"< {TARGET_CACHED} s",
            "PASS" if outgoing_cached_median < TARGET_CACHED else "FAIL",
        ),
        (
            f"{TABLE_ROWS}-row table, {table.pages} pages",
            f"{table_seconds:.2f}",
            f"{table_cpu:.2f}",
            "≈ 4 pages/s",
            f"{table.pages / table_seconds:.1f} pages/s",
        ),
    ]
    print(f"import weasyprint: {import_seconds:.2f} s")
    print(f"libharfbuzz-subset: {'yes' if harfbuzz_subset_available() else 'MISSING'}")
    print("fonts: " + "; ".join(pdf.font_setup().report))
    print(f"cold renders (wall): {', '.join(f'{s:.3f}' for s in cold)} s")
    print("load average: " + ", ".join(f"{load:.2f}" for load in os.getloadavg()))
    print()
    print(f"{'case':<40} {'wall s':>8} {'CPU s':>7}  {'target':<13} result")
    for name, wall, cpu, target, result in rows:
        print(f"{name:<40} {wall:>8} {cpu:>7}  {target:<13} {result}")
    return 0 if cold_passed and cached_passed and outgoing_passed else 1


if __name__ == "__main__":
    sys.exit(main())
