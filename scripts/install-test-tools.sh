#!/usr/bin/env bash
# Installs the third-party programs the test suite checks our output against (Debian packages):
#   tshark  - Wireshark's dissectors: every SIP message our serializer writes must dissect cleanly
#   ffmpeg  - reference G.711/G.722 codecs for bit-exactness tests
#   sip-tester - sipp, the SIP load generator and scenario runner (interop tests, bench:uas)
#   kamailio - a real registrar/proxy (interop tests run their own instance on loopback)
#   baresip - a real SIP softphone with RTP (interop tests of calls with audio)
#   postgresql - a real server for the SQL store tests (run-tests.mjs starts a throwaway one on loopback)
# Idempotent: does nothing when they are present. Runs before `npm test` (the "pretest" script).
set -euo pipefail
PKGS=(tshark ffmpeg postgresql sip-tester baresip kamailio)
missing=()
for p in "${PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[[ ${#missing[@]} -eq 0 ]] && exit 0
SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
echo "install-test-tools: installing ${missing[*]} (apt-get)" >&2
$SUDO apt-get update -q >/dev/null
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
# Debian's package starts a cluster on 5432 where it can; the tests run their own server instead.
pg_ctlcluster --force "$(ls /usr/lib/postgresql | tail -1)" main stop >/dev/null 2>&1 || true
echo "install-test-tools: done" >&2
