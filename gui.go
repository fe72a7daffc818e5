package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/systray"

	"earshot/app"
	"earshot/assets"
	"earshot/instance"
	"earshot/player"
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
	ui.SetTray(app.Tray{Available: trayAvailable(), SetTooltip: systray.SetTooltip})
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
