#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium when /usr/bin/chromium is missing (needs root and apt).
# Called by the HTML report screenshot test (Disagg.Harness.Tests/Reporting) and meant to be called
# from scripts/test.sh before the test suites. Idempotent: exits 0 at once when chromium is present.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then echo "ensure-chromium: no apt-get; install chromium by hand" >&2; exit 1; fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "ensure-chromium: not root and no sudo; install chromium by hand" >&2; exit 1; }
  sudo="sudo -n"
fi
export DEBIAN_FRONTEND=noninteractive
# A stale package index gives 404s; refresh it once and retry.
$sudo apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 \
  || { $sudo apt-get update -qq && $sudo apt-get install -y --no-install-recommends chromium >/dev/null; }
[ -x /usr/bin/chromium ] || { echo "ensure-chromium: chromium did not install" >&2; exit 1; }
echo "ensure-chromium: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
