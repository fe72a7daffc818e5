package main

import (
	"context"
	"log/slog"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"earshot/app"
	"earshot/assets"
	"earshot/player"
	"earshot/web"
)

// appID identifies Earshot to Fyne; its preferences (the chosen folder)
// are stored under it.
const appID = "io.earshot.app"

// runGUI opens the Earshot window and serves the library until the window
// is closed or ctx ends. If the listen address is taken (another Earshot?),
// it falls back to a free port rather than not starting.
func runGUI(ctx context.Context, cfg config) error {
	a := fyneapp.NewWithID(appID)
	a.SetIcon(assets.Icon)
	lib := player.NewLibrary()
	srv := web.New(lib, web.Options{Version: version})
	if err := srv.Listen(cfg.listen); err != nil {
		slog.Warn("listen address taken, using a free port", "err", err)
		if err := srv.Listen(":0"); err != nil {
			return err
		}
	}
	go func() {
		if err := srv.Serve(); err != nil {
			slog.Error("server stopped", "err", err)
		}
	}()
	defer shutdown(srv)

	ui := app.New(a, lib, srv, defaultSource())
	if cfg.library != "" {
		ui.ChooseFolder(cfg.library)
	} else {
		ui.Start(ctx)
	}
	go func() {
		<-ctx.Done()
		fyne.Do(a.Quit)
	}()
	ui.Window().ShowAndRun()
	return nil
}
