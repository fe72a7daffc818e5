# Earshot: `make run` opens the app, `make test` runs every test. Both first
# install whatever is missing on a Debian/Ubuntu machine (apt, as root or
# with sudo), so they work on a fresh machine as they do on CI.

SHELL := /bin/bash
export PATH := /usr/local/go/bin:$(HOME)/go/bin:$(PATH)
export LANG := en_US.UTF-8
# A Go older than go.mod asks for fetches the right toolchain by itself.
export GOTOOLCHAIN := auto

# VERSION is the release, kept in one place: FyneApp.toml's Version. Every
# build here sets it into the binary (-X main.version) and fyne package into
# the package metadata, so `earshot -version` and the package agree.
VERSION := $(shell sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml)
LDFLAGS := -X main.version=$(VERSION)

# Fyne's C build needs these; `make run` needs nothing more.
RUN_PKGS := gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev \
	libxinerama-dev libxi-dev libxxf86vm-dev xdg-user-dirs
# Tests also drive real browsers, real ffmpeg/ffprobe and a virtual display.
# zbar-tools reads the QR code back; iproute2 and curl make the LAN test's "phone": a network namespace on a veth pair.
# The browser tests run in Chromium, Firefox ESR (through Node's puppeteer-core)
# and WebKitGTK (WebKitWebDriver, which decodes through GStreamer's plugins:
# libav for AAC); pulseaudio gives headless browsers a null sink.
# The desktop test (desktop_test.go) runs the window on its own Xvfb with a
# session bus (dbus-daemon), a window manager wmctrl can ask to close a
# window (matchbox), and a StatusNotifierItem tray host, the protocol Fyne's
# tray speaks (status-notifier-watcher, gtk-sni-tray-standalone).
# musepack-tools gives mpcenc: ffmpeg decodes Musepack but cannot encode it,
# and the format tests make their .mpc fixture with it.
# desktop-file-utils checks the start-at-login entry (desktop-file-validate), and
# libglib2.0-bin's gio launches it as GNOME's session does.
# npm only where there is no npm command: NodeSource's nodejs bundles npm and
# conflicts with Debian's npm package.
# The package tests need PACKAGE_PKGS: xz-utils and imagemagick make the
# Linux package, gcc-mingw-w64-x86-64 cross-builds the Windows one, and
# desktop-file-utils, appstream and dex check and resolve the launcher.
PACKAGE_PKGS := xz-utils imagemagick gcc-mingw-w64-x86-64 desktop-file-utils appstream dex file
TEST_PKGS := $(RUN_PKGS) $(PACKAGE_PKGS) chromium ffmpeg xvfb xauth iproute2 curl zbar-tools \
	firefox-esr webkit2gtk-driver gstreamer1.0-plugins-good gstreamer1.0-libav pulseaudio \
	musepack-tools desktop-file-utils libglib2.0-bin dbus-daemon procps matchbox-window-manager wmctrl \
	haskell-status-notifier-item-utils haskell-gtk-sni-tray-utils xdotool python3-xlib nodejs $(if $(shell command -v npm),,npm)
# E2E_STAMP is npm ci's record of what it installed in web/e2e: it is
# remade when missing or older than the lock file.
E2E_STAMP := web/e2e/node_modules/.package-lock.json

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-short vet-cross fuzz deps-run deps-test build screenshots print-version \
	package package-windows install uninstall deps-package

run: deps-run
	go run -ldflags "$(LDFLAGS)" .

test: deps-test
	go vet ./...
	@$(MAKE) --no-print-directory vet-cross
	go test -timeout 40m ./...
	@$(MAKE) --no-print-directory fuzz

# test-short is the fast lane for development (under a minute once built):
# every test but those that need ffmpeg fixtures or a browser (they skip
# themselves under -short), and no fuzzing. CI runs `make test`.
test-short: deps-run
	go vet ./...
	go test -short ./...

# vet-cross vets the packages without a GUI for Windows and macOS: the
# library, the transcoder, the server and the locale fix must build there (the GUI needs
# cgo, and bench is Linux-only).
NON_GUI := ./player/... ./web/... ./transcode ./locale ./instance ./logfile
vet-cross:
	GOOS=windows go vet $(NON_GUI)
	GOOS=darwin go vet $(NON_GUI)

# fuzz gives each fuzz target a short run, counted in executions rather
# than seconds: a time-limited run can end with a spurious "context deadline
# exceeded" in Go 1.26 (golang/go#75804). FUZZ_TIME overrides every count,
# e.g. `make fuzz FUZZ_TIME=10m` for a long run.
export FUZZ_TIME
FUZZ_TARGETS := web:FuzzFixRange:50000x web:FuzzRouting:5000x player/probe:FuzzReadTags:10000x \
	player/probe:FuzzReadDuration:10000x player/probe:FuzzParseFFprobe:20000x player/artwork:FuzzMakeThumbnail:100x player:FuzzSearch:5000x \
	player/probe:FuzzMP3AsMP4:5000x player/probe:FuzzParseSV8Length:20000x \
	player/cue:FuzzParse:20000x player/cue:FuzzReadFLAC:20000x player/lyrics:FuzzParseLRC:20000x player/playlistfile:FuzzParse:20000x
