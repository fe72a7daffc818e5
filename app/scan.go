package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"earshot/player"
)

// ChooseFolder makes the folder at dir the library: it remembers dir in the
// app's preferences for the next run and rescans, cancelling a scan still
// running. It is what the folder dialog calls; a folder that cannot be
// opened is reported in a dialog and changes nothing.
func (u *UI) ChooseFolder(dir string) {
	src, err := player.OpenFolder(dir)
	if err != nil {
		u.showError(fmt.Errorf("cannot use %s as the music folder: %w", dir, err))
		return
	}
	u.app.Preferences().SetString(prefLibraryFolder, dir)
	u.scan(src)
}

// showFolderDialog asks for a music folder, starting at the current one.
func (u *UI) showFolderDialog() {
	d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		switch {
		case err != nil:
			u.showError(err)
		case dir != nil: // nil when cancelled
			u.ChooseFolder(dir.Path())
		}
	}, u.win)
	if cur := u.app.Preferences().String(prefLibraryFolder); cur != "" {
		if loc, err := storage.ListerForURI(storage.NewFileURI(cur)); err == nil {
			d.SetLocation(loc)
		}
	}
	d.Resize(fyne.NewSize(820, 560))
	u.trackDialog(d)
	d.Show()
}

// scan makes src the library's source in a new goroutine with
// [player.Library.Use], which restores what the library index kept of src,
// scans it and then watches it for changes until the next scan or the
// window closes. Progress reaches the window as library events (see
// listen); a failure other than cancellation goes to the event loop on
// u.failed.
func (u *UI) scan(src player.Source) {
	u.mu.Lock()
	if u.cancelUse != nil {
		// Cancelled before the next Use starts, so that this one wins
		// whichever goroutine runs first (see Use).
		u.cancelUse()
	}
	ctx, cancel := context.WithCancel(u.ctx)
	u.cancelUse = cancel
	u.mu.Unlock()
	u.uses.Go(func() {
		defer cancel()
		err := u.lib.Use(ctx, src)
		switch {
		case err == nil:
		case errors.Is(err, player.ErrNotWatched):
			slog.Warn("not watching the folder for changes", "err", err)
		default:
			select {
			case u.failed <- err:
			case <-u.quit:
			}
		}
	})
}

// listen applies library events to the window until the subscription ends.
func (u *UI) listen(events <-chan player.Event) {
	for {
		select {
		case ev, ok := <-events:
			if !ok {
				return
			}
			u.show(ev)
		case err := <-u.failed:
			// The scan sent ScanDone before it returned err: show the events
			// already queued first, so that the error is what stays on screen.
			for queued := true; queued; {
				select {
				case ev, ok := <-events:
					if !ok {
						return
					}
					u.show(ev)
				default:
					queued = false
				}
			}
			fyne.Do(func() {
				u.showScanError(err)
				if u.hooks.applied != nil {
					u.hooks.applied(player.Event{}, err)
				}
			})
		}
	}
}

// show applies ev on the UI goroutine. When a scan is done, the library's
// name and tracks are read here, off the UI goroutine.
func (u *UI) show(ev player.Event) {
	if ev.Err != nil {
		slog.Warn("library index", "err", ev.Err) // not fatal: the scan fills or updates the library
	}
	name := ev.Source
	var tracks []player.Track
	if ev.Kind == player.ScanDone || ev.Kind == player.Restored {
		name, tracks = u.lib.Name(), u.lib.Tracks()
	}
	fyne.Do(func() {
		u.apply(ev, name, tracks)
		if u.hooks.applied != nil {
			u.hooks.applied(ev, nil)
		}
	})
}

// apply shows ev: the library being scanned and its progress, or, when the
// scan is done, the library's name (the old one if the scan was cancelled)
// and tracks. It runs on the UI goroutine.
func (u *UI) apply(ev player.Event, name string, tracks []player.Track) {
	switch ev.Kind {
	case player.ScanStarted:
		u.library.SetText(libraryName(name))
		u.setStatus("Looking for music…", widget.MediumImportance)
		u.progress.SetValue(0)
		u.progress.Show()
	case player.ScanProgress:
		if ev.Total > 0 {
			u.setStatus(progressText(ev.Scanned, ev.Total), widget.MediumImportance)
			u.progress.SetValue(float64(ev.Scanned) / float64(ev.Total))
		}
	case player.Restored:
		// What the index kept, shown until the scan that follows is done.
		if ev.Err != nil {
			break // nothing restored; logged by show
		}
		u.library.SetText(libraryName(name))
		u.setStatus(doneText(len(tracks), 0), widget.MediumImportance)
		u.setTracks(tracks)
	case player.FolderMissing:
		u.progress.Hide()
		u.setStatus(missingText, widget.WarningImportance)
	case player.ScanDone:
		// name and tracks were read when the event was handled, maybe after
		// a newer scan finished; count what is shown, not ev.Tracks.
		u.library.SetText(libraryName(name))
		u.setStatus(doneText(len(tracks), ev.Skipped), widget.MediumImportance)
		if ev.Total > 0 {
			u.progress.SetValue(float64(ev.Scanned) / float64(ev.Total))
		}
		u.progress.Hide()
		u.setTracks(tracks)
		u.updateProblems()
	}
}

// missingText is the status line while the library folder is gone from its
// path: the tracks shown are those it held, and it is rescanned by itself.
const missingText = "Folder not found (moved, or its drive removed): showing the library as it was until it is back"

// showScanError shows that the last scan failed; the library is unchanged.
func (u *UI) showScanError(err error) {
	u.progress.Hide()
	u.setStatus("Could not scan the folder: "+err.Error(), widget.DangerImportance)
}

func (u *UI) setStatus(text string, imp widget.Importance) {
	u.status.Importance = imp
	u.status.SetText(text)
}

// libraryName is the text shown for a library called name.
func libraryName(name string) string {
	if name == "" {
		return "No library yet"
	}
	return name
}

// progressText describes a scan in progress: "1,234 of 5,000 files".
func progressText(scanned, total int) string {
	return fmt.Sprintf("%s of %s", formatCount(scanned), plural(total, "file", "files"))
}

// doneText describes a finished scan: "5,000 tracks", with
// " · 3 files skipped" when some files could not be read.
func doneText(tracks, skipped int) string {
	s := "No music found"
	if tracks > 0 {
		s = plural(tracks, "track", "tracks")
	}
	if skipped > 0 {
		s += " · " + plural(skipped, "file skipped", "files skipped")
	}
	return s
}

// plural formats n with its noun: "1 track", "5,000 tracks".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return formatCount(n) + " " + many
}

// formatCount formats n with thousands separators: 1234567 → "1,234,567".
func formatCount(n int) string {
	if n < 0 {
		return "-" + formatCount(-n)
	}
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
