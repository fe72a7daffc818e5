package player

// EventKind says what an [Event] reports.
type EventKind int

// The kinds of library event, in the order a scan sends them.
const (
	// ScanStarted: a scan of Event.Source began.
	ScanStarted EventKind = iota + 1
	// ScanProgress: Event.Scanned of Event.Total audio files have been read.
	ScanProgress
	// ScanDone: the scan finished and the library now holds Event.Tracks
	// tracks; Event.Skipped files could not be read. A cancelled scan sends
	// ScanDone with the library unchanged.
	ScanDone
)

// The kinds of event sent by [Library.Use] besides those of its scans.
const (
	// Restored: the library now holds the Event.Tracks tracks (at least
	// one) that its index kept of Event.Source, before scanning it; or
	// Event.Err says why the index could not be read.
	Restored EventKind = iota + 10
	// FolderMissing: the folder of Event.Source is gone from its path; the
	// library keeps its tracks and waits for it ([Status].Missing).
	FolderMissing
	// FolderFound: the missing folder is back and about to be rescanned.
	FolderFound
)

// UserDataChanged: playlists, hearts, play counts or positions changed;
// Event.What says which ("playlists", "stars", "plays", "positions", or
// "moved" when a rescan found moved files again).
const UserDataChanged EventKind = 20

// Event is a change in the library, sent to every [Library.Subscribe]r.
type Event struct {
	Kind    EventKind
	Source  string // the name of the source being scanned
	Scanned int    // files examined so far
	Total   int    // audio files found by the walk
	Tracks  int    // tracks in the library (ScanDone and Restored only)
	Skipped int    // files that could not be read (ScanDone only)
	// Err is why the library's [Index] could not be read (Restored, with
	// no tracks: the scan that follows fills the library) or saved
	// (ScanDone: the library is up to date, the saved copy is not).
	Err error
	// What is what changed (UserDataChanged only).
	What string
}

// subscriberBuffer is how many events a slow subscriber may fall behind by.
const subscriberBuffer = 64

// Subscribe returns a channel of library events and a function that ends
// the subscription and closes the channel. A subscriber that falls behind
// loses progress events, never ScanStarted or ScanDone.
func (l *Library) Subscribe() (<-chan Event, func()) {
	ch := make(chan Event, subscriberBuffer)
	l.subMu.Lock()
	l.subs[ch] = struct{}{}
	l.subMu.Unlock()
	var once bool
	return ch, func() {
		l.subMu.Lock()
		defer l.subMu.Unlock()
		if !once {
			once = true
			delete(l.subs, ch)
			close(ch)
		}
	}
}

// publish sends e to every subscriber without ever blocking the scan: a
// full channel drops progress events, and makes room for the others by
// dropping its oldest event.
func (l *Library) publish(e Event) {
	l.subMu.Lock()
	defer l.subMu.Unlock()
	for ch := range l.subs {
		select {
		case ch <- e:
			continue
		default:
		}
		if e.Kind == ScanProgress {
			continue
		}
		select {
		case <-ch:
		default:
		}
		select {
		case ch <- e:
		default:
		}
	}
}
