#!/usr/bin/env bash
# Installs the third-party programs the test suite checks our output against (Debian packages):
#   tshark  - Wireshark's dissectors: every SIP message our serializer writes must dissect cleanly
#   ffmpeg  - reference G.711/G.722 codecs for bit-exactness tests
# Idempotent: does nothing when they are present. Runs before `npm test` (the "pretest" script).
set -euo pipefail
PKGS=(tshark ffmpeg)
missing=()
for p in "${PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[[ ${#missing[@]} -eq 0 ]] && exit 0
SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
echo "install-test-tools: installing ${missing[*]} (apt-get)" >&2
$SUDO apt-get update -q >/dev/null
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
echo "install-test-tools: done" >&2
