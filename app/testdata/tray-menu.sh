#!/bin/bash
# tray-menu.sh makes docs/tray-menu.png: Earshot's tray menu in Debian's
# gtk-sni-tray-standalone (a StatusNotifierItem tray) under Xvfb, with the
# window closed to the tray. Run from the repository root:
#   xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session app/testdata/tray-menu.sh
set -euo pipefail
bin=$(mktemp -d)/earshot
go build -o "$bin" .
export HOME=$(mktemp -d) LANG=en_US.UTF-8
export XDG_RUNTIME_DIR=$HOME/run
mkdir -m 700 "$XDG_RUNTIME_DIR"
matchbox-window-manager -use_titlebar no &
status-notifier-watcher >/dev/null 2>&1 &
sleep 1
gtk-sni-tray-standalone --bottom >/dev/null 2>&1 &
sleep 2
"$bin" -listen :18791 -mdns=false >/dev/null 2>&1 &
pid=$!
for _ in $(seq 60); do sleep 0.5; curl -s 127.0.0.1:18791/api/status >/dev/null && break; done
sleep 3
wmctrl -c Earshot; sleep 1; wmctrl -c Earshot || true; sleep 1
xdotool mousemove 15 785 click 3
sleep 2
import -window root "$HOME/shot.png"
convert "$HOME/shot.png" -crop 360x240+0+560 +repage docs/tray-menu.png
kill $pid