fuzz:
	@for t in $(FUZZ_TARGETS); do \
		pkg=$$(echo $$t | cut -d: -f1); name=$$(echo $$t | cut -d: -f2); n=$${FUZZ_TIME:-$$(echo $$t | cut -d: -f3)}; \
		echo "fuzz $$pkg $$name ($$n)"; \
		go test ./$$pkg -run '^$$' -fuzz "^$$name$$" -fuzztime $$n || exit 1; \
	done

build: deps-run
	go build -ldflags "$(LDFLAGS)" -o earshot .

# print-version prints VERSION (`make -s print-version`).
print-version:
	@echo $(VERSION)

# Packages. PKG_DIR is where they go. `fyne package` comes from Fyne's own
# module at the version go.mod uses, installed into ~/go/bin when missing
# (the newer fyne.io/tools is not used). packaging/package.sh says what each
# package holds; PACKAGE_PKGS are the tools it needs.
PKG_DIR ?= dist
FYNE_VERSION := v2.7.1
FYNE := $(HOME)/go/bin/fyne
LINUX_PKG := $(PKG_DIR)/earshot-$(VERSION)-linux-amd64.tar.xz

$(FYNE):
	GOBIN=$(HOME)/go/bin go install fyne.io/fyne/v2/cmd/fyne@$(FYNE_VERSION)

deps-package: deps-run
	@$(MAKE) --no-print-directory apt PKGS="$(PACKAGE_PKGS)"

# package makes $(LINUX_PKG): the binary, the launcher io.earshot.app.desktop,
# the icon at 48-512 px, the AppStream metainfo, and install.sh.
package: deps-package $(FYNE)
	FYNE=$(FYNE) packaging/package.sh linux $(VERSION) $(PKG_DIR)

# package-windows makes $(PKG_DIR)/earshot-$(VERSION)-windows-amd64.exe with
# the MinGW-w64 cross compiler (cgo; a first build takes minutes).
package-windows: deps-package $(FYNE)
	FYNE=$(FYNE) packaging/package.sh windows $(VERSION) $(PKG_DIR)

# install builds the Linux package and installs it with its install.sh: for
# this user under ~/.local, or as root under /usr/local; PREFIX=DIR and
# DESTDIR=DIR choose another place. uninstall removes exactly what install put
# (with the same PREFIX and DESTDIR).
install: package
	@tmp=$$(mktemp -d) && tar -xJf $(LINUX_PKG) -C $$tmp && $$tmp/earshot/install.sh; rc=$$?; rm -rf $$tmp; exit $$rc
uninstall:
	@packaging/install.sh --uninstall

# deps-% installs the packages of the list that dpkg does not have yet,
# and Go itself when there is none (the distribution's Go is enough to
# bootstrap: GOTOOLCHAIN=auto then fetches the version go.mod names).
deps-run:
	@$(MAKE) --no-print-directory apt PKGS="$(RUN_PKGS)"
deps-test:
	@$(MAKE) --no-print-directory apt PKGS="$(TEST_PKGS)"
	@$(MAKE) --no-print-directory $(E2E_STAMP)

# The browser tests' npm packages (puppeteer-core, axe-core) and the
# Subsonic client TestSubsonicRealClient runs (subsonic-api), exactly as
# locked; touch marks them current even when npm kept the old file.
$(E2E_STAMP): web/e2e/package-lock.json web/e2e/package.json
	npm ci --prefix web/e2e --no-audit --no-fund
	touch $@

.PHONY: apt
apt:
	@missing=$$(for p in $(PKGS) $$(command -v go >/dev/null || echo golang-go); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing: $$missing"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# screenshots regenerates docs/screenshot.png, docs/window-uploads.png and docs/tray-menu.png
# (the window under Xvfb; the second after files were dropped on it, which
# needs python3-xlib), docs/phone*.png (the page in Chromium's 390×844
# emulation), and docs/firefox-*.png
# and docs/webkit-*.png (the page in Firefox and WebKitGTK at both sizes).
screenshots: deps-test
	go build -o /tmp/earshot-shot .
	xvfb-run -a -s "-screen 0 1280x800x24" bash -c '/tmp/earshot-shot -listen :0 -mdns=false & pid=$$!; \
		for i in $$(seq 60); do sleep 0.5; xwininfo -root -tree | grep -q Earshot && break; done; sleep 5; \
		import -window root docs/screenshot.png; kill $$pid'
	bash app/testdata/window-uploads.sh docs/window-uploads.png
	xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session app/testdata/tray-menu.sh
	go test ./web -run 'TestBrowser/phone|TestBrowserViews|TestBrowserPhoneAlbums|TestBrowserQueue|TestBrowserMediaSession|TestBrowserVideo|TestBrowserEngineScreenshots' -update-docs
