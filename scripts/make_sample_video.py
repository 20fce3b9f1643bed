"""Make the sample site's local video clip: slides drawn with Pillow, spoken by espeak-ng.

Run: .venv/bin/python scripts/make_sample_video.py
Needs Debian's ffmpeg, espeak-ng and fonts-noto-core (only to remake the clips; the output is
committed). Writes one .webm (VP9 + Opus, small) per clip below, with its Vietnamese captions
(.vtt) timed on the spoken sentences. Nothing downloaded.
"""

from __future__ import annotations

import subprocess
import tempfile
import textwrap
import wave
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from devtools import ROOT

FONTS = Path("/usr/share/fonts/truetype/noto")
SIZE = (854, 480)
CLIPS = {
    ROOT / "content" / "thanh-an" / "video" / "tiep-can-thong-tin": [
        "Giảm nghèo về thông tin ở xã Thanh An và xã An Khương.",
        "Loa truyền thanh của xã phát bản tin giảm nghèo mỗi sáng và chiều.",
        "Người dân đến điểm bưu điện văn hóa xã để tra cứu chính sách.",
        "Có thắc mắc, bà con hỏi cán bộ giảm nghèo xã hoặc trưởng ấp.",
    ],
    ROOT / "content" / "tan-hung" / "video" / "sinh-ke-ben-vung": [
        "Sinh kế bền vững cho hộ nghèo ở xã Tân Hưng.",
        "Hộ nghèo được hỗ trợ vốn và con giống bò sinh sản.",
        "Lao động trẻ được học nghề miễn phí, có việc làm ổn định.",
        "Muốn tham gia, bà con đăng ký với cán bộ giảm nghèo xã.",
    ],
}


def slide(text: str, index: int, count: int) -> Image.Image:
    image = Image.new("RGB", SIZE, (250, 244, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, SIZE[0], 70], fill=(138, 28, 28))
    small = ImageFont.truetype(str(FONTS / "NotoSans-Bold.ttf"), 26)
    big = ImageFont.truetype(str(FONTS / "NotoSans-Bold.ttf"), 40)
    draw.text((30, 18), "Giảm nghèo Hớn Quản", font=small, fill="white")
    draw.text((SIZE[0] - 90, 18), f"{index + 1}/{count}", font=small, fill="white")
    top = 150
    for line in textwrap.wrap(text, 30):
        draw.text((50, top), line, font=big, fill=(27, 27, 27))
        top += 60
    for bar in range(index + 1):  # a small bar chart that grows from slide to slide
        draw.rectangle([50 + bar * 70, 430 - bar * 25, 100 + bar * 70, 460], fill=(46, 110, 58))
    return image


def speak(text: str, path: Path, pause: float = 0.6) -> float:
    """Speak one sentence into a WAV file followed by a pause; return its length in seconds."""
    subprocess.run(["espeak-ng", "-v", "vi", "-s", "140", "-w", str(path), text], check=True)
    with wave.open(str(path)) as audio:
        params, frames = audio.getparams(), audio.readframes(audio.getnframes())
    silence = bytes(int(params.framerate * pause) * params.sampwidth * params.nchannels)
    with wave.open(str(path), "wb") as audio:
        audio.setparams(params)
        audio.writeframes(frames + silence)
    return (len(frames) + len(silence)) / (params.framerate * params.sampwidth * params.nchannels)


def timestamp(seconds: float) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes):02d}:{rest:06.3f}"


def make_clip(target: Path, sentences: list[str]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        cues, playlist, start = [], [], 0.0
        for index, sentence in enumerate(sentences):
            seconds = speak(sentence, work / f"{index}.wav")
            slide(sentence, index, len(sentences)).save(work / f"{index}.png")
            playlist += [f"file '{index}.png'", f"duration {seconds:.3f}"]
            cues.append((start, start + seconds, sentence))
            start += seconds
        playlist.append(f"file '{len(sentences) - 1}.png'")
        (work / "slides.txt").write_text("\n".join(playlist) + "\n", encoding="utf-8")
        audio_list = "".join(f"file '{i}.wav'\n" for i in range(len(sentences)))
        (work / "audio.txt").write_text(audio_list, encoding="utf-8")
        subprocess.run(
            ["ffmpeg", "-y", "-loglevel", "error", "-f", "concat", "-i", "slides.txt",
             "-f", "concat", "-i", "audio.txt",
             "-c:v", "libvpx-vp9", "-crf", "45", "-b:v", "0", "-r", "5", "-pix_fmt", "yuv420p",
             "-c:a", "libopus", "-b:a", "24k", "-shortest", "-map_metadata", "-1",
             str(target.with_suffix(".webm"))], check=True, cwd=work)
    vtt = ["WEBVTT", ""]
    for begin, end, sentence in cues:
        vtt += [f"{timestamp(begin)} --> {timestamp(end)}", sentence, ""]
    target.with_suffix(".vtt").write_text("\n".join(vtt), encoding="utf-8")
    print(f"{target.with_suffix('.webm')}: {target.with_suffix('.webm').stat().st_size} bytes")



def main() -> None:
    for target, sentences in CLIPS.items():
        make_clip(target, sentences)


if __name__ == "__main__":
    main()
