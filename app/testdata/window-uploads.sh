#!/bin/bash
# window-uploads.sh [OUT.png] draws docs/window-uploads.png: the Earshot
# window under Xvfb with "Allow uploads from other devices" on (from its
# remembered preference) after an album folder, a song and a garbage .mp3
# were dropped on it by XDND (xdnd-drop.py), as a file manager drops them.
# It checks that the dropped songs reached the library and prints the
# library's files.
#
# Run from the repository root. Needs ffmpeg, xvfb-run, ImageMagick's
# import, xwininfo and python3-xlib. Preferences, index and caches go to a
# temporary folder, never the user's own.
set -euo pipefail
/usr/bin/python3 -c 'import Xlib' 2>/dev/null || { echo "window-uploads.sh needs python3-xlib: apt-get install python3-xlib" >&2; exit 1; }
out=$(realpath -m "${1:-docs/window-uploads.png}")
here=$(dirname "$(realpath "$0")")
work=$(mktemp -d -t earshot-window-XXXXXX)
trap 'rm -rf "$work"' EXIT
go build -o "$work/earshot" .

lib=$work/Music
src=$work/Downloads
mkdir -p "$lib/Ada Lark/Blue Hour" "$src/Night Trains" "$src/Night Trains/.thumbnails"

# song FREQ SECONDS TITLE ARTIST ALBUM TRACK FILE writes a tagged sine tone
# (Vorbis comments name the track number TRACKNUMBER).
song() {
	local track=track
	case $7 in *.flac | *.ogg) track=tracknumber ;; esac
	ffmpeg -nostdin -loglevel error -f lavfi -i "sine=frequency=$1:duration=$2" -ar 44100 \
		-metadata title="$3" -metadata artist="$4" -metadata album="$5" -metadata "$track=$6" "$7"
}
song 440 3 "Evening Bus" "Ada Lark" "Blue Hour" 1 "$lib/Ada Lark/Blue Hour/01 Evening Bus.mp3"
song 494 4 "Porch Light" "Ada Lark" "Blue Hour" 2 "$lib/Ada Lark/Blue Hour/02 Porch Light.mp3"
song 523 5 "Platform Nine" "Quiet Rooms" "Night Trains" 1 "$src/Night Trains/track1.flac"
song 587 4 "Sleeper Car" "Quiet Rooms" "Night Trains" 2 "$src/Night Trains/track2.flac"
song 659 6 "Last Stop" "Quiet Rooms" "Night Trains" 3 "$src/Night Trains/track3.flac"
song 330 2 "thumb" "hidden" "hidden" 1 "$src/Night Trains/.thumbnails/skip.mp3"
song 392 3 "Kitchen Radio" "The Earshot Band" "Earshot Demo" 4 "$src/kitchen radio.ogg"
printf 'MZ\x90\x00 a program, not a song' >"$src/not-a-song.mp3"

# The uploads switch was turned on in an earlier run.
mkdir -p "$work/config/fyne/io.earshot.app"
echo '{"uploadsFromLAN":true}' >"$work/config/fyne/io.earshot.app/preferences.json"

export XDG_CONFIG_HOME=$work/config XDG_CACHE_HOME=$work/cache HERE=$here LIB=$lib SRC=$src WORK=$work OUT=$out
xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
	set -e
	"$WORK/earshot" -library "$LIB" -listen :0 -mdns=false & pid=$!
	trap "kill $pid; wait $pid" EXIT
	/usr/bin/python3 "$HERE/xdnd-drop.py" Earshot "$SRC/Night Trains" "$SRC/kitchen radio.ogg" "$SRC/not-a-song.mp3"
	sleep 4 # the import, then the watch rescans the library
	id=$(xwininfo -name Earshot -int | awk "/Window id:/ {print \$4}")
	import -window "$id" "$OUT"'
echo "library after the drop:"
(cd "$lib" && find . -type f | sort)
test ! -e "$lib/hidden" || { echo "a hidden file was imported" >&2; exit 1; }
for f in "Quiet Rooms/Night Trains/01 Platform Nine.flac" "The Earshot Band/Earshot Demo/04 Kitchen Radio.ogg"; do
	test -f "$lib/$f" || { echo "missing from the library: $f" >&2; exit 1; }
done
echo "wrote $out"
