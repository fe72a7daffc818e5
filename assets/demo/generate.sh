#!/bin/sh
# generate.sh writes Earshot's demo library into this folder: four short
# tracks of the album "Earshot Demo" by "The Earshot Band", synthesized note
# by note with ffmpeg's aevalsrc, and the album's cover.jpg. Earshot plays
# them when no music folder has been chosen yet, so everything here is made
# by the project itself and free to ship. It needs ffmpeg (with libmp3lame),
# awk and ImageMagick (convert). Run it from anywhere:
#
#	sh assets/demo/generate.sh
#
# Each track is a tempo, a length and a score: one note a line, as
#
#	instrument  start-beat  length-in-beats  MIDI-note  velocity
#
# The instruments are simple additive voices (a fundamental and two
# harmonics under an attack/decay/release envelope) chosen to sound soft.
set -eu
cd "$(dirname "$0")"

album="Earshot Demo"
artist="The Earshot Band"
year=2025
genre="Ambient"
total=4

# score BPM reads a score on stdin and prints the aevalsrc expression that
# sums its notes. Every note starts at phase 0 and fades to silence before it
# ends, so notes never click.
score() {
	awk -v bpm="$1" '
	BEGIN {
		pi = atan2(0, -1)
		# attack (s), decay rate (1/s), 2nd and 3rd harmonic levels
		split("0.006 2.4 0.30 0.10", v); set("pluck")
		split("0.015 1.0 0.20 0.04", v); set("bass")
		split("0.300 0.2 0.12 0.04", v); set("pad")
		split("0.003 3.0 0.00 0.22", v); set("bell")
		sep = ""
	}
	function set(name) { atk[name] = v[1]; dec[name] = v[2]; h2[name] = v[3]; h3[name] = v[4] }
	NF == 5 && $1 !~ /^#/ {
		i = $1; s = $2 * 60 / bpm; e = s + $3 * 60 / bpm
		w = 2 * pi * 440 * 2 ^ (($4 - 69) / 12)
		x = sprintf("(t-%.4f)", s)
		printf "%sif(between(t,%.4f,%.4f),%.3f*min(1,%s/%.3f)*exp(-%s*%.2f)*min(1,(%.4f-t)/0.08)*(sin(%.4f*%s)+%.2f*sin(%.4f*%s)+%.2f*sin(%.4f*%s)),0)", \
			sep, s, e, $5, x, atk[i], x, dec[i], e, w, x, h2[i], 2 * w, x, h3[i], 3 * w, x
		sep = "+"
	}'
}

# track NUMBER TITLE BPM SECONDS reads a score on stdin and writes
# "NN Title.mp3": mono, 64 kbit/s, with a little echo for room and a fade.
track() {
	n=$1 title=$2 bpm=$3 secs=$4
	file=$(printf '%02d %s.mp3' "$n" "$title")
	ffmpeg -hide_banner -loglevel error -y \
		-f lavfi -i "aevalsrc='$(score "$bpm")':s=44100:d=$secs" \
		-af "aecho=0.8:0.85:110|230:0.28|0.16,volume=4dB,afade=t=out:st=$(awk -v s="$secs" 'BEGIN{print s-0.6}'):d=0.6,alimiter=limit=0.95:level=false" \
		-ac 1 -c:a libmp3lame -b:a 64k -id3v2_version 3 -write_xing 1 -fflags +bitexact \
		-metadata title="$title" -metadata artist="$artist" -metadata album_artist="$artist" \
		-metadata album="$album" -metadata track="$n/$total" -metadata date="$year" \
		-metadata genre="$genre" \
		"$file"
	echo "$file"
}

