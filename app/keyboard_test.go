package app

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"net/url"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// pressKey presses key in c as Fyne's desktop driver does
// (internal/driver/glfw/window.go processKeyPressed): Tab moves the focus
// on, and other keys go to the focused widget, or to the canvas's key
// handler when nothing has the focus.
func pressKey(c fyne.Canvas, key fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: key}
	switch {
	case key == fyne.KeyTab:
		test.FocusNext(c)
	case c.Focused() != nil:
		c.Focused().TypedKey(ev)
	case c.OnTypedKey() != nil:
		c.OnTypedKey()(ev)
	}
}

// focusName names what has the focus in ui's window, "" for nothing.
func focusName(ui *UI) string {
	f := ui.Window().Canvas().Focused()
	if f == nil {
		return ""
	}
	names := map[fyne.Focusable]string{
		ui.chooseButton: "choose", ui.problemsButton: "problems", ui.table: "table",
		ui.addressSelect: "address", ui.copyButton: "copy", ui.openButton: "open",
		ui.lanCheck: "lan", ui.uploadsCheck: "uploads", ui.keyCheck: "key", ui.resetButton: "reset", ui.aboutButton: "about", ui.deviceList: "devices",
	}
	if ui.resetDialog != nil {
		names[ui.resetDialog.cancel] = "cancel"
		names[ui.resetDialog.confirm] = "confirm"
	}
	if n, ok := names[f]; ok {
		return n
	}
	switch f := f.(type) {
	case *searchEntry:
		if f == ui.list.search {
			return "search"
		}
	case *sortHeader:
		return columns[f.col].title
	}
	return fmt.Sprintf("%T", f)
}

func TestTabOrder(t *testing.T) {
	tests := map[string]struct {
		srv  *fakeServer
		want []string
	}{
		"one LAN address": {newFakeServer(loopbackAddr, wifiAddr),
			[]string{"choose", "search", "table", "Title", "Artist", "Album", "Duration", "copy", "open", "lan", "uploads", "key", "reset", "about", "devices"}},
		"two LAN addresses": {newFakeServer(loopbackAddr, ethernetAddr, wifiAddr),
			[]string{"choose", "search", "table", "Title", "Artist", "Album", "Duration", "address", "copy", "open", "lan", "uploads", "key", "reset", "about", "devices"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			tc.srv.setDevices(Device{Address: "192.168.1.34", LastSeen: time.Now()})
			ui := newHarness(t, tc.srv, demo).ui
			var got []string
			for range len(tc.want) + 1 { // once round, back to the start
				pressKey(ui.Window().Canvas(), fyne.KeyTab)
				got = append(got, focusName(ui))
			}
			want := append(tc.want, tc.want[0])
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("Tab order = %v, want %v", got, want)
			}
		})
	}
}

func TestKeysTapButton(t *testing.T) {
	tests := []struct {
		key  fyne.KeyName
		taps int
	}{
		{fyne.KeyReturn, 1}, {fyne.KeyEnter, 1}, {fyne.KeySpace, 1},
		{fyne.KeyEscape, 0}, {fyne.KeyDown, 0}, {fyne.KeyA, 0},
	}
	for _, tc := range tests {
		ui := newHarness(t, lanServer(), demo).ui
		opened := 0
		ui.openURL = func(*url.URL) error { opened++; return nil }
		ui.Window().Canvas().Focus(ui.openButton)
		pressKey(ui.Window().Canvas(), tc.key)
		if opened != tc.taps {
			t.Errorf("%s on the focused %q: opened %d times, want %d", tc.key, ui.openButton.Text, opened, tc.taps)
		}
	}
}

// ringSearch is how many pixels either side of where a focus ring
// should be drawn ringAt looks: the test driver's absolute positions and
// its painter's differ by a few pixels (the window's padding).
const ringSearch = 5

// ringAt reports whether img has the focus ring's colour, over what was
// there before, on the left edge of o half-way down: just outside o's
// bounds for a ring drawn outset pixels outside, inside for outset 0.
func ringAt(before, after image.Image, ui *UI, o fyne.CanvasObject, outset float32, focus color.Color) (found bool, x, y int) {
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
	if _, ok := o.(*sortHeader); ok {
		// The driver does not find the table's headers (their container
		// has no size): they lie along the top of the table.
		pos = fyne.CurrentApp().Driver().AbsolutePositionForObject(ui.table).Add(o.Position())
	}
	x0 := int(pos.X - outset)
	y = int(pos.Y + o.Size().Height/2)
	for x = x0 - ringSearch; x <= x0+ringSearch; x++ {
		if near(after.At(x, y), over(focus, before.At(x, y)), 24) && !near(after.At(x, y), before.At(x, y), 24) {
			return true, x, y
		}
	}
	return false, x0, y
}

