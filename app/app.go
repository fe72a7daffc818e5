// Package app is Earshot's desktop window: it picks the music folder, shows
// the scan's progress and the library's tracks, pairs phones with a QR code
// of the server's address and access key, and lists the devices listening.
package app

import (
	"context"
	"net/url"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"earshot/player"
)

// Server is what the window needs from the web server: its addresses, the
// access key's pairing links, and the switches the window offers.
type Server interface {
	// Addresses returns the addresses the server answers on, each saying
	// whether it is the loopback one; LAN addresses come Wi-Fi and Ethernet
	// before virtual interfaces. It is empty when nothing listens.
	Addresses() []Address
	// PairingURL returns the link that pairs a device through base, the
	// URL of one of Addresses: base + "/pair?key=<key>".
	PairingURL(base string) string
	// ResetKey replaces the access key with a new one, which it returns;
	// every device paired with the old key must pair again.
	ResetKey() string
	// LAN reports whether other devices on the network may connect.
	LAN() bool
	// SetLAN lets other devices connect (allow) or only this computer,
	// on the same port. On error nothing has changed.
	SetLAN(allow bool) error
	// RequireKeyOnLoopback sets whether this computer needs the key too.
	RequireKeyOnLoopback(require bool)
	// Devices returns the devices seen recently.
	Devices() []Device
	// Paused reports whether sharing with other devices is paused.
	Paused() bool
	// SetPaused pauses sharing with other devices (they are refused
	// until resumed; this computer is still served) or resumes it.
	SetPaused(paused bool)
	// UploadsFromLAN reports whether other devices on the network may
	// upload files into the library (this computer always may).
	UploadsFromLAN() bool
	// SetUploadsFromLAN lets other devices on the network upload files
	// into the library (allow) or not.
	SetUploadsFromLAN(allow bool)
}

// Address is one base URL the server answers on (web.Address has the same
// fields; the app does not import web).
type Address struct {
	URL       string // "http://192.168.1.20:8780", no trailing slash
	Host      string // the URL's host as shown to people: "192.168.1.20"
	Loopback  bool   // whether URL works only on this computer
	Interface string // the network interface, "wlan0"; "" for loopback
	Virtual   bool   // whether Interface is a bridge or tunnel (Docker, VPN)
}

// Device is a browser that used the server recently.
type Device struct {
	Address    string // the device's IP address
	Browser    string // "Safari on iPhone"; "" when unknown
	LastSeen   time.Time
	NowPlaying string // the track playing there, "" for none
	// ThisComputer is set for this computer's own browser.
	ThisComputer bool
}

// UI is Earshot's main window and the state behind it. Its widgets are
// fields so that tests can tap them and read them.
type UI struct {
	app      fyne.App
	lib      *player.Library
	srv      Server
	fallback player.Source
	win      fyne.Window
	hooks    hooks
	// tray is the system tray the window lives on in (tray.go); the zero
	// value is none.
	tray Tray
	// about is what the About dialog shows (about.go).
	about       AboutInfo
	aboutButton *keyButton
	// connectButton opens "Connect an app" (connectapp.go); nil when the
	// server keeps no app passwords. connect is the dialog last opened.
	connectButton *keyButton
	connect       *connectDialog
	logsButton    *keyButton // the About dialog's Open log folder, once shown
	// login is the start-at-login check (login.go).
	login loginSwitch

	chooseButton *keyButton
	library      *widget.Label // the library's name: a folder path or "Demo library"
	progress     *widget.ProgressBar
	status       *widget.Label // "1,234 of 5,000 files", then "5,000 tracks"
	// problemsButton says "3 files could not be read" and lists them.
	problemsButton *keyButton
	table          *focusTable
	tracks         []player.Track // what the table shows; touched on the UI goroutine only
	list           trackList      // what tracks is made of: search and sort (search.go)
	// dropResult says what became of the files dropped on the window
	// (drop.go); hidden until a drop.
	dropResult *widget.Label
	// libraryPane holds the header and the table, the window's left part.
	libraryPane *fyne.Container

	// The pairing panel (server_panel.go); touched on the UI goroutine only.
	qr            *canvas.Image   // the pairing link as a QR code; hidden without one
	qrBox         *fyne.Container // holds qr at the top of its row
	qrSide        *fyne.Container // beside the QR code: hint, picker, buttons
	buttons       *fyne.Container // Copy link and Open in browser, under the address without a QR code
	cardBody      *fyne.Container // the pairing card's content, laid out for a QR code or none
	addressSelect *widget.Select  // the LAN address to pair through, when there are several
	link          *widget.Label   // the pairing link, or the loopback address without LAN
	hint          *widget.Label
	openButton    *keyButton
	copyButton    *keyButton
	lanCheck      *widget.Check
	uploadsCheck  *widget.Check // Allow uploads from other devices (uploads_switch.go)
	keyCheck      *widget.Check
	resetButton   *keyButton
	resetDialog   *confirmDialog // the last Reset confirmation shown
	lanAddrs      []Address      // the LAN addresses the picker offers, in order
	selected      string         // the URL of the LAN address whose pairing link is shown
	openTarget    string         // what Open in browser opens

	// The devices list (devices.go); touched on the UI goroutine only.
	deviceList *focusList
	noDevices  *widget.Label
	devices    []Device // what the list shows, most recent first

	// dialogs are the dialogs open, the last on top: Escape closes it.
	dialogs []escapable

	// openURL opens an address in the browser; tests replace it.
	openURL func(*url.URL) error

	// failed carries scan errors from the scan goroutine to the event loop.
	failed      chan error
	unsubscribe func()
	quit        chan struct{} // closed when the window closes
	quitOnce    sync.Once

	// ctx is the parent of every use of a library folder; cancel ends it,
	// when the window closes or Start's context ends.
	ctx    context.Context
	cancel context.CancelFunc

	// uses runs the goroutines that call Library.Use or, for drops,
	// Library.Import; tests wait on it.
	uses sync.WaitGroup

	mu        sync.Mutex
	cancelUse context.CancelFunc // cancels the last Library.Use started, if any
	lastDrop  chan struct{}      // closed when the last drop's files are imported; nil before a drop
	copied    *time.Timer        // turns "Copied" back into "Copy link"
}

