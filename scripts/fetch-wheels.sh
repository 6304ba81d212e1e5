#!/usr/bin/env bash
# Downloads the pure-Python wheels that detections may import (the pins in
# packages/detections/python-wheels.txt) into packages/detections/wheels.
# Part of set-up: nothing is fetched at run time. Does nothing when every pin
# already has its wheel there.
set -euo pipefail
cd "$(dirname "$0")/.."

list=packages/detections/python-wheels.txt
dest=packages/detections/wheels
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
    # A wheel of an older pin would be installed beside the new one.
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
[ "$missing" -eq 0 ] && exit 0

if ! python3 -m pip --version >/dev/null 2>&1; then
  echo "fetch-wheels: python3 with pip is needed to download the detection wheels (Debian: apt-get install python3-pip)" >&2
  exit 1
fi
mkdir -p "$dest"
python3 -m pip download --disable-pip-version-check --no-input --quiet \
  --no-deps --only-binary=:all: --python-version "$target_python" \
  --require-hashes -r "$list" -d "$dest" >&2
