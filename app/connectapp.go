package app

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"earshot/player"
)

// SubsonicUser is the user name Subsonic apps log in with (the web
// server's subsonic.Username; app does not import web).
const SubsonicUser = "earshot"

// AppPasswords is what "Connect an app…" needs of the server: the app
// passwords of Subsonic apps (Symfonium, DSub…). A [Server] that has
// them implements it too; the window shows the button only then.
type AppPasswords interface {
	// AppPasswords returns the app passwords, oldest first.
	AppPasswords() ([]player.AppPassword, error)
	// CreateAppPassword makes one named name and returns it.
	CreateAppPassword(name string) (player.AppPassword, error)
	// RevokeAppPassword revokes the one with ID id.
	RevokeAppPassword(id string) error
}

// connectDialog is the "Connect an app" dialog: a name, Create password,
// what to type into the app once created, and the app passwords with a
// Revoke button each. Its fields are for tests.
type connectDialog struct {
	d      *dialog.CustomDialog
	name   *widget.Entry
	create *keyButton
	// shown holds the server URL, user name and password after Create;
	// url, user and password are its labels.
	shown               *fyne.Container
	url, user, password *widget.Label
	list                *fyne.Container // one row per app password
	revokes             []*keyButton    // the rows' Revoke buttons, in order
}

// newConnectButton returns the "Connect an app…" button, or nil when the
// server keeps no app passwords.
func (u *UI) newConnectButton() *keyButton {
	if _, ok := u.srv.(AppPasswords); !ok {
		return nil
	}
	u.connectButton = u.newButton("Connect an app…", theme.LoginIcon(), u.showConnect)
	return u.connectButton
}

// showConnect opens the "Connect an app" dialog.
func (u *UI) showConnect() {
	keeper := u.srv.(AppPasswords)
	c := &connectDialog{name: widget.NewEntry(), url: widget.NewLabel(""), user: widget.NewLabel(SubsonicUser),
		password: widget.NewLabel(""), list: container.NewVBox()}
	c.name.SetPlaceHolder("Symfonium on Pixel")
	for _, l := range []*widget.Label{c.url, c.user, c.password} {
		l.TextStyle = fyne.TextStyle{Monospace: true}
		l.Selectable = true
	}
	c.shown = container.NewVBox(
		widget.NewLabel("Type these into the app. The password is shown only now:"),
		container.NewGridWithColumns(2, widget.NewLabel("Server"), c.url, widget.NewLabel("User name"), c.user,
			widget.NewLabel("Password"), c.password))
	c.shown.Hide()
	c.create = u.newButton("Create password", theme.ContentAddIcon(), func() { u.createAppPassword(keeper, c) })
	c.name.OnSubmitted = func(string) { u.createAppPassword(keeper, c) }
	intro := widget.NewLabel("Apps such as Symfonium, DSub or Feishin play this library over the Subsonic API. " +
		"Name the app, create a password for it, and type the server, user name and password into the app.")
	intro.Wrapping = fyne.TextWrapWord
	heading := widget.NewLabelWithStyle("App passwords", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	body := container.NewVBox(intro, container.NewBorder(nil, nil, nil, c.create, c.name), c.shown,
		widget.NewSeparator(), heading, c.list)
	c.d = dialog.NewCustomWithoutButtons("Connect an app", container.NewVScroll(body), u.win)
	c.d.SetButtons([]fyne.CanvasObject{u.newButton("Close", nil, c.d.Hide)})
	c.d.Resize(fyne.NewSize(520, 520))
	u.connect = c
	u.listAppPasswords(keeper, c)
	u.trackDialog(c.d)
	c.d.Show()
	u.win.Canvas().Focus(c.name)
}

// createAppPassword makes an app password named as c's entry says and
// shows what to type into the app.
func (u *UI) createAppPassword(keeper AppPasswords, c *connectDialog) {
	ap, err := keeper.CreateAppPassword(c.name.Text)
	if err != nil {
		if errors.Is(err, player.ErrInvalid) {
			err = errors.New("Give the app a name, such as \"Symfonium on Pixel\".")
		}
		u.showError(err)
		return
	}
	c.url.SetText(u.serverURL())
	c.password.SetText(ap.Password)
	c.name.SetText("")
	c.shown.Show()
	u.listAppPasswords(keeper, c)
}

// serverURL is the address an app on another device should use: the
// first LAN address, or this computer's when other devices may not
// connect.
func (u *UI) serverURL() string {
	addrs := u.srv.Addresses()
	for _, a := range addrs {
		if !a.Loopback && !a.Virtual {
			return a.URL
		}
	}
	if len(addrs) > 0 {
		return addrs[0].URL
	}
	return ""
}

// listAppPasswords shows the app passwords in c, each with Revoke.
func (u *UI) listAppPasswords(keeper AppPasswords, c *connectDialog) {
	list, err := keeper.AppPasswords()
	c.list.RemoveAll()
	c.revokes = nil
	if err != nil {
		c.list.Add(widget.NewLabel("Cannot read the app passwords: " + err.Error()))
		return
	}
	if len(list) == 0 {
		none := widget.NewLabel("No app passwords yet")
		none.TextStyle = fyne.TextStyle{Italic: true}
		c.list.Add(none)
	}
	for _, ap := range list {
		revoke := u.newButton("Revoke", theme.DeleteIcon(), func() {
			if err := keeper.RevokeAppPassword(ap.ID); err != nil {
				u.showError(err)
			}
			u.listAppPasswords(keeper, c)
		})
		revoke.Importance = widget.DangerImportance
		c.revokes = append(c.revokes, revoke)
		label := widget.NewLabel(ap.Name + " — made " + ap.Created.Format("2 Jan 2006"))
		label.Truncation = fyne.TextTruncateEllipsis
		c.list.Add(container.NewBorder(nil, nil, nil, revoke, label))
	}
	c.list.Refresh()
}
