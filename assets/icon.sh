#!/bin/sh
# icon.sh draws assets/icon.png, Earshot's 512×512 app icon: white sound
# waves spreading from a dot, on a rounded indigo-to-teal square.
# It needs ImageMagick (convert). Run it from anywhere:
#
#	sh assets/icon.sh
set -eu
cd "$(dirname "$0")"

size=512
# The glyph's centre; each wave is an arc of ±45° around it.
cx=150 cy=256
# wave RADIUS prints the polyline points of one wave. (ImageMagick 6 strokes
# an SVG arc path as if it were closed, so the arc is drawn as 48 segments.)
wave() {
	awk -v r="$1" -v cx=$cx -v cy=$cy 'BEGIN {
		for (i = 0; i <= 48; i++) {
			a = (-45 + 90 * i / 48) * atan2(0, -1) / 180
			printf "%.2f,%.2f ", cx + r * cos(a), cy + r * sin(a)
		}
	}'
}

convert -size ${size}x${size} -define gradient:angle=135 gradient:'#6D4AFF-#12B5A5' \
	\( -size ${size}x${size} xc:black -fill white -draw "roundrectangle 16,16 495,495 104,104" \) \
	-alpha off -compose CopyOpacity -composite -compose Over \
	-fill none -stroke white -strokewidth 36 \
	-draw "stroke-linecap round stroke-linejoin round polyline $(wave 96)" \
	-draw "stroke-linecap round stroke-linejoin round polyline $(wave 160)" \
	-draw "stroke-linecap round stroke-linejoin round polyline $(wave 224)" \
	-stroke none -fill white -draw "circle $cx,$cy $((cx + 38)),$cy" \
	-depth 8 -strip -define png:exclude-chunks=date,time \
	icon.png
