package app

import (
	"net/netip"
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// copiedFor is how long the Copy link button says "Copied".
const copiedFor = 2 * time.Second

// newServerPanel builds the panel that tells people where to listen: the
// primary address in large selectable text, a hint, Open in browser and
// Copy link buttons for it, and the other addresses below.
func (u *UI) newServerPanel() fyne.CanvasObject {
	primary, others := splitURLs(u.srv.URLs())

	u.primaryURL = widget.NewLabel(primary)
	u.primaryURL.Selectable = true
	u.primaryURL.TextStyle = fyne.TextStyle{Bold: true}
	u.primaryURL.SizeName = theme.SizeNameSubHeadingText
	u.hint = widget.NewLabel(hint(primary))
	u.hint.Wrapping = fyne.TextWrapWord
	u.openButton = widget.NewButtonWithIcon("Open in browser", theme.ComputerIcon(), func() { u.open(primary) })
	u.copyButton = widget.NewButtonWithIcon("Copy link", theme.ContentCopyIcon(), func() { u.copy(primary) })
	u.urls = widget.NewLabel(strings.Join(others, "\n"))
	u.urls.Selectable = true

	content := container.NewVBox(
		u.primaryURL,
		u.hint,
		container.NewGridWithColumns(2, u.openButton, u.copyButton),
	)
	if primary == "" {
		u.primaryURL.SetText("Not serving")
		u.openButton.Disable()
		u.copyButton.Disable()
	}
	if len(others) > 0 {
		also := widget.NewLabel("Also at")
		also.TextStyle = fyne.TextStyle{Italic: true}
		content.Add(widget.NewSeparator())
		content.Add(container.NewBorder(nil, nil, container.NewVBox(also), nil, u.urls))
	}
	return widget.NewCard("Listen in any browser", "", content)
}

// open opens address in the default browser.
func (u *UI) open(address string) {
	link, err := url.Parse(address)
	if err == nil {
		err = u.openURL(link)
	}
	if err != nil {
		dialog.ShowError(err, u.win)
	}
}

// copy puts address on the clipboard and says so on the button for a moment.
func (u *UI) copy(address string) {
	u.app.Clipboard().SetContent(address)
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

// splitURLs picks the address to show first from the server's URLs (the
// loopback one, then one per LAN address): the first LAN address, which a
// phone can open, else the loopback one. The rest are the others, in order.
func splitURLs(urls []string) (primary string, others []string) {
	if len(urls) == 0 {
		return "", nil
	}
	i := 0
	if len(urls) > 1 {
		i = 1
	}
	others = append(others, urls[:i]...)
	others = append(others, urls[i+1:]...)
	return urls[i], others
}

// hint tells people what the primary address is good for.
func hint(primary string) string {
	switch {
	case primary == "":
		return "The web player is not running."
	case isLoopback(primary):
		return "No network was found, so only this computer can open this address."
	default:
		return "Open this on your phone or any computer on the same Wi-Fi."
	}
}

// isLoopback reports whether address names this computer only.
func isLoopback(address string) bool {
	link, err := url.Parse(address)
	if err != nil {
		return false
	}
	if link.Hostname() == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(link.Hostname())
	return err == nil && ip.IsLoopback()
}
