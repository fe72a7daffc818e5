package app

import "fyne.io/fyne/v2/widget"

// uploadsLabel is the text of the switch that lets other devices upload.
const uploadsLabel = "Allow uploads from other devices"

// newUploadsCheck returns the switch "Allow uploads from other devices",
// showing whether the server lets them upload now (main applies the
// remembered [PrefUploadsFromLAN] before the window opens).
func (u *UI) newUploadsCheck() *widget.Check {
	c := widget.NewCheck(uploadsLabel, nil)
	c.SetChecked(u.srv.UploadsFromLAN())
	c.OnChanged = u.setUploadsFromLAN
	return c
}

// setUploadsFromLAN lets other devices on the network upload files into
// the library or not, and remembers the choice for the next run.
func (u *UI) setUploadsFromLAN(allow bool) {
	u.srv.SetUploadsFromLAN(allow)
	u.app.Preferences().SetBool(PrefUploadsFromLAN, allow)
}
