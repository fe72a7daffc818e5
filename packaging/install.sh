#!/bin/sh
# install.sh installs Earshot from an unpacked Linux package (the folder this
# script is in, made by `make package`), or with --uninstall removes exactly
# what an earlier install put.
#
#   ./install.sh                 install for this user (~/.local), or, as root,
#                                system-wide (/usr/local)
#   ./install.sh --uninstall     remove it again (needs only this script)
#   PREFIX=/opt/earshot ./install.sh    another prefix
#   DESTDIR=/tmp/stage ./install.sh     stage for a distribution package
#
# It installs bin/earshot, the launcher share/applications/io.earshot.app.desktop
# (its Exec and TryExec rewritten to the installed binary's absolute path),
# the icon share/icons/hicolor/SIZExSIZE/apps/io.earshot.app.png and the
# AppStream file share/metainfo/io.earshot.app.metainfo.xml, and writes a
# list of the files, and of the folders it had to create (PREFIX itself
# included), to share/earshot/installed, which --uninstall reads. When the
# launcher and icon folders already hold a desktop-file or icon cache, the
# caches are brought up to date (update-desktop-database,
# gtk-update-icon-cache) if those tools exist; without a cache, menus read
# the folders themselves.
set -eu

app=io.earshot.app
files="bin/earshot
share/applications/$app.desktop
share/metainfo/$app.metainfo.xml
share/icons/hicolor/48x48/apps/$app.png
share/icons/hicolor/128x128/apps/$app.png
share/icons/hicolor/256x256/apps/$app.png
share/icons/hicolor/512x512/apps/$app.png"

if [ -z "${PREFIX:-}" ]; then
	if [ "$(id -u)" = 0 ]; then PREFIX=/usr/local; else PREFIX="$HOME/.local"; fi
fi
case "$PREFIX" in
/*) ;;
*) echo "install.sh: PREFIX must be an absolute path, not $PREFIX" >&2; exit 2 ;;
esac
root="${DESTDIR:-}$PREFIX"
manifest="$root/share/earshot/installed"

# refresh brings the launcher and icon caches up to date where there are
# caches to update; a staged install (DESTDIR) leaves that to the packager.
refresh() {
	[ -z "${DESTDIR:-}" ] || return 0
	if [ -f "$root/share/applications/mimeinfo.cache" ] && command -v update-desktop-database >/dev/null; then
		update-desktop-database -q "$root/share/applications" || true
	fi
	if [ -f "$root/share/icons/hicolor/icon-theme.cache" ] && command -v gtk-update-icon-cache >/dev/null; then
		gtk-update-icon-cache -q -t -f "$root/share/icons/hicolor" || true
	fi
}

uninstall() {
	if [ -f "$manifest" ]; then
		grep '^f ' "$manifest" | cut -c3- | while IFS= read -r f; do rm -f "$root/$f"; done
		dirs=$(grep '^d ' "$manifest" | cut -c3- | sort -r)
		rm -f "$manifest"
		# Folders last, deepest first, and only those left empty.
		echo "$dirs" | while IFS= read -r d; do
			[ -z "$d" ] || rmdir "$d" 2>/dev/null || true
		done
	else
		# Without the list (deleted by hand): the fixed set of files.
		echo "$files" | while IFS= read -r f; do rm -f "$root/$f"; done
	fi
	refresh
	echo "Removed Earshot from $root"
}

if [ "${1:-}" = --uninstall ]; then
	uninstall
	exit 0
elif [ $# -gt 0 ]; then
	echo "usage: [PREFIX=DIR] [DESTDIR=DIR] $0 [--uninstall]" >&2
	exit 2
fi

src="$(cd "$(dirname "$0")" && pwd)/usr/local"
[ -x "$src/bin/earshot" ] || { echo "install.sh: no $src/bin/earshot: run it from an unpacked package" >&2; exit 1; }

# mkdirs creates the folder $1 (absolute) and those above it that are
# missing, noting each so that --uninstall can remove them again; folders an
# earlier install created stay noted.
created=$(mktemp)
trap 'rm -f "$created"' EXIT
if [ -f "$manifest" ]; then grep '^d ' "$manifest" >"$created" || true; fi
mkdirs() {
	if [ -d "$1" ]; then return 0; fi
	mkdirs "$(dirname "$1")"
	mkdir "$1"
	echo "d $1" >>"$created"
}

# cmd is the launcher's Exec value: the installed binary, quoted as the
# Desktop Entry spec asks when its path has a space.
cmd="$PREFIX/bin/earshot"
case "$cmd" in *" "*) cmd="\"$cmd\"" ;; esac

for f in $files share/earshot/installed; do
	mkdirs "$(dirname "$root/$f")"
done
echo "$files" | while IFS= read -r f; do
	case "$f" in
	bin/*) install -m 0755 "$src/$f" "$root/$f" ;;
	*.desktop)
		sed -e "s|^Exec=earshot\$|Exec=$cmd|" -e "s|^TryExec=earshot\$|TryExec=$PREFIX/bin/earshot|" "$src/$f" >"$root/$f"
		chmod 0644 "$root/$f" ;;
	*) install -m 0644 "$src/$f" "$root/$f" ;;
	esac
done
{ sort -u "$created"; echo "$files" | sed 's/^/f /'; } >"$manifest"
# Menus notice a new icon size folder through its parent's modification time.
touch "$root/share/icons/hicolor"
refresh
echo "Installed Earshot in $root ($PREFIX/bin/earshot, launcher $app.desktop)"
