// Command earshot serves a music folder to every browser in the house: a
// desktop window to pick the folder and show the address, and a web player
// for phones and computers on the same network. With -headless it serves
// without a window (for a NAS, and for tests).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"

	"earshot/player"
	"earshot/web"
)

// version is the release. Its one source is FyneApp.toml's Version, which
// every make target (build, run, package, package-windows) sets here with
// -ldflags "-X main.version=…"; "dev" is only the fallback of a plain
// `go build` or `go run`.
var version = "dev"

// defaultListen is the GUI's and headless mode's default address: every
// interface, on a fixed port so that a phone's bookmark keeps working.
const defaultListen = ":7477"

// shutdownGrace is how long requests in flight get to finish on exit; the
// whole shutdown must take under 2 s even with streams open.
const shutdownGrace = 1500 * time.Millisecond

// config is the parsed command line.
type config struct {
	headless bool
	library  string
	listen   string
	keyFile  string // headless only: where the access key is kept
	noLAN    bool   // serve this computer only
	mdns     bool   // announce on the LAN with mDNS
	index    string // library index file; "" for the default, "off" for none
	// uploadsFromLAN is whether other devices may upload (headless only:
	// the window remembers its own switch).
	uploadsFromLAN bool
	// login is set when the start-at-login entry launched Earshot: the
	// window then starts hidden in the tray, where there is one.
	login bool
}

func main() {
	var cfg config
	flag.BoolVar(&cfg.headless, "headless", false, "serve without a window")
	flag.StringVar(&cfg.library, "library", "", "music folder to serve (default: the folder chosen last, else the Music folder, else a demo library)")
	flag.StringVar(&cfg.listen, "listen", defaultListen, "address to serve on, host:port (127.0.0.1:PORT for this computer only)")
	flag.StringVar(&cfg.keyFile, "key-file", "", "headless: file holding the access key, created on first run (default: earshot/access-key in the user config folder)")
	flag.BoolVar(&cfg.noLAN, "no-lan", false, "serve this computer only: no other device on the network can connect")
	flag.BoolVar(&cfg.mdns, "mdns", true, "announce the server on the LAN with mDNS as \"Earshot on <hostname>\"")
	flag.StringVar(&cfg.index, "index", "", "library index file, so launches after the first are instant (default: earshot/library.db in the user cache folder; \"off\" for none)")
	flag.BoolVar(&cfg.uploadsFromLAN, "uploads-from-lan", false, "headless: let paired devices on the network upload music and videos into the library folder (this computer always may)")
	flag.BoolVar(&cfg.login, loginFlag, false, "launched at login (the start-at-login entry uses it): start in the system tray without a window, where there is a tray")
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.Parse()
	if cfg.noLAN {
		cfg.listen = loopbackOnly(cfg.listen)
	}
	if *showVersion {
		fmt.Println("earshot", version)
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	run := runGUI
	if cfg.headless {
		run = runHeadless
	}
	if err := run(ctx, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "earshot:", err)
		os.Exit(1)
	}
}

// runHeadless serves cfg.library (or the default library) until ctx ends,
// printing one line with the address once the first scan is done.
func runHeadless(ctx context.Context, cfg config) error {
	src, err := headlessSource(cfg.library)
	if err != nil {
		return err
	}
	key, err := loadKey(cfg.keyFile)
	if err != nil {
		return err
	}
	opts, transcodes, closeIndex := openCaches(cfg.index)
	defer closeIndex()
	lib := player.New(opts)
	srv := web.New(lib, web.Options{Version: version, Key: key, TranscodeCache: transcodes, AppPasswords: appPasswords(opts),
		AppData: appData(opts)})
	srv.SetUploadsFromLAN(cfg.uploadsFromLAN)
	if err := srv.Listen(cfg.listen); err != nil {
		// Unlike the window, headless mode never moves to another port:
		// a service's address must stay where its users expect it.
		return fmt.Errorf("%w (is another Earshot or another server using it? headless mode does not pick another port: stop that one, or choose a port with -listen)", err)
	}
	if cfg.mdns {
		if err := srv.StartAnnouncing(); err != nil {
			slog.Warn("could not announce on the LAN", "err", err)
		}
	}
	events, unsubscribe := lib.Subscribe()
	g, gctx := errgroup.WithContext(ctx)
	g.Go(srv.Serve)
	g.Go(func() error {
		<-gctx.Done()
		return shutdown(srv)
	})
	g.Go(func() error {
		err := lib.Use(gctx, src)
		if errors.Is(err, player.ErrNotWatched) {
			slog.Warn("not watching the folder for changes", "err", err)
			<-gctx.Done()
			return nil
		}
		return err
	})
	g.Go(func() error {
		defer unsubscribe()
		announce(gctx, lib, srv, src.Name, events)
		return nil
	})
	return g.Wait()
}

// announce prints the serving line on the first ScanDone of the source
// called name, with the files that scan could not read, and logs the
// library folder going missing and coming back, until ctx ends.
func announce(ctx context.Context, lib *player.Library, srv *web.Server, name string, events <-chan player.Event) {
	served := false
	for {
		var ev player.Event
		select {
		case <-ctx.Done():
			return
		case ev = <-events:
		}
		if ev.Err != nil {
			slog.Warn("library index", "err", ev.Err) // not fatal: the scan fills or updates the library
		}
		switch {
		case ev.Kind == player.FolderMissing:
			slog.Warn("library folder missing: serving the cached library until it is back", "folder", ev.Source)
		case ev.Kind == player.FolderFound:
			slog.Info("library folder back: rescanning", "folder", ev.Source)
		case ev.Kind == player.ScanDone && ev.Source == name && !served:
			served = true
			for _, p := range lib.Problems() {
				slog.Warn("skipped unreadable file", "err", p)
			}
			url, lan := primaryURL(srv.Addresses())
			fmt.Printf("Earshot serving %d tracks from %s at %s\n", ev.Tracks, name, url)
			if srv.LAN() && lan {
				printPairing(os.Stdout, srv.PairingURL(url))
			}
		}
	}
}

// primaryURL picks the address to show: the first LAN one (a phone can
// open it; lan true), else the first, loopback, one. It returns "" when
// addrs is empty.
func primaryURL(addrs []web.Address) (url string, lan bool) {
	for _, a := range addrs {
		if !a.Loopback {
			return a.URL, true
		}
	}
	if len(addrs) == 0 {
		return "", false
	}
	return addrs[0].URL, false
}

// shutdown stops srv within shutdownGrace, closing streams still open.
func shutdown(srv *web.Server) error {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}

// headlessSource opens dir, or the default library when dir is "".
func headlessSource(dir string) (player.Source, error) {
	if dir != "" {
		return player.OpenFolder(dir)
	}
	return defaultSource(), nil
}
