"""Drawing volunteer badges with Pillow (and storing the drawing), and the signed token their QR code carries.

Chinese text needs a CJK font. The first candidate that really has the glyphs wins: a font named by the
VOLUNTEER_BADGE_FONT setting, the subset vendored under static/fonts/ (when present), then the usual system
places of Noto Sans CJK, WenQuanYi, Droid and the macOS/Windows fonts. A font "has" a character when its
mask differs from the font's own missing-glyph box (.notdef), so a Latin-only font is never used for Chinese.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import qrcode
from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont, ImageOps

from volunteers.models import Badge

logger = logging.getLogger("volunteers.badges")

BADGE_SIGNING_SALT = "volunteers.badge"
BADGE_SIZE = (638, 1011)  # CR80 card (54 × 85.6 mm) at 300 dpi
RED = (164, 22, 26)
PROBE = "社区志愿者服务"
MISSING = "\U000f0000"  # a private-use code point no font maps: it draws the .notdef box

VENDORED_FONT = Path(settings.BASE_DIR) / "static" / "fonts" / "NotoSansSC-badge-subset.otf"
SYSTEM_FONTS: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),  # Debian/Ubuntu fonts-noto-cjk; 2 = SC
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),  # Arch
    ("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc", 2),  # Fedora
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/System/Library/Fonts/PingFang.ttc", 0),
    ("/System/Library/Fonts/STHeiti Medium.ttc", 0),
    ("C:/Windows/Fonts/msyh.ttc", 0),
    ("C:/Windows/Fonts/simhei.ttf", 0),
)


class NoCJKFont(RuntimeError):
    """No font on this machine can draw Chinese: install fonts-noto-cjk or vendor the subset (see README)."""


def font_candidates() -> list[tuple[str, int]]:
    configured = getattr(settings, "VOLUNTEER_BADGE_FONT", "")
    candidates = [(configured, 0)] if configured else []
    candidates += [*SYSTEM_FONTS, (str(VENDORED_FONT), 0)]
    return candidates


def covers(font: ImageFont.FreeTypeFont, text: str) -> bool:
    """True when every non-space character of `text` draws as a real glyph in `font`, not as the .notdef box."""
    missing = bytes(font.getmask(MISSING))
    for char in set(text) - {" "}:
        mask = font.getmask(char)
        if mask.getbbox() is None and not char.isspace():
            return False
        if bytes(mask) == missing:
            return False
    return True


@dataclass(frozen=True)
class FontChoice:
    path: str
    index: int

    @property
    def name(self) -> str:
        family, style = ImageFont.truetype(self.path, 20, index=self.index).getname()
        return f"{family} {style} ({Path(self.path).name})"

    def at(self, size: int) -> ImageFont.FreeTypeFont:
        return ImageFont.truetype(self.path, size, index=self.index)


@cache
def cjk_fonts() -> tuple[FontChoice, ...]:
    """Every candidate font on this machine that can draw Chinese, best first."""
    found = []
    for path, index in font_candidates():
        if not path or not Path(path).is_file():
            continue
        try:
            font = ImageFont.truetype(path, 40, index=index)
        except OSError:
            continue
        if covers(font, PROBE):
            found.append(FontChoice(path, index))
    return tuple(found)


def cjk_font() -> FontChoice:
    """The best font that can draw Chinese."""
    fonts = cjk_fonts()
    if not fonts:
        raise NoCJKFont(NoCJKFont.__doc__)
    return fonts[0]


def font_for(text: str) -> FontChoice:
    """The best font that draws every character of `text` (a rare character in a name may need the full font)."""
    for choice in cjk_fonts():
        if covers(choice.at(40), text):
            return choice
    raise NoCJKFont(NoCJKFont.__doc__)


# --------------------------------------------------------------------------------------------------
# Tokens


def badge_token(badge: Badge) -> str:
    """A signed token of the badge's random code: nothing personal, and it cannot be forged."""
    return signing.dumps(badge.code.hex, salt=BADGE_SIGNING_SALT, compress=True)


def badge_from_token(token: str) -> Badge | None:
    """The badge a token names, or None for a forged or mangled token."""
    try:
        code = signing.loads(token, salt=BADGE_SIGNING_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(code, str) or len(code) != 32:
        return None
    return Badge.objects.select_related("volunteer__community", "volunteer__team").filter(code=code).first()


def verification_url(badge: Badge, base_url: str) -> str:
    return base_url.rstrip("/") + reverse("volunteers:badge_verify", args=[badge_token(badge)])


# --------------------------------------------------------------------------------------------------
# Drawing


def _qr(data: str, size: int) -> Image.Image:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=2)
    qr.add_data(data)
    qr.make(fit=True)
    image = qr.make_image(fill_color="black", back_color="white").get_image().convert("RGB")
    return image.resize((size, size), Image.Resampling.NEAREST)


def _photo(volunteer, size: tuple[int, int]) -> Image.Image:
    if volunteer.photo:
        try:
            with volunteer.photo.open("rb") as f, Image.open(f) as im:
                return ImageOps.fit(ImageOps.exif_transpose(im).convert("RGB"), size, Image.Resampling.LANCZOS)
        except (OSError, ValueError):
            pass
    placeholder = Image.new("RGB", size, (226, 226, 226))
    draw = ImageDraw.Draw(placeholder)
    w, h = size
    draw.ellipse((w * 0.3, h * 0.18, w * 0.7, h * 0.5), fill=(180, 180, 180))
    draw.pieslice((w * 0.12, h * 0.55, w * 0.88, h * 1.25), 180, 360, fill=(180, 180, 180))
    return placeholder


