#!/usr/bin/env bash
# System packages the tests need: Debian's Chromium (browser tests), CJK fonts (screenshots and PDF
# rendering; fonts-wqy-microhei is also what the app embeds in its PDF brief, as ReportLab cannot embed
# Noto CJK's CFF outlines), LibreOffice Calc and Writer and poppler (pdftotext, pdffonts: the workbook-,
# document- and brief-to-PDF checks). Installs what is missing when it can
# (root or sudo with apt-get); otherwise says what to install. Safe to run repeatedly.
set -u
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
fc-list 2>/dev/null | grep -qi "WenQuanYi Micro Hei" || need+=(fonts-wqy-microhei)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
[ -e /usr/lib/libreoffice/program/libswlo.so ] || need+=(libreoffice-writer-nogui)  # the pack's .docx to PDF
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
[ ${#need[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
    echo "Missing system packages: ${need[*]} (install them with apt-get; tests that need them will be skipped)." >&2
    exit 0
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing system packages: ${need[*]} (no apt-get here; tests that need them will be skipped)." >&2
  exit 0
fi
echo "Installing system packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
