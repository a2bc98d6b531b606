#!/bin/sh
# Chromium (Debian's chromium package) for the dashboard's browser test
# (internal/server TestBrowser, driven by github.com/chromedp/chromedp).
#
#   scripts/chromium.sh      install the package if absent and print the
#                            browser's path on stdout
#
#   export VIGIL_CHROMIUM=$(sh scripts/chromium.sh)
#
# The test reads VIGIL_CHROMIUM and skips with a message when it is unset or
# names no executable. Installing needs root or sudo (apt-get).
set -eu

find_chromium() {
	for c in "${VIGIL_CHROMIUM:-}" chromium chromium-browser google-chrome-stable google-chrome; do
		[ -n "$c" ] || continue
		p=$(command -v "$c" 2>/dev/null) || continue
		echo "$p"
		return 0
	done
	return 1
}

if find_chromium; then
	exit 0
fi
echo "chromium: installing Debian's chromium package" >&2
SUDO=
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO=sudo
	else
		echo "chromium: not root and no sudo: cannot install chromium" >&2
		exit 1
	fi
fi
$SUDO apt-get update >&2
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium >&2
if ! find_chromium; then
	echo "chromium: chromium installed but not on PATH" >&2
	exit 1
fi
