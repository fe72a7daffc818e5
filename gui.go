package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/systray"

	"earshot/app"
	"earshot/assets"
	"earshot/instance"
	"earshot/logfile"
	"earshot/player"
	"earshot/player/store"
	"earshot/web"
)

// appID identifies Earshot to Fyne; its preferences (the chosen folder,
// the access key, the LAN and uploads switches) are stored under it.
const appID = "io.earshot.app"

// runGUI opens the Earshot window and serves the library until the app
// quits (the tray's Quit, or closing the window where there is no tray) or
// ctx ends. When Earshot already runs for this user it asks that one to
// show its window and returns nil at once ([instance.Claim]). If the
// listen address is taken by another program, it falls back to a free
// port rather than not starting.
func runGUI(ctx context.Context, cfg config) error {
	inst, err := claimInstance()
	if errors.Is(err, instance.ErrRunning) {
		fmt.Println("Earshot is already running: its window was brought to the front.")
		return nil
	}
	if inst != nil {
		defer inst.Close()
	}
	logPath, closeLog := logToFile()
	defer closeLog()
	a := fyneapp.NewWithID(appID)
	a.SetIcon(assets.Icon)
	settings := app.LoadSettings(a.Preferences(), web.NewKey)
	opts, transcodes, closeIndex := openCaches(cfg.index)
	defer closeIndex()
	lib := player.New(opts)
	srv := web.New(lib, web.Options{Version: version, Key: settings.AccessKey, RequireKeyOnLoopback: settings.RequireKeyOnLoopback, TranscodeCache: transcodes,
		AppPasswords: appPasswords(opts), AppData: appData(opts)})
	srv.SetUploadsFromLAN(settings.UploadsFromLAN)
	listen := cfg.listen
	if !settings.AllowLAN {
		listen = loopbackOnly(listen)
	}
	if err := srv.Listen(listen); err != nil {
		slog.Warn("listen address taken, using a free port", "err", err)
		host, _, _ := net.SplitHostPort(listen)
		if err := srv.Listen(net.JoinHostPort(host, "0")); err != nil {
			return err
		}
	}
	slog.Info("Earshot started", "version", version, "address", srv.Addr().String(), "log", logPath)
	if cfg.mdns {
		if err := srv.StartAnnouncing(); err != nil {
			slog.Warn("could not announce on the LAN", "err", err)
		}
	}
	go func() {
		if err := srv.Serve(); err != nil {
			slog.Error("server stopped", "err", err)
		}
	}()
	defer shutdown(srv)

	ui := app.New(a, lib, appServer{srv}, defaultSource())
	tray := trayAvailable()
	if !tray && cfg.login { // the panel may come up after us
		slog.Info("launched at login before a tray: waiting for one", "for", loginTrayWait)
		tray = waitForTray(ctx, loginTrayWait)
	}
	ui.SetTray(app.Tray{Available: tray, SetTooltip: systray.SetTooltip})
	ui.SetAbout(aboutInfo(a, cfg.index, logPath))
	if inst != nil {
		go func() {
			for range inst.Shows() {
				fyne.Do(ui.ShowWindow)
			}
		}()
	}
	if item, err := startAtLogin(); err == nil {
		ui.OfferStartAtLogin(item)
	} else {
		slog.Warn("start at login is not available", "err", err)
	}
	if cfg.library != "" {
		ui.ChooseFolder(cfg.library)
	} else {
		ui.Start(ctx)
	}
	go func() {
		<-ctx.Done()
		fyne.Do(a.Quit)
	}()
	ui.Run(cfg.login)
	return nil
}

// licence is what the About dialog says of Earshot's terms and of the
// libraries built into it.
const licence = "Earshot has no licence file yet: all rights are reserved by its authors. " +
	"Built with Fyne (BSD-3-Clause), tusd (MIT), dhowden/tag (BSD-2-Clause), modernc.org/sqlite (BSD-3-Clause), " +
	"fsnotify (BSD-3-Clause), hashicorp/mdns (MIT), go-qrcode (MIT) and Go (BSD-3-Clause). " +
	"ffmpeg, when installed, runs as a separate program under its own licence."

// aboutInfo is what the About dialog shows: the version, the licence, and
// where the settings (a's preferences), the index (indexFlag as -index
// takes it), the caches beside it and the log at logPath live.
func aboutInfo(a fyne.App, indexFlag, logPath string) app.AboutInfo {
	info := app.AboutInfo{Version: version, Licence: licence, Logs: logPath,
		Settings: filepath.Join(a.Storage().RootURI().Path(), "preferences.json")}
	switch indexFlag {
	case "off":
	case "":
		if p, err := store.DefaultIndexPath(); err == nil {
			info.Index, info.Caches = p, filepath.Dir(p)
		}
	default:
		info.Index, info.Caches = indexFlag, filepath.Dir(indexFlag)
	}
	return info
}

// logToFile sends the log (slog's and the standard log's, which Fyne
// writes to) to a file in the user cache folder, earshot/logs/earshot.log,
// rotated at 2 MiB ([logfile]), as well as to standard error. It returns
// the file's path ("" when it cannot be made: the log then stays on
// standard error) and a function that closes it.
func logToFile() (path string, closeLog func()) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", func() {}
	}
	w, err := logfile.Open(filepath.Join(dir, "earshot", "logs", "earshot.log"), 0)
	if err != nil {
		slog.Warn("logging to standard error only", "err", err)
		return "", func() {}
	}
	out := io.MultiWriter(w, os.Stderr) // the file first: a closed stderr must not stop it
	log.SetOutput(out)
	slog.SetDefault(slog.New(slog.NewTextHandler(out, nil)))
	return w.Path(), func() { w.Close() }
}

// claimInstance makes this the running Earshot of this user (see
// [instance.Claim]). It returns [instance.ErrRunning] when another one
// runs and was asked to show its window. Other failures are logged and
// give a nil instance: Earshot then runs without the guard.
func claimInstance() (*instance.Instance, error) {
	dir, err := instance.Dir()
	if err == nil {
		var inst *instance.Instance
		if inst, err = instance.Claim(dir); err == nil || errors.Is(err, instance.ErrRunning) {
			return inst, err
		}
	}
	slog.Warn("cannot make sure only one Earshot runs", "err", err)
	return nil, nil
}

// appServer adapts *web.Server to app.Server: each package owns its Device
// type (app must not import web), and the two have the same fields.
type appServer struct{ *web.Server }

// Addresses converts [web.Server.Addresses] to the app's type.
func (s appServer) Addresses() []app.Address {
	as := s.Server.Addresses()
	out := make([]app.Address, len(as))
	for i, a := range as {
		out[i] = app.Address(a)
	}
	return out
}

// Devices converts [web.Server.Devices] to the app's type.
func (s appServer) Devices() []app.Device {
	ds := s.Server.Devices()
	out := make([]app.Device, len(ds))
	for i, d := range ds {
		out[i] = app.Device(d)
	}
	return out
}

// appServer gives the window "Connect an app…" ([web.Server]'s app
// passwords).
var _ app.AppPasswords = appServer{}
