#!/usr/bin/env bash
# Debian packages: a helper that installs only what is missing (needs root, as on CI),
# and the list the tests drive for real. Sourced by setup.sh and test.sh.
# WeasyPrint (the leaflet PDFs, made by every build) needs Pango and HarfBuzz's subsetter.
RUNTIME_SYSTEM_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
TEST_SYSTEM_PACKAGES=(chromium rsync openssh-server espeak-ng sox fonts-noto-core nginx)

apt_install() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  echo "Cài gói hệ thống: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_test_system_packages() {
  local extra=()
  command -v java >/dev/null || extra+=(default-jre-headless)
  command -v npm >/dev/null || extra+=(nodejs npm)
  apt_install "${TEST_SYSTEM_PACKAGES[@]}" "${extra[@]}"
}
