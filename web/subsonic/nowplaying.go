package subsonic

import (
	"sync"
	"time"
)

// nowPlaying keeps what each client last said it is playing (scrobble
// with submission=false, or a stream), by client name. Safe for
// concurrent use.
type nowPlaying struct {
	mu      sync.Mutex
	entries map[string]playing
}

// playing is one client's song and when it began.
type playing struct {
	trackID string
	since   time.Time
}

func newNowPlaying() *nowPlaying { return &nowPlaying{entries: map[string]playing{}} }

// set records that client plays track id from now.
func (n *nowPlaying) set(client, id string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if p, ok := n.entries[client]; ok && p.trackID == id {
		return // a seeking client asks for the same track again
	}
	n.entries[client] = playing{trackID: id, since: time.Now()}
}

// recent returns the entries that began within d, by client.
func (n *nowPlaying) recent(d time.Duration) map[string]playing {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := map[string]playing{}
	for c, p := range n.entries {
		if time.Since(p.since) < d {
			out[c] = p
		}
	}
	return out
}