def _centered(draw: ImageDraw.ImageDraw, y: int, text: str, font, fill, width: int) -> None:
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    draw.text(((width - (right - left)) / 2 - left, y), text, font=font, fill=fill)


def _fitting(choice: FontChoice, text: str, size: int, max_width: int) -> ImageFont.FreeTypeFont:
    font = choice.at(size)
    while size > 16 and font.getlength(text) > max_width:
        size -= 2
        font = choice.at(size)
    return font


def draw_badge(badge: Badge) -> tuple[Image.Image, FontChoice]:
    """The badge as an image: header, photo, name, number, team, community, QR code."""
    volunteer = badge.volunteer
    width, height = BADGE_SIZE
    image = Image.new("RGB", BADGE_SIZE, "white")
    draw = ImageDraw.Draw(image)
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Community volunteer")
        team = volunteer.team.name if volunteer.team else _("Volunteer corps")
        scan = _("Scan to verify")
    name = volunteer.resident.name
    choice = font_for(f"{title}{team}{scan}{volunteer.community.name}{name}{volunteer.number}")
    draw.rectangle((0, 0, width, 150), fill=RED)
    _centered(draw, 28, title, _fitting(choice, title, 56, width - 40), "white", width)
    _centered(
        draw, 100, volunteer.community.name, _fitting(choice, volunteer.community.name, 30, width - 40), "white", width
    )
    photo = _photo(volunteer, (240, 300))
    image.paste(photo, ((width - 240) // 2, 175))
    draw.rectangle(((width - 240) // 2 - 2, 173, (width + 240) // 2 + 1, 476), outline=RED, width=2)
    _centered(draw, 492, name, _fitting(choice, name, 64, width - 60), (20, 20, 20), width)
    _centered(draw, 580, volunteer.number, choice.at(36), RED, width)
    _centered(draw, 632, team, _fitting(choice, team, 32, width - 60), (40, 40, 40), width)
    qr_size = 270
    image.paste(_qr(badge.verify_url or badge.code.hex, qr_size), ((width - qr_size) // 2, 690))
    _centered(draw, 966, scan, choice.at(26), (80, 80, 80), width)
    return image, choice


def render_badge_png(badge: Badge) -> tuple[bytes, str]:
    image, choice = draw_badge(badge)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True, dpi=(300, 300))
    return out.getvalue(), choice.name


def badge_render(*, badge_id: int) -> Badge:
    """Draw the badge PNG and store it with the badge (idempotent: a drawn badge is left alone). The Celery task
    volunteers.tasks.render_badge calls this after the request that asked for the badge has committed."""
    badge = Badge.objects.select_related("volunteer__resident", "volunteer__team", "volunteer__community").get(
        pk=badge_id
    )
    if badge.status == Badge.Status.READY and badge.image:
        return badge
    try:
        png, font_name = render_badge_png(badge)
    except NoCJKFont:
        # Better no badge than one with empty boxes for the name.
        badge.status = Badge.Status.FAILED
        badge.save(update_fields=["status"])
        return badge
    badge.image.save(f"{badge.code.hex}.png", ContentFile(png), save=False)
    badge.font_name = font_name
    badge.status = Badge.Status.READY
    badge.rendered_at = timezone.now()
    badge.save(update_fields=["image", "font_name", "status", "rendered_at"])
    return badge


def _stored_card(badge: Badge) -> Image.Image | None:
    """The badge as drawn and stored; None when it has no image or the file is missing or damaged (the sheet then
    draws it afresh rather than failing)."""
    if not badge.image:
        return None
    try:
        with badge.image.open("rb") as f, Image.open(f) as im:
            return im.convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        logger.warning("badge %s: stored image unreadable (%s), drawn afresh for the sheet", badge.pk, exc)
        return None


def badge_sheet_pdf(badges: list[Badge]) -> bytes:
    """A4 pages (300 dpi) of 3 × 3 drawn badges, for printing and cutting."""
    page_size = (2480, 3508)
    columns, rows = 3, 3
    bw, bh = BADGE_SIZE
    gap_x = (page_size[0] - columns * bw) // (columns + 1)
    gap_y = (page_size[1] - rows * bh) // (rows + 1)
    pages: list[Image.Image] = []
    for i, badge in enumerate(badges):
        if i % (columns * rows) == 0:
            pages.append(Image.new("RGB", page_size, "white"))
        slot = i % (columns * rows)
        x = gap_x + (slot % columns) * (bw + gap_x)
        y = gap_y + (slot // columns) * (bh + gap_y)
        card = _stored_card(badge) or draw_badge(badge)[0]
        pages[-1].paste(card, (x, y))
        ImageDraw.Draw(pages[-1]).rectangle((x - 1, y - 1, x + bw, y + bh), outline=(200, 200, 200))
    if not pages:
        pages.append(Image.new("RGB", page_size, "white"))
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=300)
    return out.getvalue()
