#!/usr/bin/env bash
# package.sh builds Earshot's packages with the Fyne tool (fyne package,
# v2.7.1); the Makefile's `package` and `package-windows` targets call it.
#
#   packaging/package.sh linux VERSION OUTDIR
#       OUTDIR/earshot-VERSION-linux-amd64.tar.xz, holding earshot/ with
#       install.sh, a Makefile (install, uninstall) and usr/local/: bin/earshot,
#       share/applications/io.earshot.app.desktop, the icon at 48, 128, 256
#       and 512 px in share/icons/hicolor, share/metainfo/io.earshot.app.metainfo.xml
#   packaging/package.sh windows VERSION OUTDIR
#       OUTDIR/earshot-VERSION-windows-amd64.exe, cross-built with cgo through
#       MinGW-w64 (x86_64-w64-mingw32-gcc), with the icon and version resource
#
# VERSION goes into the binary (-X main.version) and the package metadata.
# The Fyne tool writes into the folder it builds (fyne_metadata_init.go,
# fyne.syso, FyneApp.toml's Build), so it works on a copy of the source:
# the working tree stays untouched and builds running beside it are safe.
# fyne package's own tarball has a bare .desktop file named after the app's
# name and one 512-px icon in pixmaps; the Linux package replaces them.
set -euo pipefail

kind=${1:?usage: package.sh linux|windows VERSION OUTDIR}
version=${2:?missing VERSION}
out=${3:?missing OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
fyne=${FYNE:-fyne}
app=io.earshot.app

mkdir -p "$out"
out=$(cd "$out" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The source: the files git tracks or would track (a file deleted or
# removed meanwhile, say by a test running beside, is skipped), else
# everything but the VCS, node modules and build output.
mkdir "$tmp/src"
if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$top" && git ls-files -z -co --exclude-standard | tar --null --ignore-failed-read -T - -cf -) |
		tar -xf - -C "$tmp/src"
else
	tar -C "$top" --exclude=.git --exclude=node_modules --exclude=dist -cf - . | tar -xf - -C "$tmp/src"
fi
cd "$tmp/src"
export GOFLAGS="-ldflags=-X=main.version=$version"

case "$kind" in
linux)
	# fyne's tarball is only unpacked again: compressing it fast saves minutes.
	XZ_OPT=-0 "$fyne" package --os linux --release --appVersion "$version" >"$tmp/fyne.log" 2>&1 ||
		{ cat "$tmp/fyne.log" >&2; exit 1; }
	mkdir "$tmp/pkg"
	tar -xJf Earshot.tar.xz -C "$tmp/pkg"
	pkg=$tmp/pkg/earshot
	# fyne puts the tree under usr/local when the build machine has one,
	# else under usr; the package always has usr/local.
	if [ ! -d "$pkg/usr/local" ]; then
		mv "$pkg/usr" "$tmp/usr" && mkdir "$pkg/usr" && mv "$tmp/usr" "$pkg/usr/local"
	fi
	p=$pkg/usr/local
	rm -f "$p/share/applications/Earshot.desktop" "$p/share/pixmaps/Earshot.png" "$pkg/Makefile"
	rmdir "$p/share/pixmaps"
	cp "$here/$app.desktop" "$p/share/applications/$app.desktop"
	for size in 48 128 256 512; do
		mkdir -p "$p/share/icons/hicolor/${size}x$size/apps"
		convert assets/icon.png -strip -resize "${size}x$size" "$p/share/icons/hicolor/${size}x$size/apps/$app.png"
	done
	date=$(git -C "$top" log -1 --format=%cs 2>/dev/null || date -u +%F)
	mkdir -p "$p/share/metainfo"
	sed -e "s/@VERSION@/$version/" -e "s/@DATE@/$date/" "$here/$app.metainfo.xml.in" >"$p/share/metainfo/$app.metainfo.xml"
	cp "$here/install.sh" "$pkg/install.sh"
	cp "$here/Makefile.package" "$pkg/Makefile"
	chmod -R u=rwX,go=rX "$pkg"
	# Check what menus and software centres will read, when the tools are here.
	if command -v desktop-file-validate >/dev/null; then desktop-file-validate "$p/share/applications/$app.desktop"; fi
	if command -v appstreamcli >/dev/null; then appstreamcli validate --no-net --pedantic "$p/share/metainfo/$app.metainfo.xml" >/dev/null; fi
	file=$out/earshot-$version-linux-amd64.tar.xz
	# XZ_OPT picks the compression: unless set, -6 (xz's default) on every
	# core; -0 is about 7 times faster and 15 % larger.
	XZ_OPT=${XZ_OPT:--6 -T0} tar --sort=name --owner=0 --group=0 --numeric-owner -C "$tmp/pkg" -cJf "$file.part" earshot
	mv "$file.part" "$file"
	;;
windows)
	# An existing -exe makes fyne build once, after it has written the icon
	# resource (fyne.syso): its first build would clear GOFLAGS for the second.
	: >earshot.exe
	CC=${CC:-x86_64-w64-mingw32-gcc} CGO_ENABLED=1 GOOS=windows GOARCH=amd64 \
		"$fyne" package --os windows --release --appVersion "$version" --exe earshot.exe >"$tmp/fyne.log" 2>&1 ||
		{ cat "$tmp/fyne.log" >&2; exit 1; }
	file=$out/earshot-$version-windows-amd64.exe
	mv Earshot.exe "$file"
	;;
*)
	echo "package.sh: unknown kind $kind (linux or windows)" >&2
	exit 2
	;;
esac
echo "$file"
