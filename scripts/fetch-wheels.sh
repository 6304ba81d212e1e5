#!/usr/bin/env bash
# Downloads the pure-Python wheels that detections may import (the pins in
# packages/detections/python-wheels.txt) into packages/detections/wheels and
# unpacks them into packages/detections/.python-packages, the folder every
# detection interpreter mounts read-only (decision 0018). Part of set-up:
# nothing is fetched at run time. Does nothing when every pin already has its
# wheel there and the folder was unpacked from exactly those wheels.
set -euo pipefail
cd "$(dirname "$0")/.."

list=packages/detections/python-wheels.txt
dest=packages/detections/wheels
unpacked=packages/detections/.python-packages
# Written last into the unpacked folder: the sha256 of every wheel in it. A
# folder without it is an unpack cut short; one with other sums, older pins.
marker=.caracal-wheels
# The wheels run in Pyodide, so pip must judge Requires-Python against its
# Python, not the host's.
target_python=3.14

# One line per requirement (continuations joined, comments dropped), so that
# each pin's accepted hashes stay together.
mapfile -t requirements < <(sed -e 's/#.*//' "$list" | sed -e ':join' -e '/\\$/{N;s/\\\n/ /;b join' -e '}' | grep -v '^[[:space:]]*$')
if [ "${#requirements[@]}" -eq 0 ]; then echo "fetch-wheels: no requirement in $list" >&2; exit 1; fi
wanted=" $(printf '%s\n' "${requirements[@]}" | grep -o 'sha256:[0-9a-f]\{64\}' | cut -d: -f2 | tr '\n' ' ')"

present=" "
if [ -d "$dest" ]; then
  for wheel in "$dest"/*.whl; do
    [ -e "$wheel" ] || continue
    sum=$(sha256sum "$wheel" | cut -d' ' -f1)
    # A wheel of an older pin would be unpacked beside the new one.
    if [[ "$wanted" != *" $sum "* ]]; then rm -f -- "$wheel"; continue; fi
    present+="$sum "
  done
fi

missing=0
for requirement in "${requirements[@]}"; do
  found=0
  for sum in $(grep -o 'sha256:[0-9a-f]\{64\}' <<<"$requirement" | cut -d: -f2); do
    if [[ "$present" == *" $sum "* ]]; then found=1; break; fi
  done
  if [ "$found" -eq 0 ]; then missing=1; break; fi
done

if [ "$missing" -eq 1 ]; then
  if ! python3 -m pip --version >/dev/null 2>&1; then
    echo "fetch-wheels: python3 with pip is needed to download the detection wheels (Debian: apt-get install python3-pip)" >&2
    exit 1
  fi
  mkdir -p "$dest"
  # Platform "any": where a project also publishes compiled wheels, pip would
  # otherwise prefer the host's, which Pyodide cannot load.
  python3 -m pip download --disable-pip-version-check --no-input --quiet \
    --no-deps --only-binary=:all: --python-version "$target_python" --platform any \
    --require-hashes -r "$list" -d "$dest" >&2
fi

sums=$(for wheel in "$dest"/*.whl; do sha256sum "$wheel"; done | cut -d' ' -f1 | sort)
if [ -f "$unpacked/$marker" ] && [ "$(cat "$unpacked/$marker")" = "$sums" ]; then exit 0; fi

if ! command -v python3 >/dev/null 2>&1; then
  echo "fetch-wheels: python3 is needed to unpack the detection wheels" >&2
  exit 1
fi
# Unpacked beside the old folder and swapped in whole, so that a detection
# process never mounts a half-written one.
staging="$unpacked.staging.$$"
rm -rf -- "$staging"
trap 'rm -rf -- "$staging"' EXIT
python3 - "$staging" "$dest"/*.whl <<'PY'
import os, sys, zipfile

target, wheels = sys.argv[1], sys.argv[2:]
for wheel in wheels:
    with zipfile.ZipFile(wheel) as archive:
        for member in archive.infolist():
            parts = member.filename.split("/")
            # name.data/purelib|platlib/... belongs in the package root; scripts,
            # headers and data files are for an installed command line, not imports.
            if parts[0].endswith(".data"):
                if len(parts) < 3 or parts[1] not in ("purelib", "platlib"):
                    continue
                member.filename = "/".join(parts[2:])
            # extract() drops absolute paths and "..", so nothing lands outside target.
            archive.extract(member, target)
PY
# Readable by the unprivileged user detection processes run as (uid 65534).
chmod -R a+rX,go-w "$staging"
printf '%s\n' "$sums" > "$staging/$marker"
rm -rf -- "$unpacked"
mv -- "$staging" "$unpacked"
trap - EXIT
