#!/usr/bin/env bash
# Turn a Debian 12 or Ubuntu mini-PC into the kiosk (docs/ki-ot.md): Debian's packages only
# (cage, chromium), Chromium in kiosk mode at boot for a dedicated user on a persistent
# profile, a screen that never blanks, a browser restarted when it dies, optionally the
# kiosk's own copy served on 127.0.0.1 (for a `kiosk+ssh://` target) and a nightly restart.
#
# Run as root on the kiosk. --prefix DIR writes every file under DIR instead and only prints
# the system commands (apt-get, useradd, systemctl, nginx -t): to look before installing, and
# for the tests (tests/test_kiosk_kit.py). Running it again updates what it wrote.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
URL=""
KIOSK_USER="kiosk"
LOCAL_COPY=""
COPY_DIR="/srv/giam-ngheo"
PORT="8080"
REBOOT_AT=""
PREFIX=""

usage() {
  cat <<'TEXT'
Cách dùng: bash deploy/kiosk/setup-kiosk.sh [--url ĐỊA-CHỈ | --local-copy] [tùy chọn]
  --url ĐỊA-CHỈ       trang đầu ki-ốt trên máy chủ web (https://…/kiosk/)
  --local-copy        ki-ốt giữ bản sao riêng (đích kiosk+ssh://): phục vụ /srv/giam-ngheo
                      trên 127.0.0.1 và mở http://127.0.0.1:8080/kiosk/
  --port SỐ           cổng của bản sao trên máy (mặc định 8080)
  --user TÊN          tài khoản chạy ki-ốt (mặc định kiosk)
  --reboot-at GIỜ:PHÚT  khởi động lại máy mỗi đêm vào giờ đó (giờ Việt Nam), ví dụ 03:00
  --prefix THƯ-MỤC    chỉ ghi các tệp vào THƯ-MỤC và in các lệnh hệ thống, không cài gì
TEXT
}

fail() { echo "Lỗi: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --url) URL="${2:-}"; shift 2 ;;
    --local-copy) LOCAL_COPY=1; shift ;;
    --port) PORT="${2:-}"; shift 2 ;;
    --user) KIOSK_USER="${2:-}"; shift 2 ;;
    --reboot-at) REBOOT_AT="${2:-}"; shift 2 ;;
    --prefix) PREFIX="${2:-}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; fail "không hiểu tùy chọn \"$1\"." ;;
  esac
done

[[ "$PORT" =~ ^[0-9]+$ ]] && [ "$PORT" -ge 1 ] && [ "$PORT" -le 65535 ] \
  || fail "--port phải là một số từ 1 đến 65535 (đang là \"$PORT\")."
if [ -n "$LOCAL_COPY" ]; then
  [ -z "$URL" ] || fail "chọn một trong hai: --url hoặc --local-copy."
  URL="http://127.0.0.1:$PORT/kiosk/"
fi
[ -n "$URL" ] || { usage >&2; fail "cần --url ĐỊA-CHỈ hoặc --local-copy."; }
# The address goes into a unit file's command line: a plain http(s) URL, nothing a shell or
# systemd would read otherwise.
[[ "$URL" =~ ^https?://[A-Za-z0-9.:-]+(/[A-Za-z0-9._~/-]*)?$ ]] \
  || fail "--url phải là địa chỉ http:// hoặc https:// của trang đầu ki-ốt (đang là \"$URL\")."
[[ "$KIOSK_USER" =~ ^[a-z_][a-z0-9_-]{0,31}$ ]] \
  || fail "--user phải là tên tài khoản Linux chữ thường không dấu (đang là \"$KIOSK_USER\")."
if [ -n "$REBOOT_AT" ]; then
  [[ "$REBOOT_AT" =~ ^([01][0-9]|2[0-3]):[0-5][0-9]$ ]] \
    || fail "--reboot-at phải là GIỜ:PHÚT, ví dụ 03:00 (đang là \"$REBOOT_AT\")."
fi
if [ -z "$PREFIX" ] && [ "$(id -u)" -ne 0 ]; then
  fail "hãy chạy bằng quyền root (su -, hoặc sudo bash deploy/kiosk/setup-kiosk.sh …)."
fi

# A system command: run it, or with --prefix only say it.
system() {
  if [ -n "$PREFIX" ]; then echo "(--prefix) sẽ chạy: $*"; else "$@"; fi
}

# A file from this folder, its @NAME@ placeholders filled, written to $PREFIX/target.
install_file() {
  local source="$1" target="$PREFIX$2" mode="${3:-644}"
  mkdir -p "$(dirname "$target")"
  sed -e "s|@URL@|$URL|g" -e "s|@USER@|$KIOSK_USER|g" -e "s|@PORT@|$PORT|g" \
      -e "s|@COPY@|$COPY_DIR|g" -e "s|@TIME@|$REBOOT_AT|g" \
      -e "s|@CHROMIUM_FLAGS@|$(tr '\n' ' ' < "$HERE/chromium-flags" | sed 's/ *$//')|g" \
      "$HERE/$source" > "$target"
  chmod "$mode" "$target"
  echo "Đã ghi $target"
}

packages=(cage chromium fonts-noto-core)
[ -z "$LOCAL_COPY" ] || packages+=(nginx openssh-server rsync)
system apt-get update
system env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${packages[@]}"

if [ -n "$PREFIX" ] || ! id "$KIOSK_USER" >/dev/null 2>&1; then
  system useradd --create-home --shell /bin/bash --groups video,input,render "$KIOSK_USER"
fi

install_file hq-kiosk.service /etc/systemd/system/hq-kiosk.service
install_file hq-kiosk.pam /etc/pam.d/hq-kiosk
install_file logind-hq-kiosk.conf /etc/systemd/logind.conf.d/hq-kiosk.conf
units=(hq-kiosk.service)
if [ -n "$REBOOT_AT" ]; then
  install_file hq-kiosk-reboot.service /etc/systemd/system/hq-kiosk-reboot.service
  install_file hq-kiosk-reboot.timer /etc/systemd/system/hq-kiosk-reboot.timer
  units+=(hq-kiosk-reboot.timer)
fi

if [ -n "$LOCAL_COPY" ]; then
  install_file nginx-hq-kiosk.conf /etc/nginx/sites-available/hq-kiosk
  mkdir -p "$PREFIX/etc/nginx/sites-enabled"
  ln -sfn /etc/nginx/sites-available/hq-kiosk "$PREFIX/etc/nginx/sites-enabled/hq-kiosk"
  mkdir -p "$PREFIX$COPY_DIR"
  system chown "$KIOSK_USER:" "$COPY_DIR"
  system nginx -t
  system systemctl enable --now nginx ssh
  system systemctl reload nginx
fi

system systemctl daemon-reload
system systemctl set-default graphical.target
system systemctl enable "${units[@]}"
echo "Xong. Ki-ốt mở $URL sau khi khởi động lại máy (reboot)."
