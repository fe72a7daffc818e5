package app

import (
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// deviceRows returns the text of the devices list, a row per device:
// who, what is playing, and when it was last seen. It reads the rows
// through the list's own create and update functions.
func deviceRows(l *widget.List) [][3]string {
	item := l.CreateItem()
	var out [][3]string
	for i := range l.Length() {
		l.UpdateItem(i, item)
		row := item.(*fyne.Container)
		text := row.Objects[0].(*widget.RichText)
		var r [3]string
		for j, seg := range text.Segments[:2] {
			r[j] = seg.(*widget.TextSegment).Text
		}
		r[2] = row.Objects[1].(*widget.Label).Text
		out = append(out, r)
	}
	return out
}

func TestDevicesList(t *testing.T) {
	now := time.Date(2025, 3, 1, 20, 0, 0, 0, time.UTC)
	srv := newFakeServer(loopbackAddr, wifiAddr)
	tick := make(chan time.Time)
	refreshed := make(chan struct{})
	h := newHarness(t, srv, demo, func(hk *hooks) {
		hk.tick = tick
		hk.devicesShown = func() { refreshed <- struct{}{} }
		hk.now = func() time.Time { return now }
	})
	ui := h.ui
	// refresh ticks once and waits until the list has been redrawn.
	refresh := func() {
		t.Helper()
		tick <- now
		<-refreshed
	}

	if !ui.noDevices.Visible() || ui.deviceList.Visible() || ui.noDevices.Text != noDevicesText {
		t.Errorf("empty list: placeholder %q visible %v, list visible %v; want %q alone",
			ui.noDevices.Text, ui.noDevices.Visible(), ui.deviceList.Visible(), noDevicesText)
	}

	srv.setDevices(
		Device{Address: "192.168.1.40", LastSeen: now.Add(-2 * time.Hour)},
		Device{Address: "127.0.0.1", Browser: "Firefox", LastSeen: now.Add(-10 * time.Second), ThisComputer: true},
		Device{Address: "192.168.1.34", Browser: "Safari on iPhone", LastSeen: now.Add(-3 * time.Minute), NowPlaying: "Porch Light"},
	)
	refresh()
	want := [][3]string{
		{"This computer · Firefox", "Nothing playing", "just now"},
		{"192.168.1.34 · Safari on iPhone", "Playing: Porch Light", "3 min ago"},
		{"192.168.1.40", "Nothing playing", "2 h ago"},
	}
	if got := deviceRows(&ui.deviceList.List); !slices.Equal(got, want) {
		t.Errorf("devices = %q, want %q", got, want)
	}
	if ui.noDevices.Visible() || !ui.deviceList.Visible() {
		t.Errorf("placeholder visible %v, list visible %v; want the list alone", ui.noDevices.Visible(), ui.deviceList.Visible())
	}

	// Times move on with the clock, and devices leave.
	now = now.Add(5 * time.Minute)
	srv.setDevices(srv.Devices()[2])
	refresh()
	want = [][3]string{{"192.168.1.34 · Safari on iPhone", "Playing: Porch Light", "8 min ago"}}
	if got := deviceRows(&ui.deviceList.List); !slices.Equal(got, want) {
		t.Errorf("devices = %q, want %q", got, want)
	}

	srv.setDevices()
	refresh()
	if !ui.noDevices.Visible() || ui.deviceList.Visible() {
		t.Errorf("placeholder visible %v, list visible %v after every device left; want the placeholder", ui.noDevices.Visible(), ui.deviceList.Visible())
	}
}

func TestSinceText(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want string
	}{
		{-time.Second, "just now"}, // clocks disagree a little
		{0, "just now"},
		{59 * time.Second, "just now"},
		{time.Minute, "1 min ago"},
		{3*time.Minute + 40*time.Second, "3 min ago"},
		{59 * time.Minute, "59 min ago"},
		{time.Hour, "1 h ago"},
		{23*time.Hour + 59*time.Minute, "23 h ago"},
		{24 * time.Hour, "1 day ago"},
		{72 * time.Hour, "3 days ago"},
	}
	for _, tc := range tests {
		if got := sinceText(tc.in); got != tc.want {
			t.Errorf("sinceText(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestDeviceText(t *testing.T) {
	now := time.Date(2025, 3, 1, 20, 0, 0, 0, time.UTC)
	tests := []struct {
		in                         Device
		wantWho, wantWhat, wantAgo string
	}{
		{Device{Address: "192.168.1.34", Browser: "Chrome on Android", LastSeen: now, NowPlaying: "Dust"},
			"192.168.1.34 · Chrome on Android", "Playing: Dust", "just now"},
		{Device{Address: "192.168.1.34", LastSeen: now.Add(-90 * time.Second)},
			"192.168.1.34", "Nothing playing", "1 min ago"},
		{Device{Address: "::1", Browser: "Firefox", ThisComputer: true, LastSeen: now},
			"This computer · Firefox", "Nothing playing", "just now"},
		{Device{LastSeen: now}, "Unknown address", "Nothing playing", "just now"},
	}
	for _, tc := range tests {
		who, what, ago := deviceText(tc.in, now)
		if who != tc.wantWho || what != tc.wantWhat || ago != tc.wantAgo {
			t.Errorf("deviceText(%+v) = %q, %q, %q; want %q, %q, %q", tc.in, who, what, ago, tc.wantWho, tc.wantWhat, tc.wantAgo)
		}
	}
}
