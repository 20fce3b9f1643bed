#!/usr/bin/env bash
# Debian packages: a helper that installs only what is missing (root, or sudo for a user),
# and the list the tests drive for real. Sourced by setup.sh and test.sh.
# WeasyPrint (the leaflet PDFs, made by every build) needs Pango and HarfBuzz's subsetter;
# libgs-common holds the CMYK profile of the print shop's PDF/X file (PRINT_PDF_PRESS_PROFILE);
# git keeps the history of every item (invoke save, history, undo).
RUNTIME_SYSTEM_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libgs-common git)
# iproute2: previews in a network namespace of their own; systemd: systemd-analyze verify of
# the daily publish's and the kiosk kit's units (deploy/, deploy/kiosk/, whose ExecStart is cage);
# poppler-utils: pdftoppm draws the leaflets' pages for the tests and the guide's pictures.
TEST_SYSTEM_PACKAGES=(chromium rsync openssh-server espeak-ng sox fonts-noto-core nginx iproute2
                      systemd cage poppler-utils)

apt_install() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  # As root (CI) apt runs as is; an editor's own user (WSL, a desktop) is asked for sudo.
  local as_root=()
  [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  echo "Cài gói hệ thống: ${missing[*]}"
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_test_system_packages() {
  local extra=()
  command -v java >/dev/null || extra+=(default-jre-headless)
  command -v npm >/dev/null || extra+=(nodejs npm)
  apt_install "${TEST_SYSTEM_PACKAGES[@]}" "${extra[@]}"
}
