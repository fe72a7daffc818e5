package app

import (
	"fmt"
	"image"
	"image/color"
	"net/url"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	qrcode "github.com/skip2/go-qrcode"
)

// copiedFor is how long the Copy link button says "Copied".
const copiedFor = 2 * time.Second

// panelWidth is the width of the window's right column.
const panelWidth = 420

// qrSide is about the QR code's side on screen. The code is drawn a whole
// number of pixels per module, so its real side is the nearest multiple of
// its module count.
const qrSide = 220

// Texts of the pairing panel.
const (
	scanHint     = "Scan with your phone's camera (same Wi-Fi)."
	lanOffHint   = "Only this computer can listen. Allow other devices on this network to pair a phone."
	noLANHint    = "No network was found, so only this computer can listen."
	notServing   = "Not serving"
	stoppedHint  = "The web player is not running."
	resetTitle   = "Reset the access key?"
	resetMessage = "Every paired phone and browser will need to scan the new code."
)

// newServerPanel builds the window's right column: the pairing card (the
// QR code of the pairing link, the link itself, the LAN address picker,
// Copy link and Open in browser), the network, uploads and access-key
// switches, Reset access key, the start-at-login switch (hidden until
// offered), and the devices seen recently below.
func (u *UI) newServerPanel() fyne.CanvasObject {
	u.qr = canvas.NewImageFromImage(nil)
	u.qr.FillMode = canvas.ImageFillContain
	u.qr.ScaleMode = canvas.ImageScalePixels // keep the modules' edges sharp
	u.qrBox = container.NewVBox(u.qr)        // at the top of its row, not stretched
	u.addressSelect = widget.NewSelect(nil, nil)
	// The link is not Selectable: Fyne's selectable label is a Tab stop
	// that shows no focus and does nothing from the keyboard; Copy link,
	// beside it, copies it.
	u.link = widget.NewLabel("")
	u.link.Wrapping = fyne.TextWrapBreak
	u.hint = widget.NewLabel("")
	u.hint.Wrapping = fyne.TextWrapWord
	u.copyButton = u.newButton("Copy link", theme.ContentCopyIcon(), u.copyLink)
	u.openButton = u.newButton("Open in browser", theme.ComputerIcon(), u.openInBrowser)
	u.qrSide = container.NewVBox()
	u.buttons = container.NewGridWithColumns(2)
	u.cardBody = container.NewVBox()
	card := widget.NewCard("Listen on your phone", "", u.cardBody)

	u.lanCheck = widget.NewCheck("Allow other devices on this network", nil)
	u.lanCheck.SetChecked(u.srv.LAN())
	u.lanCheck.OnChanged = u.setLAN
	u.uploadsCheck = u.newUploadsCheck()
	u.keyCheck = widget.NewCheck("Require the access key on this computer too", nil)
	u.keyCheck.SetChecked(u.app.Preferences().Bool(PrefRequireKeyOnLoopback))
	u.keyCheck.OnChanged = u.setRequireKey
	u.resetButton = u.newButton("Reset access key…", theme.ViewRefreshIcon(), u.confirmReset)
	u.aboutButton = u.newButton("About", theme.InfoIcon(), u.showAbout)
	reset := container.NewHBox(u.resetButton, u.aboutButton)
	if b := u.newConnectButton(); b != nil {
		reset = container.NewVBox(reset, container.NewHBox(b))
	}

	devices := u.newDeviceList()
	heading := widget.NewLabelWithStyle("Devices", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	top := container.NewVBox(card, u.lanCheck, u.uploadsCheck, u.keyCheck, reset, u.newLoginSwitch(), widget.NewSeparator(), heading)
	width := canvas.NewRectangle(color.Transparent)
	width.SetMinSize(fyne.NewSize(panelWidth, 0))

	u.showPairing()
	// The pairing card and switches before the devices, in reading (Tab) order.
	return container.NewStack(width, container.New(layout.NewBorderLayout(top, nil, nil, nil), top, devices))
}

// showPairing shows the server's current addresses: the QR code and link
// of the selected LAN address when other devices may connect, else the
// loopback address and why a phone cannot listen.
func (u *UI) showPairing() {
	loopback, lan := splitAddresses(u.srv.Addresses())
	if !u.srv.LAN() {
		lan = nil
	}
	u.lanAddrs = lan
	if !slices.ContainsFunc(lan, func(a Address) bool { return a.URL == u.selected }) {
		u.selected = ""
		if len(lan) > 0 {
			u.selected = lan[0].URL
		}
	}
	u.showPicker()

	u.openTarget = loopback
	if loopback != "" && u.keyCheck.Checked {
		u.openTarget = u.srv.PairingURL(loopback) // pairs this browser too
	}
	switch {
	case u.selected != "":
		link := u.srv.PairingURL(u.selected)
		if u.openTarget == "" { // listening on one LAN address only
			u.openTarget = link
		}
		u.showQR(link)
		u.link.SetText(link)
		u.hint.SetText(scanHint)
	case loopback != "":
		u.showQR("")
		u.link.SetText(loopback)
		if u.srv.LAN() {
			u.hint.SetText(noLANHint)
		} else {
			u.hint.SetText(lanOffHint)
		}
	default:
		u.showQR("")
		u.link.SetText(notServing)
		u.hint.SetText(stoppedHint)
	}
	if u.openTarget == "" {
		u.openButton.Disable()
		u.copyButton.Disable()
	} else {
		u.openButton.Enable()
		u.copyButton.Enable()
	}
}

// showPicker offers the LAN addresses by host in the address picker, with
// the selected one chosen; it hides the picker when there is no choice.
func (u *UI) showPicker() {
	hosts := make([]string, len(u.lanAddrs))
	for i, a := range u.lanAddrs {
		hosts[i] = a.Host
	}
	u.addressSelect.OnChanged = nil // choosing below is not the user's choice
	u.addressSelect.SetOptions(hosts)
	u.addressSelect.ClearSelected()
	u.addressSelect.SetSelectedIndex(slices.IndexFunc(u.lanAddrs, func(a Address) bool { return a.URL == u.selected }))
	u.addressSelect.OnChanged = func(string) {
		if i := u.addressSelect.SelectedIndex(); i >= 0 && i < len(u.lanAddrs) {
			u.selected = u.lanAddrs[i].URL
			u.showPairing()
		}
	}
	if len(hosts) > 1 {
		u.addressSelect.Show()
	} else {
		u.addressSelect.Hide()
	}
}

// showQR draws link as a QR code, or hides the code when link is "".
func (u *UI) showQR(link string) {
	var img image.Image
	if link != "" {
		var err error
		if img, err = qrImage(link, qrSide); err != nil { // only for a link too long
			fyne.LogError("cannot draw the pairing link as a QR code", err)
		}
	}
	u.qr.Image = img
	if img == nil {
		// The hint, the address, then the buttons for it.
		u.qr.Hide()
		u.qrSide.Objects = nil
		u.buttons.Objects = []fyne.CanvasObject{u.copyButton, u.openButton}
		u.cardBody.Objects = []fyne.CanvasObject{u.hint, u.link, u.buttons}
		u.cardBody.Refresh()
		return
	}
	// The QR code with the hint, picker and buttons beside it, then the link.
	side := float32(img.Bounds().Dx())
	u.qr.SetMinSize(fyne.NewSize(side, side))
	u.qr.Show()
	u.qr.Refresh()
	u.buttons.Objects = nil
	u.qrSide.Objects = []fyne.CanvasObject{u.hint, u.addressSelect, u.copyButton, u.openButton}
	u.cardBody.Objects = []fyne.CanvasObject{container.NewBorder(nil, nil, u.qrBox, nil, u.qrSide), u.link}
	u.cardBody.Refresh()
}

// qrImage draws content as a QR code with medium error correction (15% of
// the code can be damaged), black on white with the standard four-module
// quiet zone, and a whole number of pixels per module, as near to side
// pixels in all as can be.
func qrImage(content string, side int) (image.Image, error) {
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("encode %q as a QR code: %w", content, err)
	}
	modules := len(q.Bitmap())
	scale := max(1, (side+modules/2)/modules)
	return q.Image(-scale), nil
}

