#!/usr/bin/env bash
# Draws the icon sources with ImageMagick 6 (Debian's, hence /usr/bin/convert: another
# `convert` may come first on PATH). Then generate every size from them:
#   npx --yes @tauri-apps/cli@2 icon src-tauri/icons/source-manifest.json
set -euo pipefail
cd "$(dirname "$0")"
convert=/usr/bin/convert
teal='#0B5D63'
line='#8CC2C5'

# The open book, white on transparent, centred on a 1024 canvas.
book=$(mktemp --suffix=.png)
trap 'rm -f "$book"' EXIT
"$convert" -size 1024x1024 xc:none -fill white \
  -draw "path 'M 500 368 C 430 314, 320 300, 220 322 L 220 710 C 320 690, 430 702, 500 750 Z'" \
  -draw "path 'M 524 368 C 594 314, 704 300, 804 322 L 804 710 C 704 690, 594 702, 524 750 Z'" \
  -draw "path 'M 188 738 C 320 712, 440 724, 512 776 C 584 724, 704 712, 836 738 L 836 764 C 704 740, 590 752, 512 808 C 434 752, 320 740, 188 764 Z'" \
  -fill "$line" \
  -draw "roundrectangle 276,420 448,436 8,8" -draw "roundrectangle 276,490 448,506 8,8" \
  -draw "roundrectangle 276,560 400,576 8,8" -draw "roundrectangle 576,420 748,436 8,8" \
  -draw "roundrectangle 576,490 748,506 8,8" -draw "roundrectangle 576,560 700,576 8,8" \
  -roll +0-42 -depth 8 "$book"

# Desktop, iOS and the legacy Android icon: the book on a rounded teal square.
"$convert" -size 1024x1024 xc:none -fill "$teal" -draw "roundrectangle 64,64 959,959 196,196" \
  "$book" -composite -depth 8 source.png
# Android adaptive icon: the book (inside the safe zone) over a plain teal layer.
"$convert" "$book" -resize 90% -gravity center -background none -extent 1024x1024 -depth 8 source-android-foreground.png
"$convert" -size 1024x1024 "xc:$teal" -depth 8 source-android-background.png