rm -f ./*.mp3

# C – Am – F – G, arpeggiated in eighths, resolving to C.
track 1 "Porch Light" 120 7 <<'EOF'
bass  0 3 48 .30
pluck 0    .6 60 .20
pluck 0.5  .6 67 .18
pluck 1    .6 76 .20
pluck 1.5  .6 67 .16
pluck 2    .6 72 .18
pluck 2.5  .6 67 .16
bass  3 3 45 .30
pluck 3    .6 57 .20
pluck 3.5  .6 64 .18
pluck 4    .6 72 .20
pluck 4.5  .6 64 .16
pluck 5    .6 69 .18
pluck 5.5  .6 64 .16
bass  6 3 41 .30
pluck 6    .6 53 .20
pluck 6.5  .6 60 .18
pluck 7    .6 69 .20
pluck 7.5  .6 60 .16
pluck 8    .6 65 .18
pluck 8.5  .6 60 .16
bass  9 3 43 .30
pluck 9    .6 55 .20
pluck 9.5  .6 62 .18
pluck 10   .6 71 .20
pluck 10.5 .6 62 .16
pluck 11   .6 67 .18
pluck 11.5 .6 62 .16
bass  12 2 48 .30
pluck 12   2 60 .16
pluck 12.1 2 64 .16
pluck 12.2 2 67 .16
pluck 12.3 2 72 .18
EOF

# A bouncing G-major pentatonic tune over a walking bass.
track 2 "Kitchen Radio" 120 7 <<'EOF'
pluck 0   .5 74 .24
pluck 0.5 .5 76 .22
pluck 1   1  79 .26
pluck 2   .5 76 .22
pluck 2.5 .5 74 .22
pluck 3   1  71 .24
pluck 4   .5 69 .22
pluck 4.5 .5 71 .22
pluck 5   1  74 .24
pluck 6   .5 76 .22
pluck 6.5 .5 74 .22
pluck 7   1  71 .24
pluck 8   .5 69 .22
pluck 8.5 .5 67 .22
pluck 9   .5 69 .22
pluck 9.5 .5 71 .22
pluck 10  3  67 .26
bass 0  1 43 .30
bass 1  1 50 .26
bass 2  1 43 .30
bass 3  1 50 .26
bass 4  1 40 .30
bass 5  1 47 .26
bass 6  1 48 .30
bass 7  1 43 .26
bass 8  1 50 .30
bass 9  1 45 .26
bass 10 3 43 .30
EOF

# Slow seventh chords on a soft pad under a few long notes.
track 3 "Across the Hall" 80 7.5 <<'EOF'
pad 0 2 53 .10
pad 0 2 57 .10
pad 0 2 60 .10
pad 0 2 64 .10
pad 2 2 52 .10
pad 2 2 55 .10
pad 2 2 59 .10
pad 2 2 62 .10
pad 4 2 50 .10
pad 4 2 53 .10
pad 4 2 57 .10
pad 4 2 60 .10
pad 6 3.5 48 .10
pad 6 3.5 52 .10
pad 6 3.5 55 .10
pad 6 3.5 59 .10
bass 0 2 41 .22
bass 2 2 40 .22
bass 4 2 38 .22
bass 6 3.5 36 .22
pluck 0   1.5 76 .20
pluck 1.5 .5  74 .16
pluck 2   2   71 .20
pluck 4   1   72 .18
pluck 5   1   69 .16
pluck 6   1   71 .16
pluck 7   2.5 72 .20
EOF

# A music-box lullaby in F, in three.
track 4 "Goodnight, House" 90 8 <<'EOF'
bell 0   1   81 .26
bell 1   1   84 .24
bell 2   1   81 .24
bell 3   1.5 79 .26
bell 4.5 .5  77 .22
bell 5   1   79 .24
bell 6   1   81 .26
bell 7   1   79 .24
bell 8   1   72 .22
bell 9   3   77 .28
bass 0 3 53 .22
pad  0 3 60 .06
bass 3 3 48 .22
pad  3 3 55 .06
bass 6 3 50 .22
pad  6 3 57 .06
bass 9 3 41 .24
pad  9 3 57 .06
pad  9 3 60 .06
EOF

# The cover: the app's sound-wave glyph on a warm gradient, with the title.
convert -size 400x400 -define gradient:angle=135 gradient:'#FF8A5B-#7B3FE4' \
	\( ../icon.png -crop 300x370+100+70 +repage -fuzz 25% -fill none +opaque white -resize 48% \) \
	-gravity north -geometry +0+46 -composite \
	-font DejaVu-Sans-Bold -pointsize 38 -fill white -gravity south -annotate +0+66 "$album" \
	-font DejaVu-Sans -pointsize 20 -annotate +0+36 "$artist" \
	-strip -quality 82 cover.jpg
echo cover.jpg