// setLAN lets other devices on the network connect or not, remembering
// the choice. When the server cannot switch, it says why and puts the
// check back.
func (u *UI) setLAN(allow bool) {
	if err := u.srv.SetLAN(allow); err != nil {
		what := "stop other devices from connecting"
		if allow {
			what = "let other devices connect"
		}
		u.showError(fmt.Errorf("could not %s: %w", what, err))
		setChecked(u.lanCheck, u.srv.LAN())
		return
	}
	u.app.Preferences().SetBool(PrefAllowLAN, allow)
	u.showPairing()
	u.refreshTray()
}

// setRequireKey sets whether this computer needs the access key too, and
// remembers it.
func (u *UI) setRequireKey(require bool) {
	u.srv.RequireKeyOnLoopback(require)
	u.app.Preferences().SetBool(PrefRequireKeyOnLoopback, require)
	u.showPairing()
}

// setChecked sets c without calling its OnChanged.
func setChecked(c *widget.Check, checked bool) {
	changed := c.OnChanged
	c.OnChanged = nil
	c.SetChecked(checked)
	c.OnChanged = changed
}

// confirmReset asks before resetting the access key.
func (u *UI) confirmReset() {
	u.resetDialog = u.newConfirm(resetTitle, resetMessage, "Reset key", widget.DangerImportance, u.resetKey)
	u.showConfirm(u.resetDialog)
}

// resetKey gives the server a new access key, remembers it for the next
// run, and shows the new pairing link and the devices still listening.
func (u *UI) resetKey() {
	key := u.srv.ResetKey()
	u.app.Preferences().SetString(PrefAccessKey, key)
	u.showPairing()
	u.showDevices(u.srv.Devices())
}

// openInBrowser opens this computer's address in the default browser.
func (u *UI) openInBrowser() {
	link, err := url.Parse(u.openTarget)
	if err == nil {
		err = u.openURL(link)
	}
	if err != nil {
		u.showError(err)
	}
}

// copyLink puts the link shown on the clipboard and says so on the button
// for a moment.
func (u *UI) copyLink() {
	u.app.Clipboard().SetContent(u.link.Text)
	u.copyButton.SetText("Copied")
	u.copyButton.SetIcon(theme.ConfirmIcon())
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.copied != nil {
		u.copied.Stop()
	}
	u.copied = time.AfterFunc(copiedFor, func() {
		fyne.Do(func() {
			u.copyButton.SetText("Copy link")
			u.copyButton.SetIcon(theme.ContentCopyIcon())
		})
	})
}

// splitAddresses splits the server's addresses into the loopback URL (""
// when the server does not listen on loopback) and the others, which
// devices on the network can open, in order.
func splitAddresses(addrs []Address) (loopback string, lan []Address) {
	for _, a := range addrs {
		if !a.Loopback {
			lan = append(lan, a)
		} else if loopback == "" {
			loopback = a.URL
		}
	}
	return loopback, lan
}
