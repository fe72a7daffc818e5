package app

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// devicesEvery is how often the devices list is refreshed, which also
// keeps its "3 min ago" times current.
const devicesEvery = 3 * time.Second

// noDevicesText is what the devices list says when it is empty.
const noDevicesText = "No devices yet"

// newDeviceList builds the list of devices seen recently, one row each:
// who (address and browser) and what is playing there, with when it was
// last seen on the right. An empty list says so instead.
func (u *UI) newDeviceList() fyne.CanvasObject {
	u.noDevices = widget.NewLabel(noDevicesText)
	u.noDevices.TextStyle = fyne.TextStyle{Italic: true}
	u.deviceList = u.newList(
		func() int { return len(u.devices) },
		func() fyne.CanvasObject {
			// Two lines of text from the start, so that the list sizes
			// its rows for two.
			text := widget.NewRichText(deviceSegments("Device", "Playing", false)...)
			text.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, nil, widget.NewLabel(""), text)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			row := o.(*fyne.Container)
			text, seen := row.Objects[0].(*widget.RichText), row.Objects[1].(*widget.Label)
			if id < 0 || id >= len(u.devices) {
				return
			}
			d := u.devices[id]
			who, playing, when := deviceText(d, u.hooks.now())
			text.Segments = deviceSegments(who, playing, d.NowPlaying == "")
			text.Refresh()
			seen.SetText(when)
		},
	)
	u.showDevices(u.srv.Devices())
	return container.NewStack(u.deviceList, container.NewVBox(u.noDevices))
}

// deviceSegments are the lines of a device's row: who in bold, then what
// is playing, dimmed when nothing is.
func deviceSegments(who, playing string, idle bool) []widget.RichTextSegment {
	strong := widget.RichTextStyleStrong
	strong.Inline = false
	quiet := widget.RichTextStyleParagraph
	if idle {
		quiet.ColorName = theme.ColorNamePlaceHolder
	}
	return []widget.RichTextSegment{
		&widget.TextSegment{Text: who, Style: strong},
		&widget.TextSegment{Text: playing, Style: quiet},
	}
}

// watchDevices refreshes the devices list on every tick until the window
// closes. It asks the server off the UI goroutine.
func (u *UI) watchDevices() {
	tick := u.hooks.tick
	if tick == nil {
		t := time.NewTicker(devicesEvery)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-u.quit:
			return
		case <-tick:
			devices := u.srv.Devices()
			fyne.Do(func() {
				u.showDevices(devices)
				if u.hooks.devicesShown != nil {
					u.hooks.devicesShown()
				}
			})
		}
	}
}

// showDevices shows devices, most recently seen first, or says there are
// none. It runs on the UI goroutine.
func (u *UI) showDevices(devices []Device) {
	devices = slices.Clone(devices)
	slices.SortStableFunc(devices, func(a, b Device) int { return b.LastSeen.Compare(a.LastSeen) })
	u.devices = devices
	if len(devices) == 0 {
		u.deviceList.Hide()
		u.noDevices.Show()
	} else {
		u.noDevices.Hide()
		u.deviceList.Show()
	}
	u.deviceList.Refresh()
	if u.tray.SetTooltip != nil {
		u.tray.SetTooltip(u.trayTooltip())
	}
}

// deviceText describes d at time now: who ("192.168.1.34 · Safari on
// iPhone", "This computer · Firefox"), what is playing there, and when it
// was last seen ("just now", "3 min ago").
func deviceText(d Device, now time.Time) (who, playing, seen string) {
	who = cmp.Or(d.Address, "Unknown address")
	if d.ThisComputer {
		who = "This computer"
	}
	if d.Browser != "" {
		who += " · " + d.Browser
	}
	playing = "Nothing playing"
	if d.NowPlaying != "" {
		playing = "Playing: " + d.NowPlaying
	}
	return who, playing, sinceText(now.Sub(d.LastSeen))
}

// sinceText says how long ago something happened, d before now, in
// words: "just now" under a minute, then "3 min ago", "2 h ago", "1 day ago".
func sinceText(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d/time.Minute))
	case d < 24*time.Hour:
		return fmt.Sprintf("%d h ago", int(d/time.Hour))
	case d < 48*time.Hour:
		return "1 day ago"
	default:
		return fmt.Sprintf("%d days ago", int(d/(24*time.Hour)))
	}
}