// hooks are what tests change in a UI; the zero value is production's.
type hooks struct {
	// applied, when set, is called on the UI goroutine after each library
	// event (with a nil error) or scan error (with a zero Event) has been
	// shown; tests wait on it.
	applied func(player.Event, error)
	// tick, when set, replaces the ticker that refreshes the devices list.
	tick <-chan time.Time
	// devicesShown, when set, is called on the UI goroutine after each
	// refresh of the devices list by the ticker.
	devicesShown func()
	// now, when set, replaces time.Now for "last seen" times.
	now func() time.Time
	// dropShown, when set, is called on the UI goroutine with the result
	// line of each drop once it is shown.
	dropShown func(text string)
}

// New builds the main window for lib, showing srv's addresses, and starts
// listening to lib's events. It scans nothing yet: call [UI.Start] or
// [UI.ChooseFolder]. The fallback source is scanned by Start when no folder
// has been chosen before, or when the chosen one no longer opens.
func New(a fyne.App, lib *player.Library, srv Server, fallback player.Source) *UI {
	return newUI(a, lib, srv, fallback, hooks{})
}

// newUI is [New] with hooks for tests.
func newUI(a fyne.App, lib *player.Library, srv Server, fallback player.Source, h hooks) *UI {
	u := &UI{
		app:      a,
		lib:      lib,
		srv:      srv,
		fallback: fallback,
		win:      a.NewWindow("Earshot"),
		hooks:    h,
		openURL:  a.OpenURL,
		failed:   make(chan error),
		quit:     make(chan struct{}),
	}
	u.ctx, u.cancel = context.WithCancel(context.Background())
	if u.hooks.now == nil {
		u.hooks.now = time.Now
	}
	a.Settings().SetTheme(newFocusTheme())
	u.win.Canvas().SetOnTypedKey(u.typedKey)
	top := container.NewVBox(u.newLibraryHeader(), u.newSearchBar())
	table := u.newTrackTable()
	panel := u.newServerPanel()
	// Objects in reading order, which is the Tab order: the header, the
	// table, then the panel (container.NewBorder would put the table first).
	u.libraryPane = container.New(layout.NewBorderLayout(top, nil, nil, nil), top, table)
	u.win.SetContent(container.NewBorder(nil, nil, nil, panel, u.libraryPane))
	u.win.Resize(fyne.NewSize(1080, 660))
	u.win.SetOnClosed(u.stop)
	u.win.SetOnDropped(u.dropped)

	events, unsubscribe := lib.Subscribe()
	u.unsubscribe = unsubscribe
	go u.listen(events)
	go u.watchDevices()
	return u
}

// Window returns the main window; main shows it with ShowAndRun.
func (u *UI) Window() fyne.Window {
	return u.win
}

// Start scans the first library in the background: the folder chosen last
// time if it still opens, else the fallback source. Scans and the watch
// stop when ctx ends, as when the window closes.
func (u *UI) Start(ctx context.Context) {
	context.AfterFunc(ctx, u.cancel)
	if ctx.Err() != nil {
		u.cancel() // now, not in AfterFunc's goroutine: nothing is scanned
	}
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
		u.cancel()
		u.mu.Lock()
		if u.copied != nil {
			u.copied.Stop()
		}
		u.mu.Unlock()
		u.unsubscribe()
	})
}

// newLibraryHeader lays out the top of the window: the library's name with
// the Choose folder… button, the scan's progress below, and the line that
// says what became of the files dropped on the window.
func (u *UI) newLibraryHeader() fyne.CanvasObject {
	u.library = widget.NewLabel("")
	u.library.TextStyle = fyne.TextStyle{Bold: true}
	u.library.Truncation = fyne.TextTruncateEllipsis
	u.chooseButton = u.newButton("Choose folder…", theme.FolderOpenIcon(), u.showFolderDialog)
	u.chooseButton.Importance = widget.HighImportance
	u.status = widget.NewLabel("")
	u.problemsButton = u.newProblemsButton()
	u.progress = widget.NewProgressBar()
	u.progress.Hide()
	u.dropResult = newDropResult()
	name := container.NewBorder(nil, nil, widget.NewIcon(theme.FolderIcon()), nil, u.library)
	return container.NewVBox(
		container.NewBorder(nil, nil, nil, u.chooseButton, name),
		container.NewBorder(nil, nil, u.status, u.problemsButton, u.progress),
		u.dropResult,
		widget.NewSeparator(),
	)
}
