package main

import "github.com/godbus/dbus/v5"

// trayAvailable reports whether the desktop shows tray icons. Fyne's tray
// speaks the StatusNotifierItem protocol over D-Bus, so on Linux a tray is
// there when a StatusNotifierWatcher (the host's registry) owns its name on
// the session bus: GNOME with its AppIndicator extension, KDE, Xfce's and
// LXQt's panels, waybar. A tray that only knows the older XEmbed protocol
// (stalonetray, trayer) does not count: Fyne cannot put an icon there.
func trayAvailable() bool {
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		return false
	}
	defer conn.Close()
	var owned bool
	err = conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, "org.kde.StatusNotifierWatcher").Store(&owned)
	return err == nil && owned
}
