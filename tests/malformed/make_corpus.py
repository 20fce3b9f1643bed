"""Writes the malformed-content corpus (content/) and its answer key (expected.toml).

One mistake per file; each case names the exact problems `invoke check` must report (line,
severity, message). Legacy-encoded files are written as bytes here because an editor cannot
type them. Images the cases point at are drawn by tests/test_check.py (never committed).
Re-run after changing a message: /work/main/.venv/bin/python tests/malformed/make_corpus.py
"""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

from viparse.normalize.tcvn3 import TCVN3
from viparse.normalize.vni import VNI

HERE = Path(__file__).resolve().parent
SENTENCE = "Hộ nghèo ở xã Đồng Nơ đã vươn lên thoát nghèo nhờ nuôi bò."


def header(number: int, title: str = "Tin thử", date: str = "20/11/2026 08:00",
           category: str = "Đồng Nơ", extra: str = "", id_line: bool = True) -> str:
    lines = [f"Title: {title}", f"Date: {date}", f"Category: {category}"]
    if id_line:
        lines.append(f"ID: malformed-{number:02d}")
    return "\n".join(lines) + ("\n" + extra if extra else "") + "\n"


def legacy(text: str, table) -> str:
    """Unicode -> the characters a legacy font encoding shows (the conversion reversed)."""
    reverse: dict[str, str] = {}
    for surface, letter in table.pairs:
        reverse.setdefault(letter, surface)
    return "".join(reverse.get(ch, ch) for ch in text)


