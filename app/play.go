package app

import (
	"errors"
	"net/url"

	"fyne.io/fyne/v2"
)

// The window plays a track by opening it in this computer's browser, in
// Earshot's own page, at http://127.0.0.1:<port>/#/play/<track ID>; the
// page plays the track with its album as the queue. It does not play
// audio itself, for three reasons:
//
//   - Fyne has no audio: playing in the window would mean a second
//     decoder and output (cgo, per platform) for the formats the page
//     already plays, and ffmpeg for those it has the server transcode.
//   - The page is the player, with everything a player needs that a
//     second one would have to copy: the queue, gapless playback between
//     an album's tracks, the Media Session (media keys, the lock screen
//     and the desktop's media controls), resuming after a reload, and
//     reconnecting after a stall.
//   - One player, not two: what plays here shows in the devices list as
//     this computer's browser, and there is one place to pause it.
//
// A browser that blocks playback without a click on the page (the first
// visit, before the site is trusted for autoplay) loads the track paused
// and says "Tap play to start".

// errNotServing is shown when a track is to play while the server
// listens nowhere.
var errNotServing = errors.New("Earshot is not serving: nothing can play until it listens again")

// playURL returns the address that plays the track with ID id in this
// computer's browser: the address Open in browser opens (the loopback one,
// through the pairing link when this computer needs the key too), with the
// path "/" when it has none and the fragment "/play/<id>". A redirect keeps the fragment (RFC 9110 §10.2.2),
// so a pairing link still lands on the track. It returns errNotServing
// when there is no such address.
func (u *UI) playURL(id string) (*url.URL, error) {
	if u.openTarget == "" {
		return nil, errNotServing
	}
	link, err := url.Parse(u.openTarget)
	if err != nil {
		return nil, err
	}
	if link.Path == "" {
		link.Path = "/"
	}
	link.Fragment = "/play/" + id
	return link, nil
}

// playSelected plays the table's selected track in the browser page (see
// [UI.playURL]); it does nothing when no row is selected.
func (u *UI) playSelected() {
	row := u.list.selected
	if row < 0 || row >= len(u.tracks) {
		return
	}
	link, err := u.playURL(u.tracks[row].ID)
	if err == nil {
		err = u.openURL(link)
	}
	if err != nil {
		u.showError(err)
	}
}

// Tapped selects the cell under the pointer and gives the table the
// focus, so that the arrows and Enter go on from there. Fyne's own Tapped
// focuses the canvas of the embedded [widget.Table], which the desktop
// driver does not know (it knows the focusTable): there a click left the
// table unfocused.
func (t *focusTable) Tapped(ev *fyne.PointEvent) {
	t.Table.Tapped(ev)
	if c := fyne.CurrentApp().Driver().CanvasForObject(t); c != nil {
		c.Focus(t)
	}
}

// DoubleTapped selects the cell under the pointer and activates its row,
// as Enter does. A double-click outside the rows (on the header, below the
// last row) activates nothing.
func (t *focusTable) DoubleTapped(ev *fyne.PointEvent) {
	t.UnselectAll()
	t.Tapped(ev) // the driver sent no Tapped for the clicks of a double-click
	if t.onActivate != nil {
		t.onActivate()
	}
}
