"""The image pipeline: safe decoding, responsive derivatives, a content-addressed cache.

Every image a reader sees goes through `derive_all()`: EXIF orientation applied, colour
converted to sRGB, all metadata dropped (EXIF, GPS, XMP, ICC, comments), then WebP and a
JPEG fallback (PNG when the image really has transparency) at a few widths, never upscaled,
plus a full-resolution copy for printing. Derivatives are cached by the source's SHA-256 and
the encoding settings, and named by the SHA-256 of their own bytes, so a web server may cache
them forever. Missing derivatives are encoded on several cores (ProcessPoolExecutor).

Bad files never crash a build: each yields an `ImageFault` with a code the plugin turns into a
Vietnamese message. Sources: JPEG, PNG, WebP and a phone's HEIC/HEIF (pillow-heif), of any
pixel size up to `max_pixels` (scaled down to the widths). Used by plugins/media and
bench/images.py.
"""

from __future__ import annotations

import contextlib

import concurrent.futures
import dataclasses
import hashlib
import io
import json
import re
import shutil
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pillow_heif
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from newsdesk.content import numbers, paths
from newsdesk.content.text import slug
from newsdesk.site import cores

PIPELINE_VERSION = 1  # bump when the encoding code changes, so caches are rebuilt
# HEIF: photos straight from a phone (iPhones save HEIC), read by pillow-heif and turned into
# WebP and JPEG like any photo; the source itself is never published.
pillow_heif.register_heif_opener()
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
MIME = {"WEBP": "image/webp", "JPEG": "image/jpeg", "PNG": "image/png"}
EXTENSION = {"WEBP": "webp", "JPEG": "jpg", "PNG": "png"}
# File signatures of image formats we refuse, to name them in the message.
KNOWN_SIGNATURES = ((b"GIF8", "GIF"), (b"BM", "BMP"), (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"),
                    (b"%PDF", "PDF"), (b"8BPS", "PSD"), (b"\x00\x00\x01\x00", "ICO"))
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
WEBP_MAX_SIDE = 16383  # libwebp refuses a longer side


@dataclass(frozen=True)
class ImageSettings:
    """What the derivatives depend on besides the source; part of the cache key."""

    widths: tuple[int, ...] = (400, 800, 1600)
    webp_quality: int = 70
    jpeg_quality: int = 78
    full_quality: int = 90
    max_pixels: int = 50_000_000  # a 5000 x 10000 infographic; an A3 print at 300 dpi is 17.4 M

    @classmethod
    def from_settings(cls, settings, widths=None) -> "ImageSettings":
        """The IMAGES_* settings (defaults where unset), as the pipeline and `invoke check` read
        them; `widths` replaces IMAGES_WIDTHS once the pipeline has refused a bad value."""
        return cls(widths=tuple(sorted(set(widths or settings.get("IMAGES_WIDTHS", cls.widths)))),
                   webp_quality=int(settings.get("IMAGES_WEBP_QUALITY", cls.webp_quality)),
                   jpeg_quality=int(settings.get("IMAGES_JPEG_QUALITY", cls.jpeg_quality)),
                   full_quality=int(settings.get("IMAGES_FULL_QUALITY", cls.full_quality)),
                   max_pixels=int(settings.get("IMAGES_MAX_PIXELS", cls.max_pixels)))

    def key(self) -> str:
        data = json.dumps([PIPELINE_VERSION, dataclasses.asdict(self)], sort_keys=True)
        return hashlib.sha256(data.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Rendition:
    """One encoded file: its fingerprinted name, pixel size, type and byte size."""

    name: str
    width: int
    height: int
    mime: str
    size: int


@dataclass(frozen=True)
class Derived:
    """Everything made from one source image."""

    source: Path
    directory: Path  # the cache folder holding the files
    width: int
    height: int
    has_alpha: bool
    webp: tuple[Rendition, ...]
    fallback: tuple[Rendition, ...]
    full: Rendition

    @property
    def renditions(self) -> tuple[Rendition, ...]:
        return (*self.webp, *self.fallback, self.full)


@dataclass(frozen=True)
class ImageFault:
    """Why a source could not be used: code is a key of plugins/media' FAULT_MESSAGES
    ("missing", "outside", "not-image", ...); detail for the message."""

    source: Path
    code: str
    detail: str = ""


# What an editor reads for each fault, from the build and from `invoke check` alike.
FAULT_MESSAGES = {
    "missing": ("Không tìm thấy ảnh \"{name}\".",
                "Chép ảnh vào cùng thư mục với bài viết, hoặc sửa lại tên tệp (đúng cả chữ hoa, "
                "chữ thường)."),
    "not-image": ("Tệp \"{name}\" không phải là ảnh (hoặc đã hỏng đến mức không đọc được).",
                  "Mở tệp bằng phần mềm xem ảnh để kiểm tra; xuất lại thành PNG hoặc JPEG."),
    "unsupported": ("Ảnh \"{name}\" có định dạng {detail}, hệ thống chưa nhận định dạng này.",
                    "Xuất lại ảnh thành PNG (đồ họa, nhiều chữ) hoặc JPEG (ảnh chụp)."),
    "truncated": ("Ảnh \"{name}\" bị cắt cụt hoặc hỏng (có thể tệp chưa tải hay chép xong).",
                  "Chép lại tệp ảnh từ máy gốc, hoặc xuất lại từ phần mềm thiết kế."),
    "too-large": ("Ảnh \"{name}\" quá lớn{detail}: ảnh lớn như vậy có thể làm treo máy dựng "
                  "trang.", "Xuất lại ảnh nhỏ hơn, ví dụ rộng 3000 điểm ảnh."),
    "too-long": ("Ảnh \"{name}\" quá dài hoặc quá hẹp ({detail} điểm ảnh): ảnh thu nhỏ của nó sẽ "
                 f"dài quá {WEBP_MAX_SIDE} điểm ảnh, giới hạn của định dạng WebP.",
                 "Cắt ảnh thành vài ảnh ngắn hơn, hoặc xuất lại ảnh ít dài hơn so với chiều rộng."),
    "broken": ("Không xử lý được ảnh \"{name}\" ({detail}).",
               "Xuất lại ảnh thành PNG hoặc JPEG; nếu vẫn lỗi, báo người quản trị kỹ thuật."),
}


@dataclass
class Outcome:
    results: dict[Path, Derived | ImageFault] = field(default_factory=dict)
    encoded: int = 0
    cached: int = 0
    seconds: float = 0.0


def derive_all(sources, settings: ImageSettings, cache_dir: Path, workers: int = 0,
               progress: Callable[[int, int], None] | None = None) -> Outcome:
    """Derivatives of every source, from the cache when there, encoded in parallel otherwise."""
    started = time.monotonic()
    outcome = Outcome()
    cache_dir = Path(cache_dir)
    pending: dict[Path, Path] = {}
    for source in dict.fromkeys(Path(s) for s in sources):
        try:
            digest = hashlib.sha256(source.read_bytes()).hexdigest()
        except OSError as error:
            outcome.results[source] = ImageFault(source, "missing", str(error))
            continue
        target = cache_dir / digest[:2] / f"{digest}-{settings.key()}"
        cached = _read_manifest(source, target)
        if cached:
            outcome.results[source] = cached
            outcome.cached += 1
        else:
            pending[source] = target
    # The same bytes under two names are encoded once.
    first_of = {}
    for source, target in pending.items():
        first_of.setdefault(target, source)
    unique = {source: target for target, source in first_of.items()}
    for source, result in _encode_many(unique, settings, workers, progress):
        outcome.results[source] = result
        outcome.encoded += isinstance(result, Derived)
    for source, target in pending.items():
        if source not in outcome.results:
            shared = outcome.results[first_of[target]]
            outcome.results[source] = dataclasses.replace(shared, source=source)
    outcome.seconds = time.monotonic() - started
    return outcome


def _encode_many(pending: dict[Path, Path], settings, workers, progress):
    total = len(pending)
    if total <= 1 or workers == 1:
        for done, (source, target) in enumerate(pending.items(), 1):
            yield source, encode(source, target, settings)
            if progress:
                progress(done, total)
        return
    workers = min(workers or cores.cores(), total)
    try:
        pool = concurrent.futures.ProcessPoolExecutor(max_workers=workers,
                                                      mp_context=cores.pool_context())
    except (OSError, NotImplementedError):  # no process support here (no /dev/shm...)
        yield from _encode_many(pending, settings, 1, progress)
        return
    with pool:
        futures = {pool.submit(encode, source, target, settings): source
                   for source, target in pending.items()}
        for done, future in enumerate(concurrent.futures.as_completed(futures), 1):
            source = futures[future]
            try:
                yield source, future.result()
            except Exception as error:  # a worker died (out of memory...): name the file
                yield source, ImageFault(source, "broken", f"{type(error).__name__}: {error}")
            if progress:
                progress(done, total)


def validate(source: Path, settings: ImageSettings) -> ImageFault | None:
    """Why the pipeline would refuse `source` (None when it would encode it): the one rule
    `invoke check` applies too."""
    try:
        open_safely(source, settings.max_pixels, settings.widths, reduced=True).close()
    except _Refused as refused:
        return ImageFault(source, refused.code, refused.detail)
    return None


def fault_message(fault: ImageFault, name: str) -> tuple[str, str]:
    """The Vietnamese message and hint for a refused image, named as the editor wrote it."""
    if fault.code == "outside":
        return paths.outside_message("Ảnh", name)
    message, hint = FAULT_MESSAGES.get(fault.code, FAULT_MESSAGES["broken"])
    detail = fault.detail
    if fault.code == "too-large":
        pixels = pixels_of_fault(fault)
        detail = (f" ({pixels[0] / 1e6:.1f} triệu điểm ảnh, giới hạn {pixels[1] / 1e6:.1f} triệu)"
                  .replace(".", ",") if pixels else "")
    return message.format(name=name, detail=detail), hint


def encode(source: Path, target: Path, settings: ImageSettings) -> Derived | ImageFault:
    """Decode `source` safely and write its derivatives into the cache folder `target`."""
    try:
        image = open_safely(source, settings.max_pixels, settings.widths)
    except _Refused as refused:
        return ImageFault(source, refused.code, refused.detail)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".encoding-", dir=target.parent))
    try:
        derived = _write_derivatives(source, image, work, settings)
        manifest = dataclasses.asdict(derived) | {"source": "", "directory": ""}
        (work / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        try:
            work.rename(target)
        except OSError:  # another build wrote the same entry meanwhile: use theirs
            shutil.rmtree(work, ignore_errors=True)
            return _read_manifest(source, target) or ImageFault(source, "broken", "cache")
        return dataclasses.replace(derived, directory=target)
    except Exception as error:  # an encoder failing on odd pixel data: a fault, not a crash
        shutil.rmtree(work, ignore_errors=True)
        return ImageFault(source, "broken", f"{type(error).__name__}: {error}")


class _Refused(Exception):
    def __init__(self, code: str, detail: str = ""):
        super().__init__(code, detail)
        self.code, self.detail = code, detail


@contextlib.contextmanager
def pixel_limit(max_pixels: int | None):
    """Pillow's decompression-bomb limit for one block (it is process-wide: put it back)."""
    previous = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = max_pixels
    try:
        yield
    finally:
        Image.MAX_IMAGE_PIXELS = previous


def open_safely(source: Path, max_pixels: int, widths: tuple[int, ...] = ImageSettings.widths,
                reduced: bool = False) -> Image.Image:
    """Decode one image with the decompression-bomb limit lowered and warnings made errors,
    refusing one whose derivatives at `widths` WebP could not hold. `reduced`: a JPEG is
    decoded at an eighth of its size, which still reads every byte (a cut file is refused)
    in a fifth of the time: enough to judge it, not to encode it."""
    with pixel_limit(max_pixels), warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with open(source, "rb") as handle:
                image = Image.open(handle, formats=ACCEPTED_FORMATS)
                if _longest_derivative_side(*image.size, widths) > WEBP_MAX_SIDE:
                    raise _Refused("too-long", "×".join(map(str, image.size)))
                if reduced and image.format == "JPEG":
                    image.draft(None, (max(1, image.width // 8), max(1, image.height // 8)))
                image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise _Refused("too-large", str(error)) from None
        except UnidentifiedImageError:
            raise _Refused(*_unidentified(source)) from None
        except FileNotFoundError as error:
            raise _Refused("missing", str(error)) from None
        except (OSError, SyntaxError, ValueError, EOFError) as error:
            raise _Refused("truncated", str(error)) from None
    return image


def _longest_derivative_side(width: int, height: int, widths: tuple[int, ...]) -> int:
    """The longest side of the WebP derivatives (_write_derivatives' sizes)."""
    chosen = widths_for(width, widths)
    return max([max(w, round(height * w / width)) for w in chosen] or [max(width, height)])


def _unidentified(source: Path) -> tuple[str, str]:
    head = source.read_bytes()[:512]
    for signature, name in KNOWN_SIGNATURES:
        if head.startswith(signature):
            return "unsupported", name
    if b"ftypavif" in head[:32]:
        return "unsupported", "AVIF"
    if b"<svg" in head.lower():
        return "unsupported", "SVG"
    return "not-image", ""


def to_srgb(image: Image.Image) -> Image.Image:
    """Orientation applied, pixels in sRGB as RGB or RGBA; the source's metadata left behind."""
    image = ImageOps.exif_transpose(image)
    icc = image.info.get("icc_profile")
    if image.mode == "P":
        image = image.convert("RGBA")
    elif image.mode in ("LA", "PA", "La"):
        image = image.convert("RGBA")
    elif image.mode in ("1", "I", "I;16", "F"):
        image = image.convert("L")
    out_mode = "RGBA" if image.mode == "RGBA" else "RGB"
    converted = None
    if icc:
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(image, profile, _SRGB, outputMode=out_mode)
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            converted = None  # a broken profile: plain conversion is the best we can do
    image = converted or (image if image.mode == out_mode else image.convert(out_mode))
    if image.mode == "RGBA" and image.getchannel("A").getextrema()[0] == 255:
        image = image.convert("RGB")  # an alpha channel with no transparency in it
    image.info = {}
    return image


def widths_for(source_width: int, widths: tuple[int, ...]) -> list[int]:
    """The configured widths below the source's, plus the source's own when it is smaller
    than the largest: never upscaled."""
    chosen = [w for w in sorted(set(widths)) if w < source_width]
    if source_width <= max(widths):
        chosen.append(source_width)
    return chosen


def _write_derivatives(source: Path, image: Image.Image, work: Path,
                       settings: ImageSettings) -> Derived:
    image = to_srgb(image)
    has_alpha = image.mode == "RGBA"
    fallback_format = "PNG" if has_alpha else "JPEG"
    stem = slug(source.stem) or "anh"
    webp, fallback = [], []
    current = image
    for width in reversed(widths_for(image.width, settings.widths)):
        height = max(1, round(image.height * width / image.width))
        if current.width != width:
            current = current.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        webp.append(_save(current, work, f"{stem}-{width}", "WEBP", settings.webp_quality))
        fallback.append(_save(current, work, f"{stem}-{width}", fallback_format,
                              settings.jpeg_quality))
    full = _save(image, work, stem, fallback_format, settings.full_quality)
    return Derived(source=source, directory=work, width=image.width, height=image.height,
                   has_alpha=has_alpha, webp=tuple(reversed(webp)),
                   fallback=tuple(reversed(fallback)), full=full)


def _save(image: Image.Image, work: Path, stem: str, image_format: str, quality: int) -> Rendition:
    buffer = io.BytesIO()
    if image_format == "WEBP":
        image.save(buffer, "WEBP", quality=quality, method=4)
    elif image_format == "JPEG":
        image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    else:
        image.save(buffer, "PNG", compress_level=7)
    data = buffer.getvalue()
    digest = hashlib.sha256(data).hexdigest()[:10]
    name = f"{stem}.{digest}.{EXTENSION[image_format]}"
    (work / name).write_bytes(data)
    return Rendition(name, image.width, image.height, MIME[image_format], len(data))


def _read_manifest(source: Path, target: Path) -> Derived | None:
    try:
        raw = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
        derived = Derived(
            source=source, directory=target, width=raw["width"], height=raw["height"],
            has_alpha=raw["has_alpha"], webp=tuple(Rendition(**r) for r in raw["webp"]),
            fallback=tuple(Rendition(**r) for r in raw["fallback"]),
            full=Rendition(**raw["full"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not all((target / r.name).is_file() for r in derived.renditions):
        return None
    return derived


TOO_LARGE = re.compile(r"\((\d+) pixels\) exceeds limit of (\d+)")


def pixels_of_fault(fault: ImageFault) -> tuple[int, int] | None:
    """(pixels of the image, limit) read from Pillow's decompression-bomb message."""
    match = TOO_LARGE.search(fault.detail)
    return (int(match[1]), int(match[2])) if match else None


def derived_notice(encoded: int, cached: int, seconds: float) -> str:
    """The build's note on its images (code "images-encoded"), in one wording."""
    return (f"Ảnh: {encoded} ảnh cần mã hóa, {cached} ảnh lấy lại từ bộ nhớ đệm "
            f"({numbers.seconds(seconds)}).")
