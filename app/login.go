package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// LoginItem is what the window needs to start Earshot when the user logs
// in; main passes the platform's entry (autostart.Config) for this
// executable launched with -login.
type LoginItem interface {
	// Enabled reports whether Earshot starts at login now.
	Enabled() (bool, error)
	// Enable makes Earshot start at the next login. On error the entry is
	// as it was.
	Enable() error
	// Disable stops Earshot starting at login.
	Disable() error
}

// Texts of the start-at-login switch.
const (
	loginLabel   = "Start Earshot when I log in"
	loginReadErr = "Can't tell whether Earshot starts at login: "
	loginOnErr   = "Couldn't make Earshot start at login: "
	loginOffErr  = "Couldn't stop Earshot starting at login: "
)

// loginSwitch is the start-at-login check and the line under it that says
// why the last change failed; both stay hidden until
// [UI.OfferStartAtLogin]. Touched on the UI goroutine only.
type loginSwitch struct {
	item  LoginItem
	check *widget.Check
	err   *widget.Label
	box   *fyne.Container
	// quiet is set while the check is set from code, so that OnChanged
	// does not write the entry back.
	quiet bool
}

// newLoginSwitch builds the hidden check "Start Earshot when I log in"
// and its error line, for the window's panel.
func (u *UI) newLoginSwitch() fyne.CanvasObject {
	u.login.check = widget.NewCheck(loginLabel, u.setStartAtLogin)
	u.login.err = widget.NewLabel("")
	u.login.err.Wrapping = fyne.TextWrapWord
	u.login.err.Importance = widget.DangerImportance
	u.login.err.Hide()
	u.login.box = container.NewVBox(u.login.check, u.login.err)
	u.login.box.Hide()
	return u.login.box
}

// OfferStartAtLogin shows the check "Start Earshot when I log in" in the
// window, ticked when item is enabled now; ticking it enables item and
// unticking disables it, and a failure is said under the check, which
// goes back to what is true (unticked when item cannot be read). Call it on the UI goroutine, before the
// window is shown; without a call the check stays hidden.
func (u *UI) OfferStartAtLogin(item LoginItem) {
	u.login.item = item
	on, err := item.Enabled()
	u.setLoginCheck(on && err == nil)
	u.showLoginError(loginReadErr, err)
	u.login.box.Show()
}

// setStartAtLogin answers a tick or untick of the check.
func (u *UI) setStartAtLogin(on bool) {
	if u.login.quiet || u.login.item == nil {
		return
	}
	prefix, err := loginOnErr, error(nil)
	if on {
		err = u.login.item.Enable()
	} else {
		prefix, err = loginOffErr, u.login.item.Disable()
	}
	u.showLoginError(prefix, err)
	if err != nil {
		// Show what is true now: the entry as it was, if it can be read.
		now, rerr := u.login.item.Enabled()
		if rerr != nil {
			now = !on
		}
		u.setLoginCheck(now)
	}
}

// setLoginCheck ticks or unticks the check without writing the entry.
func (u *UI) setLoginCheck(on bool) {
	u.login.quiet = true
	u.login.check.SetChecked(on)
	u.login.quiet = false
}

// showLoginError says prefix and err under the check, or hides the line
// when err is nil.
func (u *UI) showLoginError(prefix string, err error) {
	if err == nil {
		u.login.err.SetText("")
		u.login.err.Hide()
		return
	}
	u.login.err.SetText(prefix + err.Error())
	u.login.err.Show()
}

// Run shows the window and runs the app until it quits; it is main's last
// call. Launched at login (atLogin: the -login flag of the start-at-login
// entry) with a tray ([UI.SetTray] with Available), Earshot starts in the
// tray and the window stays hidden until asked for; without a tray the
// window opens, since nothing else could bring it up.
func (u *UI) Run(atLogin bool) {
	if u.showsAtStart(atLogin) {
		u.win.ShowAndRun()
		return
	}
	u.app.Run()
}

// showsAtStart reports whether [UI.Run] shows the window.
func (u *UI) showsAtStart(atLogin bool) bool {
	return !atLogin || !u.tray.Available
}
