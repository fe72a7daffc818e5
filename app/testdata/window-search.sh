#!/bin/bash
# window-search.sh [OUT.png] draws docs/window-search.png: the Earshot
# window under Xvfb with "ro" typed in the search field (which finds
# "Sigur Rós" without its accent) and the table sorted by Duration,
# longest first, all done with real key presses (xdotool). Then it checks,
# through the real X11 driver, that a double-click on a row and Enter on
# the focused row open /#/play/<id> in the browser: xdg-open is replaced
# by a script that writes down what it was asked to open.
#
# Run from the repository root. Needs ffmpeg, xvfb-run, xdotool,
# ImageMagick's import and xwininfo. Preferences, index and caches go to a
# temporary folder, never the user's own.
set -euo pipefail
out=$(realpath -m "${1:-docs/window-search.png}")
work=$(mktemp -d -t earshot-window-XXXXXX)
trap 'rm -rf "$work"' EXIT
go build -o "$work/earshot" .

lib=$work/Music
# song FREQ SECONDS TITLE ARTIST ALBUM TRACK writes a tagged sine tone.
song() {
	local dir="$lib/$4/$5"
	mkdir -p "$dir"
	ffmpeg -nostdin -loglevel error -f lavfi -i "sine=frequency=$1:duration=$2" -ar 44100 \
		-metadata title="$3" -metadata artist="$4" -metadata album="$5" -metadata track="$6" "$dir/$6 $3.mp3"
}
song 440 7 "Glósóli" "Sigur Rós" "Takk" 2
song 494 9 "Hoppípolla" "Sigur Rós" "Takk" 3
song 523 4 "Hymne à l'amour" "Édith Piaf" "Best Of" 1
song 587 5 "La Vie en rose" "Édith Piaf" "Best Of" 2
song 659 3 "Evening Bus" "Ada Lark" "Blue Hour" 1
song 698 6 "Porch Light" "Ada Lark" "Blue Hour" 2
song 784 8 "Platform Nine" "Quiet Rooms" "Night Trains" 1
song 880 2 "Sleeper Car" "Quiet Rooms" "Night Trains" 2

mkdir -p "$work/bin"
cat >"$work/bin/xdg-open" <<EOF
#!/bin/sh
echo "\$1" >>"$work/opened"
EOF
chmod +x "$work/bin/xdg-open"

# A fixed port, so that the script can reach the server itself.
export PORT=${PORT:-47831}
export PATH=$work/bin:$PATH XDG_CONFIG_HOME=$work/config XDG_CACHE_HOME=$work/cache LIB=$lib WORK=$work OUT=$out
xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
	set -e
	"$WORK/earshot" -library "$LIB" -listen 127.0.0.1:$PORT -mdns=false 2>"$WORK/log" & pid=$!
	trap "kill $pid; wait $pid" EXIT
	for i in $(seq 60); do sleep 0.5; xwininfo -root -tree | grep -q "\"Earshot\"" && break; done
	sleep 3 # the scan
	win=$(xdotool search --name "^Earshot$" | head -1)
	xdotool windowfocus --sync "$win"
	key() { xdotool key --window "$win" --delay 120 "$@"; sleep 0.3; }
	key Tab Tab         # Choose folder…, then the search field
	xdotool type --window "$win" --delay 150 ro; sleep 0.5
	key Tab Tab Tab Tab Tab # the table, then the Title, Artist, Album and Duration headers
	key Return Return   # Duration ▲, then ▼
	key shift+Tab shift+Tab shift+Tab shift+Tab # back to the search field (Fyne goes back from Title past the table)
	# This computer'"'"'s browser starts a track: the devices list shows it
	# (it refreshes every 3 s).
	base=http://127.0.0.1:$PORT
	id=$(curl -s "$base/api/search?q=hoppipolla" | grep -o "\"id\":\"[^\"]*\"" | head -1 | cut -d\" -f4)
	curl -s -r 0-4095 -A "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0" "$base/api/tracks/$id/stream" -o /dev/null
	sleep 3.5
	import -window "$win" "$OUT"
	# A double-click on the first row, then Down and Enter on the table
	# (focused by the click): the first row and the second are to play.
	xdotool mousemove --window "$win" 200 180 click --repeat 2 --delay 80 1; sleep 1
	key Down Return; sleep 1
	for id in $(sed "s|.*#/play/||" "$WORK/opened"); do
		curl -s "$base/api/tracks/$id" | grep -o "\"title\":\"[^\"]*\"" >>"$WORK/played"
	done'
echo "opened by the window:"
cat "$work/opened"
echo "their tracks:"
cat "$work/played"
# The rows as the screenshot shows them: "ro" matched, longest first.
want='"title":"Hoppípolla"
"title":"Platform Nine"'
test "$(cat "$work/played")" = "$want" || { echo "want the first two rows played: $want" >&2; exit 1; }
echo "wrote $out"
