package main

import (
	"context"
	"log/slog"
	"net"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"earshot/app"
	"earshot/assets"
	"earshot/player"
	"earshot/web"
)

// appID identifies Earshot to Fyne; its preferences (the chosen folder,
// the access key, the LAN and uploads switches) are stored under it.
const appID = "io.earshot.app"

// runGUI opens the Earshot window and serves the library until the window
// is closed or ctx ends. If the listen address is taken (another Earshot?),
// it falls back to a free port rather than not starting.
func runGUI(ctx context.Context, cfg config) error {
	a := fyneapp.NewWithID(appID)
	a.SetIcon(assets.Icon)
	settings := app.LoadSettings(a.Preferences(), web.NewKey)
	opts, transcodes, closeIndex := openCaches(cfg.index)
	defer closeIndex()
	lib := player.New(opts)
	srv := web.New(lib, web.Options{Version: version, Key: settings.AccessKey, RequireKeyOnLoopback: settings.RequireKeyOnLoopback, TranscodeCache: transcodes})
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