def cp1258(text: str) -> bytes:
    """Windows-1258: base letters (â ê ô ơ ư ă đ precomposed) plus combining tone marks."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", ch)
        for index, mark in enumerate(marks):  # fold a vowel mark (ˆ ˘ ̛) into the base
            composed = unicodedata.normalize("NFC", base + mark)
            if len(composed) == 1 and _encodable(composed):
                base = composed
                marks.pop(index)
                break
        out += base.encode("cp1258") + "".join(marks).encode("cp1258")
    return bytes(out)


def _encodable(ch: str) -> bool:
    try:
        ch.encode("cp1258")
        return True
    except UnicodeEncodeError:
        return False


def utf8_read_as_cp1252(text: str) -> str:
    return "".join(bytes([b]).decode("cp1252") if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
                   else chr(b) for b in text.encode("utf-8"))


E, W, N = "error", "warning", "notice"
BODY = "\nNội dung bài.\n"
# (file, text or bytes, [(line, severity, message)], fixable)
CASES = [
    ("thieu-tieu-de.md", "Date: 20/11/2026 08:00\nCategory: Đồng Nơ\nID: malformed-01\n" + BODY,
     [(1, E, "Thiếu Tiêu đề (dòng Title:).")], False),
    ("tieu-de-trong.md", "Title:\nDate: 20/11/2026 08:00\nCategory: Đồng Nơ\nID: malformed-02\n"
     + BODY, [(1, E, "Thiếu Tiêu đề (dòng Title:).")], False),
    ("thieu-ngay.md", "Title: Tin thử\nCategory: Đồng Nơ\nID: malformed-03\n" + BODY,
     [(1, E, "Thiếu Ngày đăng (dòng Date:).")], False),
    ("thieu-dia-ban.md", "Title: Tin thử\nDate: 20/11/2026 08:00\nID: malformed-04\n" + BODY,
     [(1, E, "Thiếu Địa bàn (dòng Category:).")], False),
    ("xa-sai-ten.md", header(5, category="Tân Hưg") + BODY,
     [(3, E, "Không có xã / thị trấn \"Tân Hưg\" trong danh sách.")], False),
    ("loai-sai.md", header(6, extra="Type: infografic") + BODY,
     [(5, E, "Loại nội dung \"infografic\" không có.")], False),
    ("ngay-khong-doc-duoc.md", header(7, date="hôm qua") + BODY,
     [(2, E, "\"hôm qua\" không phải ngày giờ hợp lệ; hãy viết dạng 26/11/2023 08:00 "
             "hoặc 2023-11-26 08:00.")], False),
    ("ngay-khong-co-that.md", header(8, date="31/02/2026 08:00") + BODY,
     [(2, E, "\"31/02/2026 08:00\" không có thật trên lịch (ngày 31, tháng 02, năm 2026); "
             "ngày viết trước tháng.")], False),
    ("hen-gio.md", header(9, date="01/12/2026 08:00") + BODY,
     [(2, N, "Bài hẹn giờ đăng ngày 01/12/2026; chưa được đăng trước ngày đó.")], False),
    ("anh-bia-khong-co.md", header(10, extra="Image: khong-co.jpg\nAlt: Ảnh bìa") + BODY,
     [(5, E, "Ảnh bìa: không tìm thấy tệp \"khong-co.jpg\".")], False),
    ("anh-bia-sai-loai.md", header(11, extra="Image: anh-bia.bmp\nAlt: Ảnh bìa") + BODY,
     [(5, E, "Ảnh bìa: tệp \"anh-bia.bmp\" không đúng loại.")], False),
    ("anh-bia-thieu-mo-ta.md", header(12, extra="Image: anh-bia.png") + BODY,
     [(5, E, "Có ảnh bìa nhưng thiếu mô tả ảnh (Alt).")], False),
    ("anh-hong.md", header(13, extra="Image: anh-hong.jpg\nAlt: Ảnh bìa") + BODY,
     [(5, E, "Ảnh \"anh-hong.jpg\" bị cắt cụt hoặc hỏng (có thể tệp chưa tải hay chép xong).")],
     False),
    ("anh-qua-lon.md", header(14, extra="Image: anh-qua-lon.png\nAlt: Ảnh bìa") + BODY,
     [(5, E, "Ảnh \"anh-qua-lon.png\" quá lớn (51,8 triệu điểm ảnh, giới hạn 50,0 triệu): ảnh lớn "
             "như vậy có thể làm treo máy dựng trang.")], False),
    ("anh-qua-nang.md", header(15, extra="Image: anh-qua-nang.png\nAlt: Ảnh bìa") + BODY,
     [(5, W, "Ảnh \"anh-qua-nang.png\" quá nặng: 10,8 MB.")], False),
    ("trung-ma-a.md", header(16).replace("malformed-16", "trung-ma-bai") + BODY,
     [(1, E, "Mã bài (ID) \"trung-ma-bai\" trùng nhau giữa các tệp: trung-ma-a.md, "
             "trung-ma-b.md.")], False),
    ("trung-ma-b.md", header(17).replace("malformed-17", "trung-ma-bai") + BODY,
     [(1, E, "Mã bài (ID) \"trung-ma-bai\" trùng nhau giữa các tệp: trung-ma-a.md, "
             "trung-ma-b.md.")], False),
    ("dong-no/trung-duong-dan.md", header(18, title="Hộ nghèo Đồng Nơ") + BODY,
     [(1, E, "Đường dẫn \"tin-bai/trung-duong-dan/index.html\" trùng nhau giữa các tệp: "
             "dong-no/trung-duong-dan.md, tan-hung/trung-duong-dan.md.")], False),
    ("tan-hung/trung-duong-dan.md", header(19, title="Hộ nghèo Tân Hưng", category="Tân Hưng")
     + BODY, [(1, E, "Đường dẫn \"tin-bai/trung-duong-dan/index.html\" trùng nhau giữa các tệp: "
                     "dong-no/trung-duong-dan.md, tan-hung/trung-duong-dan.md.")], False),
    ("trung-slug-a.md", header(20, extra="Slug: ho-ngheo-vuon-len") + BODY,
     [(1, E, "Đường dẫn \"tin-bai/ho-ngheo-vuon-len/index.html\" trùng nhau giữa các tệp: "
             "trung-slug-a.md, trung-slug-b.md.")], False),
    ("trung-slug-b.md", header(48, extra="Slug: ho-ngheo-vuon-len") + BODY,
     [(1, E, "Đường dẫn \"tin-bai/ho-ngheo-vuon-len/index.html\" trùng nhau giữa các tệp: "
             "trung-slug-a.md, trung-slug-b.md.")], False),
    ("lien-ket-filename.md", header(21) + "\nXem [bài cũ]({filename}/dong-no/khong-co.md).\n",
     [(6, E, "Liên kết tới bài không có: \"{filename}/dong-no/khong-co.md\".")], False),
    ("lien-ket-tuong-doi.md", header(22) + "\nXem [bài kia](bai-khong-co.md).\n",
     [(6, E, "Liên kết tới bài không có: \"bai-khong-co.md\".")], False),
    ("anh-trong-bai-khong-co.md", header(23) + "\n![Đàn bò](dan-bo.jpg)\n",
     [(6, E, "Liên kết tới tệp không có: \"dan-bo.jpg\".")], False),
    ("anh-trong-bai-thieu-mo-ta.md", header(24) + "\n![](anh-bia.png)\n",
     [(6, W, "Ảnh \"anh-bia.png\" trong bài thiếu mô tả.")], False),
    ("chu-to-hop-nfd.md", header(25) + "\n" + unicodedata.normalize("NFD", SENTENCE) + "\n",
     [(6, W, "1 dòng viết chữ Việt bằng dấu rời (Unicode tổ hợp NFD), ví dụ \"Hộ\"; chữ trông "
             "giống nhưng tìm kiếm và sắp xếp sẽ sai.")], True),
    ("chu-eth.md", header(26, title="Ðồng Nơ vươn lên") + BODY,
     [(1, E, "1 dòng dùng chữ \"Ð\" (chữ Eth của tiếng Iceland, U+00D0) thay cho chữ \"Đ\" "
             "tiếng Việt.")], True),
    ("dan-tu-tcvn3.md", header(27) + "\n" + legacy(SENTENCE, TCVN3) + "\n",
     [(6, E, "Chữ bị lỗi bảng mã (TCVN3 (ABC, phông .VnTime)): \"Hé nghÌo ë x· §ång N¬ ®· "
             "v\u00ad¬n lªn tho¸t…\" phải là \"Hộ nghèo ở xã Đồng Nơ đã vươn lên thoát…\".")],
     True),
    ("dan-tu-vni.md", header(28) + "\n" + legacy(SENTENCE, VNI) + "\n",
     [(6, E, "Chữ bị lỗi bảng mã (VNI (phông VNI-Times)): \"Hoä ngheøo ôû xaõ Ñoàng Nô ñaõ "
             "vöôn leâ…\" phải là \"Hộ nghèo ở xã Đồng Nơ đã vươn lên thoát…\".")], True),
    ("dan-utf8-doc-nham.md", header(29) + "\n" + utf8_read_as_cp1252(SENTENCE) + "\n",
     [(6, E, "Chữ bị lỗi bảng mã (UTF-8 bị đọc nhầm): \"Há»™ nghÃ¨o á»Ÿ xÃ£ Ä\x90á»“ng NÆ¡ "
             "Ä‘Ã£ vÆ…\" phải là \"Hộ nghèo ở xã Đồng Nơ đã vươn lên thoát…\"."),
      # the pasted text holds U+0090: the build refuses it too (feeds are XML)
      (6, E, "Nội dung bài có ký tự điều khiển không nhìn thấy (U+0090).")], True),
    ("tep-tcvn3.md", (legacy(header(30, title="Hộ nghèo vươn lên") + "\n" + SENTENCE + "\n",
                             TCVN3)).encode("latin-1"),
     [(1, E, "Tệp không phải văn bản UTF-8: được lưu bằng bảng mã TCVN3 (ABC, phông .VnTime).")],
     True),
    ("tep-vni.md", (legacy(header(31, title="Hộ nghèo vươn lên") + "\n" + SENTENCE + "\n",
                           VNI)).encode("latin-1"),
     [(1, E, "Tệp không phải văn bản UTF-8: được lưu bằng bảng mã VNI (phông VNI-Times).")],
     True),
    ("tep-windows-1258.md", cp1258(header(32, title="Hộ nghèo vươn lên") + "\n" + SENTENCE + "\n"),
     [(1, E, "Tệp không phải văn bản UTF-8: được lưu bằng bảng mã Windows-1258.")], True),
    ("html-script.md", header(33) + "\nNội dung.\n\n<script>alert(1)</script>\n",
     [(8, W, "HTML không an toàn bị xóa khỏi bài khi dựng trang: thẻ <script> cùng nội dung "
             "\"alert(1)\".")], False),
    ("html-style.md", header(34) + "\n<p style=\"color:red\">Chữ đỏ.</p>\n",
     [(6, W, "HTML không an toàn bị xóa khỏi bài khi dựng trang: thuộc tính style=\"…\" "
             "của thẻ <p>.")], False),
    ("con-cho-can-dien.md", header(35, extra="Summary: [CẦN ĐIỀN] Một đến hai câu.") + BODY,
     [(5, E, "Chưa điền Tóm tắt (dòng Summary: còn chữ [CẦN ĐIỀN]).")], False),
    ("noi-dung-can-dien.md", header(36) + "\n[CẦN ĐIỀN] Viết nội dung bài ở đây.\n",
     [(6, E, "Nội dung bài còn chữ [CẦN ĐIỀN].")], False),
    ("so-cccd.md", header(37) + "\nChủ hộ có số căn cước 070123456789.\n",
     [(6, W, "Có vẻ là dữ liệu cá nhân (số căn cước công dân (12 chữ số)): \"070123456789\". "
             "Không đăng thông tin cá nhân của hộ nghèo (Nghị định 13/2023/NĐ-CP).")], False),
    ("so-dien-thoai.md", header(38) + "\nLiên hệ gia đình qua số 0912 345 678.\n",
     [(6, W, "Có vẻ là dữ liệu cá nhân (số điện thoại): \"0912 345 678\". Không đăng thông tin "
             "cá nhân của hộ nghèo (Nghị định 13/2023/NĐ-CP).")], False),
    ("so-nha.md", header(39) + "\nHộ bà Lê Thị Hoa, số nhà 12/3 ấp 2, được hỗ trợ bò giống.\n",
     [(6, W, "Có vẻ là dữ liệu cá nhân (số nhà đi kèm tên người): \"bà Lê Thị Hoa, số nhà "
             "12/3\". Không đăng thông tin cá nhân của hộ nghèo (Nghị định 13/2023/NĐ-CP).")],
     False),
    ("trang-thai-sai.md", header(40, extra="Status: xoa") + BODY,
     [(5, E, "Trạng thái \"xoa\" không hợp lệ.")], False),
    ("dinh-chinh-thieu-ngay.md", header(41, extra="Correction: Sửa số hộ thoát nghèo là 12.")
     + BODY, [(5, E, "Có dòng Correction nhưng thiếu dòng Corrected (Ngày đính chính).")], False),
    ("slug-sai.md", header(42, extra="Slug: Hộ nghèo") + BODY,
     [(5, E, "Đường dẫn \"Hộ nghèo\" có ký tự không được phép.")], False),
    ("truong-la.md", header(43, extra="Autor: Phòng Văn hóa") + BODY,
     [(5, E, "Trường \"Autor\" không có trong mẫu bài: có phải \"Author\"?")], False),
    ("truong-viet-hai-lan.md", header(44, extra="Title: Tin thử lần hai") + BODY,
     [(5, W, "Trường Title được viết hai lần; chỉ dòng đầu được dùng.")], False),
    ("ma-bai-sai.md", header(45).replace("malformed-45", "x") + BODY,
     [(4, E, "Mã bài \"x\" không hợp lệ.")], False),
    ("thieu-ma-bai.md", header(46, id_line=False) + BODY,
     [(1, N, "Bài chưa có dòng ID (mã bài cố định, giữ nguyên khi đổi tên tệp).")], True),
    ("tep-utf16.md", b"\xff\xfe" + (header(47, title="Hộ nghèo vươn lên") + BODY)
     .encode("utf-16-le"),
     [(1, E, "Tệp không phải văn bản UTF-8: được lưu bằng bảng mã UTF-16 (Notepad \"Unicode\").")],
     True),
    # safety-errors: editor mistakes that used to crash or say "Lỗi hệ thống" (issue 10, part 4);
    # tests/test_check.py also builds these and expects the same messages from the build.
    ("ngay-mui-gio-sai.md", header(401, date="2024-03-01T08:00+99:99") + BODY,
     [(2, E, "\"2024-03-01T08:00+99:99\" có múi giờ \"+99:99\" không có thật (giờ lệch phải "
             "nhỏ hơn 24:00).")], False),
    ("gio-sai.md", header(402, date="01/03/2024 25:61") + BODY,
     [(2, E, "\"01/03/2024 25:61\" có giờ \"25:61\" không có thật (giờ từ 0 đến 23, phút từ 00 "
             "đến 59).")], False),
    ("nam-0001.md", header(403, date="01/03/0001 08:00") + BODY,
     [(2, E, "Năm 0001 không hợp lý: ngày của bài phải từ năm 2000 đến năm 2031 (hôm nay cộng 5 "
             "năm).")], False),
    ("ky-tu-nul.md", header(404, title="Tin\x00 thử") + BODY,
     [(1, E, "Dòng Title có ký tự điều khiển không nhìn thấy (U+0000).")], False),
    ("ky-tu-esc.md", header(405, extra="Summary: Tóm tắt \x1b[31m đỏ") + BODY,
     [(5, E, "Dòng Summary có ký tự điều khiển không nhìn thấy (U+001B).")], False),
    ("ky-tu-nul-noi-dung.md", header(407) + "\nDòng đầu.\nNội \x00dung bài.\n",
     [(7, E, "Nội dung bài có ký tự điều khiển không nhìn thấy (U+0000).")], False),
    ("tu-khoa-chi-dau.md", header(406, extra="Tags: giảm nghèo, !!!, ---") + BODY,
     [(5, E, "Từ khóa: \"!!!\" không có chữ hay số nào nên không thành địa chỉ trang được.")],
     False),
    ("pages/trang-trung-muc.md", "Title: Giới thiệu\nSlug: tin-bai\n" + BODY,
     [(2, E, "Đường dẫn \"tin-bai\" trùng với một mục của trang web (/tin-bai/).")], False),
    ("pages/thu-tu-sai.md", "Title: Liên hệ\nOrder: hai\n" + BODY,
     [(2, E, "Thứ tự \"hai\" không phải một số.")], False),
    ("pages/dia-ban.md", "Title: Các địa bàn\n" + BODY,
     [(1, E, "Đường dẫn \"dia-ban\" trùng với một mục của trang web (/dia-ban/).")], False),
    # -- safety-paths (issue 10, part 1): files outside content/, media checked by their bytes.
    # Symlink cases are made by tests/test_containment.py at run time (no symlink is committed).
    ("lien-ket-ra-ngoai.md", header(1001) + "\n[Tài liệu](../../outside/secret.txt)\n",
     [(6, E, "Liên kết: \"../../outside/secret.txt\" nằm ngoài thư mục content/.")], False),
    ("lien-ket-cau-hinh.md", header(1002) + "\n[Cấu hình](../pelicanconf.py)\n",
     [(6, E, "Liên kết: \"../pelicanconf.py\" nằm ngoài thư mục content/.")], False),
    ("lien-ket-static-ra-ngoai.md",
     header(1003) + "\n[Tài liệu]({static}../../outside/secret.txt)\n",
     [(6, E, "Liên kết: \"../../outside/secret.txt\" nằm ngoài thư mục content/.")], False),
    ("anh-ra-ngoai.md", header(1004) + "\n![Bản đồ](../../outside/ban-do.png)\n",
     [(6, E, "Ảnh: \"../../outside/ban-do.png\" nằm ngoài thư mục content/.")], False),
    ("anh-bia-ra-ngoai.md", header(1005, extra="Image: ../../outside/ban-do.png\nAlt: Bản đồ")
     + BODY, [(5, E, "Ảnh bìa: \"../../outside/ban-do.png\" nằm ngoài thư mục content/.")],
     False),
    ("video-la-chu.webm", "Đây là chữ, không phải video.\n", [], False),
    ("video-la-chu.md", header(1006, extra="Type: video\nVideo: video-la-chu.webm") + BODY,
     [(6, E, "Video: tệp \"video-la-chu.webm\" không phải video WebM (nội dung tệp không khớp "
             "với đuôi .webm).")], False),
    ("video-mp4-la-chu.mp4", "Đây là chữ, không phải video.\n", [], False),
    ("video-mp4-la-chu.md", header(1007) + "\n[Video: Nuôi bò](video-mp4-la-chu.mp4)\n",
     [(6, E, "Liên kết: tệp \"video-mp4-la-chu.mp4\" không phải video MP4 (nội dung tệp không "
             "khớp với đuôi .mp4).")], False),
    ("am-thanh-la-chu.mp3", "Đây là chữ, không phải âm thanh.\n", [], False),
    ("am-thanh-la-chu.md", header(1008, extra="Type: truyen-thanh\nAudio: am-thanh-la-chu.mp3")
     + BODY, [(6, E, "Tệp âm thanh: tệp \"am-thanh-la-chu.mp3\" không đọc được: tệp hỏng hoặc "
                     "không phải tệp âm thanh.")], False),
    ("video-that.webm", b"\x1a\x45\xdf\xa3" + bytes(60), [], False),
    ("phu-de-sai.vtt", "1\n00:00:00,000 --> 00:00:02,000\nXin chào bà con.\n", [], False),
    ("phu-de-sai.md", header(1009, extra="Type: video\nVideo: video-that.webm\n"
                                      "Captions: phu-de-sai.vtt") + BODY,
     [(7, E, "Phụ đề: tệp \"phu-de-sai.vtt\" không phải phụ đề WebVTT (dòng đầu của tệp phải là "
             "WEBVTT).")], False),
    ("anh-gif-doi-ten.md", header(1010) + "\n![Biểu đồ](anh-gif-doi-ten.png)\n",
     [(6, E, "Ảnh \"anh-gif-doi-ten.png\" có định dạng GIF, hệ thống chưa nhận định dạng này.")],
     False),
    ("anh-jpeg-cut.md", header(1011) + "\n![Ảnh chụp](anh-jpeg-cut.jpg)\n",
     [(6, E, "Ảnh \"anh-jpeg-cut.jpg\" bị cắt cụt hoặc hỏng (có thể tệp chưa tải hay chép xong).")],
     False),
    ("anh-qua-dai.md", header(1012) + "\n![Dải băng](anh-qua-dai.png)\n",
     [(6, E, "Ảnh \"anh-qua-dai.png\" quá dài hoặc quá hẹp (1×60000 điểm ảnh): ảnh thu nhỏ của nó "
             "sẽ dài quá 16383 điểm ảnh, giới hạn của định dạng WebP.")], False),
    # safety-escape (issue 10, part 2): HTML in a header field is printed as text; check says so.
    ("html-tieu-de-script.md", header(0, title="<script>alert(1)</script>", id_line=False,
                                      extra="ID: malformed-escape-1") + BODY,
     [(1, W, "Tiêu đề (dòng Title:) có mã HTML (thẻ <script>): trang sẽ hiện đúng từng chữ đã "
             "gõ, không coi là mã HTML.")], False),
    ("html-tieu-de-meta.md",
     header(0, title="Tin <meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
            id_line=False, extra="ID: malformed-escape-2") + BODY,
     [(1, W, "Tiêu đề (dòng Title:) có mã HTML (thẻ <meta>): trang sẽ hiện đúng từng chữ đã "
             "gõ, không coi là mã HTML.")], False),
    ("html-tac-gia.md", header(0, id_line=False, extra="Author: Tổ <img src=x onerror=alert(1)>"
                                                       "\nID: malformed-escape-3") + BODY,
     [(4, W, "Tác giả (dòng Author:) có mã HTML (thẻ <img>, thuộc tính onerror=): trang sẽ hiện "
             "đúng từng chữ đã gõ, không coi là mã HTML.")], False),
    ("html-tom-tat.md", header(0, id_line=False,
                               extra="Summary: Hộ nghèo <b onerror=\"alert(1)\">vươn lên</b>"
                                     "\nID: malformed-escape-4") + BODY,
     [(4, W, "Tóm tắt (dòng Summary:) có mã HTML (thẻ <b>, thuộc tính onerror=): trang sẽ hiện "
             "đúng từng chữ đã gõ, không coi là mã HTML.")], False),
    ("html-tu-khoa.md", header(0, id_line=False, extra="Tags: giảm nghèo, x\" onerror=\"alert(1)"
                                                       "\nID: malformed-escape-5") + BODY,
     [(4, W, "Từ khóa (dòng Tags:) có mã HTML (thuộc tính onerror=): trang sẽ hiện đúng từng chữ "
             "đã gõ, không coi là mã HTML.")], False),
    # print-leaflets (issue 14): a leaflet's print fields, and no remote picture in its PDF.
    ("to-roi-gap-5.md", header(1401, extra="Type: to-roi\nFold: 5") + BODY,
     [(6, E, "Kiểu gấp \"5\" không dùng được.")], False),
    ("to-roi-le-xen-chu.md", header(1402, extra="Type: to-roi\nBleed: x") + BODY,
     [(6, E, "Lề xén \"x\" không phải một số.")], False),
    ("to-roi-so-ban-am.md", header(1403, extra="Type: to-roi\nCopies: -3") + BODY,
     [(6, E, "Số bản in \"-3\" không phải một số.")], False),
    ("to-roi-anh-tu-web.md", header(1404, extra="Type: to-roi") + BODY
     + "\n![Ảnh hộ nghèo](https://example.com/anh.jpg)\n",
     [(9, E, "Tờ rơi được in ra PDF nên không lấy ảnh từ địa chỉ web "
             "(https://example.com/anh.jpg).")], False),
    # handbooks: conferences and handbooks
    ("hoi-nghi-ket-thuc-truoc.md",
     header(1501, extra="Type: hoi-nghi\nStart: 10/12/2026 08:00\nEnd: 09/12/2026 17:00") + BODY,
     [(7, E, "Hội nghị kết thúc (09/12/2026 17:00) trước khi bắt đầu (10/12/2026 08:00).")],
     False),
    ("hoi-nghi-bat-dau-sai.md", header(1502, extra="Type: hoi-nghi\nStart: 32/12/2026") + BODY,
     [(6, E, "\"32/12/2026\" không có thật trên lịch (ngày 32, tháng 12, năm 2026); "
              "ngày viết trước tháng.")], False),
    ("cam-nang-doi-tuong-la.md", header(1503, extra="Type: cam-nang\nAudience: nong-dan") + BODY,
     [(6, E, "Đối tượng đọc \"nong-dan\" không có trong danh sách.")], False),
    # handbook-chapters: a handbook in several files (Handbook + Chapter), checked across files
    ("cam-nang-chuong-thieu-ten.md", header(1601, extra="Type: cam-nang\nChapter: 1") + BODY,
     [(6, E, "Có dòng Chapter nhưng thiếu dòng Handbook (Tên cẩm nang).")], False),
    ("cam-nang-ten-thieu-chuong.md",
     header(1602, extra="Type: cam-nang\nHandbook: Cẩm nang thiếu chương") + BODY,
     [(6, E, "Có dòng Handbook nhưng thiếu dòng Chapter (Chương số).")], False),
    ("cam-nang-trung-chuong/a.md",
     header(1603, extra="Type: cam-nang\nHandbook: Cẩm nang trùng chương\nChapter: 2") + BODY,
     [(7, E, "Chương 2 của cẩm nang \"Cẩm nang trùng chương\" trùng nhau giữa các tệp: "
             "a.md, b.md.")], False),
    ("cam-nang-trung-chuong/b.md",
     header(1604, extra="Type: cam-nang\nHandbook: Cẩm nang trùng chương\nChapter: 2") + BODY,
     [(7, E, "Chương 2 của cẩm nang \"Cẩm nang trùng chương\" trùng nhau giữa các tệp: "
             "a.md, b.md.")], False),
    ("cam-nang-khac-doi-tuong/chuong-1.md",
     header(1605, extra="Type: cam-nang\nHandbook: Cẩm nang khác đối tượng\nChapter: 1"
                        "\nAudience: ho-ngheo") + BODY, [], False),
    ("cam-nang-khac-doi-tuong/chuong-2.md",
     header(1606, extra="Type: cam-nang\nHandbook: Cẩm nang khác đối tượng\nChapter: 2"
                        "\nAudience: truong-ap") + BODY,
     [(8, E, "Chương 2 của cẩm nang \"Cẩm nang khác đối tượng\" ghi đối tượng đọc "
             "\"truong-ap\", khác chương 1 (\"ho-ngheo\").")], False),
    # editor-day (issue 19): a page's unfinished text is refused by the build too, not only check.
    ("pages/trang-can-dien.md", "Title: Liên hệ thêm\n\nĐường dây nóng: [CẦN ĐIỀN] số máy.\n",
     [(3, E, "Nội dung bài còn chữ [CẦN ĐIỀN].")], False),
    # issue 28 (18): a field one or two letters from a known one is an error naming it; a field
    # far from every known one stays a warning.
    ("truong-sai-mot-chu.md", header(2801, extra="Sumary: Hộ nghèo Đồng Nơ thoát nghèo.") + BODY,
     [(5, E, "Trường \"Sumary\" không có trong mẫu bài: có phải \"Summary\"?")], False),
    ("truong-sai-hai-chu.md", header(2802, extra="Catgroy: Đồng Nơ") + BODY,
     [(5, E, "Trường \"Catgroy\" không có trong mẫu bài: có phải \"Category\"?")], False),
    ("truong-khong-gan.md", header(2803, extra="Ghi-chu: gọi lại cho xã Đồng Nơ") + BODY,
     [(5, W, "Trường \"ghi-chu\" không có trong mẫu bài.")], False),
    # issue 28: a picture from another site named in a srcset is dropped, with a warning.
    ("anh-srcset-tu-web.md", header(2804) + BODY
     + "\n<picture><source srcset=\"https://tracker.example/t.webp 1x\"><img src=\"anh-bia.png\" "
       "alt=\"Hộ nghèo Đồng Nơ\"></picture>\n",
     [(8, W, "Ảnh \"https://tracker.example/t.webp\" (trong srcset) lấy từ trang web khác nên "
             "không được dùng (trang web đó sẽ biết ai đang đọc bài); đã bỏ.")], False),
    # issue 28: fields that shape a path or a template take only what the site has.
    ("ngon-ngu-la.md", header(2805, extra="Lang: vi\" onfocus=\"alert(1)") + BODY,
     [(5, E, "Ngôn ngữ \"vi\" onfocus=\"alert(1)\" không dùng được.")], False),
    ("ngon-ngu-tieng-anh.md", header(2806, extra="Lang: en") + BODY,
     [(5, E, "Ngôn ngữ \"en\" không dùng được.")], False),
    ("pages/mau-trang-la.md", "Title: Giới thiệu\nTemplate: kiosk/item\n\nNội dung.\n",
     [(2, E, "Mẫu trang \"kiosk/item\" không dùng được.")], False),
    # issue 28: a bidi override turns text around: build and check refuse it alike.
    ("tieu-de-dao-chieu.md", header(2807, title="Hộ nghèo \u202eĐồng Nơ") + BODY,
     [(1, E, "Dòng Title có ký tự điều khiển không nhìn thấy (U+202E).")], False),
    ("noi-dung-dao-chieu.md", header(2808) + "\nHộ nghèo \u2066Đồng Nơ\u2069 vươn lên.\n",
     [(6, E, "Nội dung bài có ký tự điều khiển không nhìn thấy (U+2066).")], False),
    # issue 28: angle brackets are text unless an allowed tag; <style> takes nothing after it
    ("ngoac-nhon-la-chu.md", header(2811) + "\nTiêu chí <thu nhập bình quân> mới.\n\n"
                                            "Ô <textarea> nhập tên.\n",
     [(8, W, "Thẻ HTML <textarea> không được dùng trong bài: trang hiện nó nguyên văn, "
             "như chữ.")], False),
    ("the-style-giua-bai.md", header(2812) + "\nĐoạn đầu.\n\n<style>\np { color: red }\n</style>"
                                             "\n\nĐoạn sau.\n\nTrước <script> giữa dòng.\n",
     [(8, W, "HTML không an toàn bị xóa khỏi bài khi dựng trang: thẻ <style> cùng nội dung "
             "\"p { color: red }\"."),
      (14, W, "HTML không an toàn bị xóa khỏi bài khi dựng trang: thẻ <script>.")], False),
    ("danh-sach-long-300-muc.md",
     header(2813) + "\n" + "\n".join("    " * level + "- mục" for level in range(300)) + "\n",
     [(305, E, "Nội dung bài lồng nhau quá sâu (danh sách hoặc trích dẫn lồng quá nhiều mức) "
               "từ dòng này.")], False),
    ("tieu-de-qua-dai.md", header(2814, title="Hộ nghèo Đồng Nơ thoát nghèo " * 10) + BODY,
     [(1, E, "Tiêu đề dài 289 ký tự, quá giới hạn 250 ký tự.")], False),
    ("tom-tat-qua-dai.md", header(2815, extra="Summary: " + "Đồng Nơ vươn lên. " * 40) + BODY,
     [(5, E, "Tóm tắt dài 719 ký tự, quá giới hạn 600 ký tự.")], False),
    ("qua-nhieu-tu-khoa.md",
     header(2816, extra="Tags: " + ", ".join(f"đồng nơ {n}" for n in range(30))) + BODY,
     [(5, E, "Có 30 từ khóa, quá giới hạn 20 từ khóa một bài (mỗi từ khóa là một trang của "
             "trang web).")], False),
    # publish-set (issue 29): a draft's problems are notes for its writer, never errors; a
    # published item linking an unpublished one is warned.
    ("ban-nhap-can-dien.md", header(1701, extra="Status: draft\nSummary: [CẦN ĐIỀN] Tóm tắt.")
     + "\n[CẦN ĐIỀN] Viết nội dung bài ở đây.\n",
     [(5, N, "Bản nháp còn chỗ cần sửa (các ghi chú của tệp này): không chặn việc dựng và đăng "
             "trang, bài nháp không được đăng. Xem trước vẫn hiện bài (có dấu Bản nháp)."),
      (6, N, "Chưa điền Tóm tắt (dòng Summary: còn chữ [CẦN ĐIỀN])."),
      (8, N, "Nội dung bài còn chữ [CẦN ĐIỀN].")], False),
    ("ban-nhap-xa-sai.md", header(1702, category="Đồng Nai", extra="Status: draft") + BODY,
     [(3, N, "Không có xã / thị trấn \"Đồng Nai\" trong danh sách."),
      (5, N, "Bản nháp còn chỗ cần sửa (các ghi chú của tệp này): không chặn việc dựng và đăng "
             "trang, bài nháp không được đăng. Bài chưa hiện khi xem trước cho tới khi sửa xong "
             "các ghi chú này.")], False),
    ("lien-ket-ban-nhap.md", header(1703) + "\nXem [bài đang viết](ban-nhap-can-dien.md).\n",
     [(6, W, "Liên kết tới bài chưa đăng (bản nháp): \"ban-nhap-can-dien.md\".")], False),
    # print (issue 32): a tri-fold's inside is its body, so it needs one.
    ("to-roi-gap-ba-trong.md", header(3201, extra="Type: to-roi\nFold: 3"),
     [(6, E, "Tờ gấp ba cần phần nội dung: mặt trong in nội dung bài qua ba cột, không để "
             "trống cột nào.")], False),
]


def toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("\"", "\\\"")
    return "\"" + "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in escaped) + "\""


def main() -> None:
    content = HERE / "content"
    shutil.rmtree(content, ignore_errors=True)
    lines = ["# Answer key of the malformed corpus: written by make_corpus.py, do not edit by hand.",
             "# Each [[case]]: the file (relative to content/), whether --fix repairs it, and",
             "# every problem invoke check must report for it (line, severity, exact message).",
             ""]
    for name, text, problems, fixable in CASES:
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        lines += ["[[case]]", f"file = {toml_string(name)}", f"fixable = {str(fixable).lower()}",
                  "problems = ["]
        lines += [f"  [{line}, {toml_string(severity)}, {toml_string(message)}],"
                  for line, severity, message in problems]
        lines += ["]", ""]
    (HERE / "expected.toml").write_text("\n".join(lines), encoding="utf-8")
    print(f"{len(CASES)} files written to {content}")


if __name__ == "__main__":
    main()
