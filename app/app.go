// Package app is Earshot's desktop window: it picks the music folder, shows
// the scan's progress and the library's tracks, and tells people the address
// to open in a browser.
package app

import (
	"context"
	"net/url"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"earshot/player"
)

// Server is what the window needs from the web server.
type Server interface {
	// URLs returns the addresses the server answers on: the loopback one
	// first, then one per LAN address. It is empty when nothing listens.
	URLs() []string
}

// prefLibraryFolder is the preference key under which the folder chosen
// last is remembered between runs.
const prefLibraryFolder = "libraryFolder"

// UI is Earshot's main window and the state behind it. Its widgets are
// fields so that tests can tap them and read them.
type UI struct {
	app      fyne.App
	lib      *player.Library
	srv      Server
	fallback player.Source
	win      fyne.Window

	chooseButton *widget.Button
	library      *widget.Label // the library's name: a folder path or "Demo library"
	progress     *widget.ProgressBar
	status       *widget.Label // "1,234 of 5,000 files", then "5,000 tracks"
	table        *widget.Table
	tracks       []player.Track // what the table shows; touched on the UI goroutine only

	primaryURL *widget.Label // the address to open on a phone
	hint       *widget.Label
	urls       *widget.Label // the other addresses, one a line
	openButton *widget.Button
	copyButton *widget.Button

	// openURL opens an address in the browser; tests replace it.
	openURL func(*url.URL) error
	// applied, when set, is called on the UI goroutine after each library
	// event (with a nil error) or scan error (with a zero Event) has been
	// shown; tests wait on it.
	applied func(player.Event, error)

	// failed carries scan errors from the scan goroutine to the event loop.
	failed      chan error
	unsubscribe func()
	quit        chan struct{} // closed when the window closes
	quitOnce    sync.Once

	mu         sync.Mutex
	ctx        context.Context    // parent of every scan; set by Start
	cancelScan context.CancelFunc // cancels the running scan, if any
	scanDone   chan struct{}      // closed when the last scan started has returned
	copied     *time.Timer        // turns "Copied" back into "Copy link"
}

// New builds the main window for lib, showing srv's addresses, and starts
// listening to lib's events. It scans nothing yet: call [UI.Start] or
// [UI.ChooseFolder]. The fallback source is scanned by Start when no folder
// has been chosen before, or when the chosen one no longer opens.
func New(a fyne.App, lib *player.Library, srv Server, fallback player.Source) *UI {
	return newUI(a, lib, srv, fallback, nil)
}

// newUI is [New] with a hook for tests: applied, when not nil, is called on
// the UI goroutine after each library event or scan error has been shown.
func newUI(a fyne.App, lib *player.Library, srv Server, fallback player.Source, applied func(player.Event, error)) *UI {
	u := &UI{
		app:      a,
		lib:      lib,
		srv:      srv,
		fallback: fallback,
		win:      a.NewWindow("Earshot"),
		openURL:  a.OpenURL,
		applied:  applied,
		failed:   make(chan error),
		quit:     make(chan struct{}),
		ctx:      context.Background(),
	}
	top := u.newLibraryHeader()
	table := u.newTrackTable()
	panel := u.newServerPanel()
	u.win.SetContent(container.NewBorder(top, nil, nil, container.NewVBox(panel), table))
	u.win.Resize(fyne.NewSize(1080, 660))
	u.win.SetOnClosed(u.stop)

	events, unsubscribe := lib.Subscribe()
	u.unsubscribe = unsubscribe
	go u.listen(events)
	return u
}

// Window returns the main window; main shows it with ShowAndRun.
func (u *UI) Window() fyne.Window {
	return u.win
}

// Start scans the first library in the background: the folder chosen last
// time if it still opens, else the fallback source. Scans stop when ctx ends.
func (u *UI) Start(ctx context.Context) {
	u.mu.Lock()
	u.ctx = ctx
	u.mu.Unlock()
	src := u.fallback
	if dir := u.app.Preferences().String(prefLibraryFolder); dir != "" {
		if s, err := player.OpenFolder(dir); err == nil {
			src = s
		} else {
			fyne.LogError("remembered library folder no longer opens", err)
		}
	}
	u.scan(src)
}

// stop cancels the running scan, its timer and the event loop. It runs
// when the window closes.
func (u *UI) stop() {
	u.quitOnce.Do(func() {
		close(u.quit)
		u.mu.Lock()
		if u.cancelScan != nil {
			u.cancelScan()
		}
		if u.copied != nil {
			u.copied.Stop()
		}
		u.mu.Unlock()
		u.unsubscribe()
	})
}

// newLibraryHeader lays out the top of the window: the library's name with
// the Choose folder… button, and the scan's progress below.
func (u *UI) newLibraryHeader() fyne.CanvasObject {
	u.library = widget.NewLabel("")
	u.library.TextStyle = fyne.TextStyle{Bold: true}
	u.library.Truncation = fyne.TextTruncateEllipsis
	u.chooseButton = widget.NewButtonWithIcon("Choose folder…", theme.FolderOpenIcon(), u.showFolderDialog)
	u.chooseButton.Importance = widget.HighImportance
	u.status = widget.NewLabel("")
	u.progress = widget.NewProgressBar()
	u.progress.Hide()
	name := container.NewBorder(nil, nil, widget.NewIcon(theme.FolderIcon()), nil, u.library)
	return container.NewVBox(
		container.NewBorder(nil, nil, nil, u.chooseButton, name),
		container.NewBorder(nil, nil, u.status, nil, u.progress),
		widget.NewSeparator(),
	)
}
