package app

import (
	"net/url"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestAbout opens the About dialog from its button: it shows the version,
// the licence and where each thing lives ("not kept" for none), and Open
// log folder opens the log file's folder.
func TestAbout(t *testing.T) {
	h := newHarness(t, newFakeServer(loopbackAddr), demo)
	ui := h.ui
	ui.SetAbout(AboutInfo{Version: "9.8.7", Licence: "Some terms.", Settings: "/home/a/.config/fyne/io.earshot.app",
		Index: "", Caches: "/home/a/.cache/earshot", Logs: "/home/a/.cache/earshot/logs/earshot.log"})
	var opened []string
	ui.openURL = func(u *url.URL) error { opened = append(opened, u.String()); return nil }
	test.Tap(ui.aboutButton)
	var texts []string
	for _, o := range test.LaidOutObjects(ui.Window().Canvas().Overlays().Top()) {
		if l, ok := o.(*widget.Label); ok {
			texts = append(texts, l.Text)
		}
	}
	for _, want := range []string{"Earshot 9.8.7", "Some terms.", "/home/a/.config/fyne/io.earshot.app", "not kept", "/home/a/.cache/earshot", "/home/a/.cache/earshot/logs/earshot.log"} {
		if !contains(texts, want) {
			t.Errorf("About shows %q, missing %q", texts, want)
		}
	}
	test.Tap(ui.logsButton)
	if len(opened) != 1 || opened[0] != "file:///home/a/.cache/earshot/logs" {
		t.Errorf("Open log folder opened %q", opened)
	}
}

// contains reports whether list holds s.
func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
