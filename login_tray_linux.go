package main

import (
	"context"
	"time"

	"github.com/godbus/dbus/v5"
)

// loginTrayWait is how long a launch at login waits for a tray to appear
// before it opens the window instead: a session may start autostart
// entries before its panel (systemd's xdg-autostart units, KDE and Xfce
// panels that start in parallel). Serving does not wait.
const loginTrayWait = 15 * time.Second

// waitForTray waits up to d, or until ctx ends, for a StatusNotifierWatcher
// to own its name on the session bus (see [trayAvailable]), and reports
// whether one does. It listens for the bus's NameOwnerChanged signal, so
// a tray that comes up is seen at once.
func waitForTray(ctx context.Context, d time.Duration) bool {
	const watcher = "org.kde.StatusNotifierWatcher"
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		return false
	}
	defer conn.Close()
	if err := conn.AddMatchSignal(dbus.WithMatchInterface("org.freedesktop.DBus"),
		dbus.WithMatchMember("NameOwnerChanged"), dbus.WithMatchArg(0, watcher)); err != nil {
		return false
	}
	signals := make(chan *dbus.Signal, 8)
	conn.Signal(signals)
	// Asked after subscribing, so that a watcher that came in between is
	// not missed.
	var owned bool
	if conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, watcher).Store(&owned) == nil && owned {
		return true
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	for {
		select {
		case s := <-signals:
			// NameOwnerChanged(name, old owner, new owner): a new owner
			// means the watcher is there.
			if len(s.Body) == 3 && s.Body[0] == watcher && s.Body[2] != "" {
				return true
			}
		case <-timer.C:
			return false
		case <-ctx.Done():
			return false
		}
	}
}
