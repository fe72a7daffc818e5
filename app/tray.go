package app

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// prefTrayNoteShown records that the note "Earshot keeps running in the
// tray" was shown once, on the first close of the window.
const prefTrayNoteShown = "trayNoteShown"

// Tray is what the desktop offers for a system tray icon; main finds it
// out (the app package does not talk to the desktop itself).
type Tray struct {
	// Available reports that a tray host shows icons: closing the window
	// then hides it and Earshot keeps serving. Without one, closing the
	// window quits.
	Available bool
	// SetTooltip sets the icon's tooltip; nil when it cannot be set.
	SetTooltip func(string)
}

// The tray menu's labels.
const (
	trayOpen    = "Open Earshot"
	trayBrowser = "Open in browser"
	trayPair    = "Pair a phone…"
	trayLAN     = "Allow other devices"
	trayPause   = "Pause sharing"
	trayResume  = "Resume sharing"
	trayQuit    = "Quit"
)

// SetTray gives the window a system tray icon with its menu ([UI.trayMenu])
// when t.Available, and decides what closing the window does: hide it
// while the tray icon stays, or quit. Call it before the window is shown.
func (u *UI) SetTray(t Tray) {
	u.tray = t
	u.win.SetCloseIntercept(u.closeWindow)
	if !t.Available {
		return
	}
	if d, ok := u.app.(desktop.App); ok {
		d.SetSystemTrayIcon(u.app.Icon())
		u.refreshTray()
	}
}

// refreshTray sets the tray's menu again, so that its checks and labels
// follow the server's state, and its tooltip.
func (u *UI) refreshTray() {
	if !u.tray.Available {
		return
	}
	if d, ok := u.app.(desktop.App); ok {
		d.SetSystemTrayMenu(u.trayMenu())
	}
	if u.tray.SetTooltip != nil {
		u.tray.SetTooltip(u.trayTooltip())
	}
}

// trayMenu returns the tray icon's menu: Open Earshot, Open in browser,
// Pair a phone…, Allow other devices (checked while they may connect),
// Pause sharing or Resume sharing, and Quit.
func (u *UI) trayMenu() *fyne.Menu {
	lan := fyne.NewMenuItem(trayLAN, func() { u.setLANFromTray(!u.srv.LAN()) })
	lan.Checked = u.srv.LAN()
	pause := fyne.NewMenuItem(trayPause, func() { u.setPaused(true) })
	if u.srv.Paused() {
		pause = fyne.NewMenuItem(trayResume, func() { u.setPaused(false) })
	}
	quit := fyne.NewMenuItem(trayQuit, u.quitApp)
	quit.IsQuit = true
	return fyne.NewMenu("Earshot",
		fyne.NewMenuItem(trayOpen, u.showWindow),
		fyne.NewMenuItem(trayBrowser, u.openInBrowser),
		fyne.NewMenuItem(trayPair, u.pairFromTray),
		fyne.NewMenuItemSeparator(),
		lan, pause,
		fyne.NewMenuItemSeparator(),
		quit,
	)
}

// trayTooltip says how many devices are listening now, or that sharing is
// paused.
func (u *UI) trayTooltip() string {
	if u.srv.Paused() {
		return "Earshot · sharing paused"
	}
	n := 0
	for _, d := range u.devices {
		if d.NowPlaying != "" {
			n++
		}
	}
	switch n {
	case 0:
		return "Earshot · no one listening"
	case 1:
		return "Earshot · 1 device listening"
	}
	return fmt.Sprintf("Earshot · %d devices listening", n)
}

// ShowWindow shows the window and brings it to the front: a later launch
// of Earshot and the tray's Open Earshot ask for it.
func (u *UI) ShowWindow() { u.showWindow() }

// showWindow is [UI.ShowWindow].
func (u *UI) showWindow() {
	u.win.Show()
	u.win.RequestFocus()
}

// closeWindow answers the window's close button: with a tray it hides the
// window and keeps serving (saying so, the first time, in a
// notification); without one it quits.
func (u *UI) closeWindow() {
	if !u.tray.Available {
		u.quitApp()
		return
	}
	u.win.Hide()
	if !u.app.Preferences().Bool(prefTrayNoteShown) {
		u.app.Preferences().SetBool(prefTrayNoteShown, true)
		u.app.SendNotification(fyne.NewNotification("Earshot is still running",
			"It keeps playing to your devices. Quit it from its icon in the tray."))
	}
}

// quitApp stops the window's work and quits the app; main then shuts the
// server down.
func (u *UI) quitApp() {
	u.stop()
	u.app.Quit()
}

// setLANFromTray switches LAN access as the window's check does (its
// OnChanged switches the server, remembers it and refreshes the tray).
func (u *UI) setLANFromTray(allow bool) {
	u.lanCheck.SetChecked(allow)
}

// setPaused pauses or resumes sharing with other devices.
func (u *UI) setPaused(paused bool) {
	u.srv.SetPaused(paused)
	u.refreshTray()
}

// pairFromTray shows the window and, when other devices may connect, the
// pairing QR code large in a dialog.
func (u *UI) pairFromTray() {
	u.showWindow()
	if u.selected == "" {
		return // the window's panel says why no phone can pair now
	}
	link := u.srv.PairingURL(u.selected)
	img, err := qrImage(link, 2*qrSide)
	if err != nil {
		u.showError(err)
		return
	}
	code := canvas.NewImageFromImage(img)
	code.FillMode = canvas.ImageFillOriginal
	hint := widget.NewLabel(scanHint)
	hint.Wrapping = fyne.TextWrapWord
	content := container.NewVBox(code, hint, widget.NewLabel(link))
	u.showMessage("Pair a phone", theme.ComputerIcon(), content, "Done", fyne.NewSize(480, 0))
}