func TestFocusRings(t *testing.T) {
	srv := lanServer()
	srv.setDevices(Device{Address: "192.168.1.34", LastSeen: time.Now()})
	ui := newHarness(t, srv, demo).ui
	c := ui.Window().Canvas()
	focus := theme.Color(theme.ColorNameFocus)
	if _, _, _, a := focus.RGBA(); a>>8 != ringAlpha {
		t.Errorf("theme focus colour %v has alpha %d, want %d", focus, a>>8, ringAlpha)
	}
	tests := map[string]struct {
		obj    fyne.Focusable
		outset float32
	}{
		"choose": {ui.chooseButton, ringOutset}, "reset": {ui.resetButton, ringOutset},
		"table": {ui.table, 0}, "devices": {ui.deviceList, 0},
		"Artist header": {headerOf(t, ui, 1), 0},
	}
	for name, tc := range tests {
		o := tc.obj.(fyne.CanvasObject)
		c.Unfocus()
		before := c.Capture()
		c.Focus(tc.obj)
		if found, x, y := ringAt(before, c.Capture(), ui, o, tc.outset, focus); !found {
			t.Errorf("%s focused: no focus ring within %d px of (%d, %d)", name, ringSearch, x, y)
		}
		c.Unfocus()
		if found, x, y := ringAt(before, c.Capture(), ui, o, tc.outset, focus); found {
			t.Errorf("%s unfocused: focus ring still drawn near (%d, %d)", name, x, y)
		}
	}
}

// over composites fg over the opaque bg.
func over(fg, bg color.Color) color.Color {
	f, b := color.NRGBAModel.Convert(fg).(color.NRGBA), color.NRGBAModel.Convert(bg).(color.NRGBA)
	mix := func(x, y uint8) uint8 { return uint8((int(x)*int(f.A) + int(y)*(255-int(f.A))) / 255) }
	return color.NRGBA{mix(f.R, b.R), mix(f.G, b.G), mix(f.B, b.B), 255}
}

// near reports whether a and b differ by at most d in every channel.
func near(a, b color.Color, d int) bool {
	x, y := color.NRGBAModel.Convert(a).(color.NRGBA), color.NRGBAModel.Convert(b).(color.NRGBA)
	diff := func(p, q uint8) bool { return max(int(p)-int(q), int(q)-int(p)) <= d }
	return diff(x.R, y.R) && diff(x.G, y.G) && diff(x.B, y.B)
}

func TestResetDialogKeys(t *testing.T) {
	srv := lanServer()
	ui := newHarness(t, srv, demo).ui
	c := ui.Window().Canvas()
	open := func() {
		t.Helper()
		c.Focus(ui.resetButton)
		pressKey(c, fyne.KeyReturn)
		if c.Overlays().Top() == nil {
			t.Fatalf("Enter on %q opened no dialog", ui.resetButton.Text)
		}
		if got := focusName(ui); got != "cancel" {
			t.Errorf("focus in the new Reset dialog on %q, want cancel", got)
		}
	}
	steps := []struct {
		keys   []fyne.KeyName
		resets int
	}{
		{[]fyne.KeyName{fyne.KeyReturn}, 0},              // Enter on Cancel
		{[]fyne.KeyName{fyne.KeyEscape}, 0},              // Escape
		{[]fyne.KeyName{fyne.KeyTab, fyne.KeyReturn}, 1}, // Enter on Reset key
	}
	for _, s := range steps {
		open()
		for _, k := range s.keys {
			pressKey(c, k)
		}
		if c.Overlays().Top() != nil || srv.resets != s.resets {
			t.Errorf("after %v: dialog %v, %d resets; want closed, %d", s.keys, c.Overlays().Top(), srv.resets, s.resets)
		}
	}
}

func TestEscapeClosesDialogs(t *testing.T) {
	ui := newHarness(t, lanServer(), demo).ui
	c := ui.Window().Canvas()
	dialogs := map[string]func(){
		"error":    func() { ui.showError(errors.New("disk full")) },
		"problems": ui.showProblems,
		"folder":   ui.showFolderDialog,
		"two errors": func() {
			ui.showError(errors.New("first"))
			ui.showError(errors.New("second"))
			pressKey(c, fyne.KeyEscape) // closes the second only
			if c.Overlays().Top() == nil {
				t.Errorf("Escape closed both error dialogs")
			}
		},
	}
	for name, show := range dialogs {
		show()
		if c.Overlays().Top() == nil {
			t.Fatalf("%s: no dialog shown", name)
		}
		pressKey(c, fyne.KeyEscape)
		if top := c.Overlays().Top(); top != nil || len(ui.dialogs) != 0 {
			t.Errorf("%s: after Escape the dialog %v is still open (%d tracked)", name, top, len(ui.dialogs))
		}
	}
}
