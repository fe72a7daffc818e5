package main

import "earshot/autostart"

// loginFlag is the flag the start-at-login entry launches Earshot with.
const loginFlag = "login"

// startAtLogin returns Earshot's start-at-login entry, named after the
// app ID (io.earshot.app.desktop in the XDG autostart folder, the Run
// value io.earshot.app, the LaunchAgent io.earshot.app): this executable,
// symbolic links resolved, with -login.
func startAtLogin() (autostart.Item, error) {
	exec, err := autostart.Executable("-" + loginFlag)
	if err != nil {
		return autostart.Item{}, err
	}
	return autostart.Item{
		Config: autostart.Config{ID: appID},
		Entry: autostart.Entry{
			Name:    "Earshot",
			Comment: "Play your own music files in every browser in the house",
			Icon:    appID,
			Exec:    exec,
		},
	}, nil
}
