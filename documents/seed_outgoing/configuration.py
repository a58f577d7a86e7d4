"""The 发文 configuration the demo keeps up to date on every run: the two issuing headers, their
review levels (科室核稿, 秘书长审核), number rules (机关代字) and seals with a generated 印模."""

import io
import math
import shutil
import subprocess

from django.conf import settings
from django.core.files.base import ContentFile

from office.numbering import DEFAULT_PATTERN

from ..models import NumberFamily, NumberRule, ReviewLevel, Seal

ISSUERS = ("government", "office")  # demo unit keys of the two headers
RULES = (
    # (issuer, family, 机关代字)
    ("government", NumberFamily.GENERAL, "珠府"),
    ("government", NumberFamily.LETTER, "珠府函"),
    ("government", NumberFamily.ORDER, "珠府令"),
    ("government", NumberFamily.MINUTES, "珠府纪要"),
    ("office", NumberFamily.GENERAL, "珠府办"),
    ("office", NumberFamily.LETTER, "珠府办函"),
    ("office", NumberFamily.MINUTES, "珠府办纪要"),
)
LEVEL_ONE = ("secretary_chief", "secretary_deputy")  # 科室核稿: 秘书科
LEVEL_TWO = (
    "deputy_secretary_general_1",
    "deputy_secretary_general_2",
    "deputy_secretary_general_3",
)
REVIEW_LEVELS = ((1, "科室核稿", LEVEL_ONE), (2, "秘书长审核", LEVEL_TWO))
SEAL_NAMES = {"government": "珠海市人民政府印", "office": "珠海市人民政府办公室印"}


def _cjk_font_path():
    """A CJK font file for the seal's text: the licensed 宋体/黑体 of OFFICIAL_FONTS_DIR
    (office.pdf), else the installed fallback family that office.pdf names, else None."""
    from office import pdf

    found = (
        pdf.find_official_fonts(settings.OFFICIAL_FONTS_DIR) if settings.OFFICIAL_FONTS_DIR else {}
    )
    for role in pdf.FONT_ROLES:
        if role.label in ("宋体", "黑体") and role.family in found:
            return str(found[role.family])
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    for role in pdf.FONT_ROLES:
        for family in role.fallbacks:
            if family in pdf.installed_families():
                result = subprocess.run(  # noqa: S603 - fixed arguments, no user input
                    [fc_match, "--format", "%{file}", family],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if result.stdout.strip():
                    return result.stdout.strip()
    return None


def seal_image(name, *, size=360):
    """A red round 印模 as PNG bytes: a ring, a five-pointed star in the middle and, when a CJK
    font is installed, the unit's name along the upper arc (the seal's own words)."""
    from PIL import Image, ImageDraw, ImageFont

    red = (200, 16, 26, 255)
    image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    centre, radius = size / 2, size / 2 - 8
    draw.ellipse(
        (centre - radius, centre - radius, centre + radius, centre + radius), outline=red, width=10
    )
    star_outer, star_inner = size * 0.15, size * 0.06
    points = []
    for i in range(10):
        r = star_outer if i % 2 == 0 else star_inner
        angle = math.pi / 2 + i * math.pi / 5
        points.append((centre + r * math.cos(angle), centre - r * math.sin(angle)))
    draw.polygon(points, fill=red)
    font_path = _cjk_font_path()
    text = name.removesuffix("印")
    if font_path:
        font = ImageFont.truetype(font_path, int(size * 0.12))
        span = math.radians(250)  # the words run over the top 250° of the ring
        step = span / max(len(text) - 1, 1)
        for index, char in enumerate(text):
            angle = math.pi / 2 + span / 2 - index * step
            x = centre + (radius - size * 0.1) * math.cos(angle)
            y = centre - (radius - size * 0.1) * math.sin(angle)
            glyph = Image.new("RGBA", (int(size * 0.14),) * 2, (255, 255, 255, 0))
            ImageDraw.Draw(glyph).text(
                (glyph.width / 2, glyph.height / 2), char, font=font, fill=red, anchor="mm"
            )
            glyph = glyph.rotate(math.degrees(angle - math.pi / 2), resample=Image.BICUBIC)
            image.alpha_composite(glyph, (int(x - glyph.width / 2), int(y - glyph.height / 2)))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _store_seal_image(seal, file_name):
    """Write the 印模 through the FileField's storage under a fixed name (seals/<issuer>-seal.png),
    so that demo databases sharing a MEDIA_ROOT (the test runs) share one file instead of piling
    up copies; a file already there with the same content is kept as it is."""
    data = seal_image(seal.name)
    storage = seal.image.storage
    name = seal.image.field.generate_filename(seal, file_name)
    if storage.exists(name):
        with storage.open(name, "rb") as existing:
            same = existing.read() == data
        if same:
            seal.image.name = name
            seal.save(update_fields=["image"])
            return
        storage.delete(name)  # an older rendering of the same demo seal
    seal.image.save(file_name, ContentFile(data), save=True)


def seed_configuration(units, users):
    """Review levels, number rules and one active seal per issuing unit (with its 印模)."""
    for issuer in ISSUERS:
        for level, label, reviewers in REVIEW_LEVELS:
            row, _ = ReviewLevel.objects.update_or_create(
                unit=units[issuer], level=level, defaults={"label": label}
            )
            row.reviewers.set([users[key] for key in reviewers])
    for issuer, family, code in RULES:
        NumberRule.objects.update_or_create(
            unit=units[issuer], family=family, defaults={"code": code, "pattern": DEFAULT_PATTERN}
        )
    seals = {}
    for issuer in ISSUERS:
        seal, _ = Seal.objects.update_or_create(
            unit=units[issuer], name=SEAL_NAMES[issuer], defaults={"is_active": True}
        )
        if not seal.image or not seal.image.storage.exists(seal.image.name):
            _store_seal_image(seal, f"{issuer}-seal.png")
        seals[issuer] = seal
    return seals
