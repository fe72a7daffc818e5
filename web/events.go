package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"earshot/player"
)

// eventsHeartbeat is how often an event stream with nothing to say sends a
// comment line, so that proxies, NAT tables and phones that drop quiet
// connections keep it open, and so that a client that vanished without
// closing its connection is noticed when the writes stop going through.
const eventsHeartbeat = 20 * time.Second

// eventsRetry is the reconnection time, in milliseconds, that the stream
// asks EventSource clients to wait after it drops (the retry field).
const eventsRetry = 2000

// scanEventBody is the data of an "event: scan" message: a scan began
// (kind "started"), examined Scanned of Total audio files ("progress"), or
// finished with Tracks tracks and Skipped unreadable files ("done").
type scanEventBody struct {
	Kind    string `json:"kind"`
	Scanned int    `json:"scanned"`
	Total   int    `json:"total"`
	Tracks  int    `json:"tracks"`
	Skipped int    `json:"skipped"`
}

// libraryEventBody is the data of an "event: library" message: the library
// may have changed and now holds Tracks tracks; clients fetch it again.
type libraryEventBody struct {
	Tracks int `json:"tracks"`
}

// folderEventBody is the data of an "event: folder" message: the library
// folder went missing from its path (Missing true; the library keeps what
// it held) or is back (false; a rescan follows, with its scan events).
type folderEventBody struct {
	Missing bool `json:"missing"`
}

// userDataEventBody is the data of an "event: userdata" message: the
// playlists, hearts, play counts or positions changed (What is
// "playlists", "stars", "plays", "positions", or "moved" when a rescan
// found moved files again); clients fetch what they show of them again.
type userDataEventBody struct {
	What string `json:"what"`
}

// scanKinds names the [player.EventKind]s in scan events.
var scanKinds = map[player.EventKind]string{
	player.ScanStarted:  "started",
	player.ScanProgress: "progress",
	player.ScanDone:     "done",
}

// eventStream serves GET /api/events, the library's changes as Server-Sent
// Events (WHATWG HTML Living Standard §9.2), for EventSource clients.
type eventStream struct {
	s         *Server
	heartbeat time.Duration

	mu sync.Mutex
	// shutdown holds, per http.Server the handler has run under, a channel
	// that server's Shutdown closes (see [eventStream.shutdownOf]).
	shutdown map[*http.Server]chan struct{}
}

// events returns the handler of GET /api/events.
func (s *Server) events() http.HandlerFunc {
	return newEventStream(s, eventsHeartbeat).ServeHTTP
}

// newEventStream returns an event stream handler for s that sends a
// heartbeat comment after heartbeat without events.
func newEventStream(s *Server, heartbeat time.Duration) *eventStream {
	return &eventStream{s: s, heartbeat: heartbeat, shutdown: map[*http.Server]chan struct{}{}}
}

// shutdownOf returns a channel that is closed when the http.Server serving
// r shuts down; nil (never ready) when r carries no server. Shutdown waits
// for handlers to return and never cancels their requests' contexts, so
// without this an open stream would hold it for its whole grace period.
// The channel is registered with [http.Server.RegisterOnShutdown] on the
// first request seen from each server; a stream whose first request arrives
// while that server is already shutting down ends only with the forced
// close that follows the grace period.
func (e *eventStream) shutdownOf(r *http.Request) <-chan struct{} {
	srv, _ := r.Context().Value(http.ServerContextKey).(*http.Server)
	if srv == nil {
		return nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	ch, ok := e.shutdown[srv]
	if !ok {
		ch = make(chan struct{})
		e.shutdown[srv] = ch
		srv.RegisterOnShutdown(func() { close(ch) })
	}
	return ch
}

// ServeHTTP streams library events to the client until it goes away or the
// server shuts down. The response is text/event-stream, not cached and not
// buffered by proxies (X-Accel-Buffering: no, for nginx). It starts with
// "retry: 2000", then an "event: status" message with the same JSON as GET
// /api/status; after that, each [player.Event] becomes an "event: scan"
// message with a [scanEventBody], and each ScanDone is followed by an
// "event: library" message with a [libraryEventBody]; [player.FolderMissing]
// and [player.FolderFound] become an "event: folder" message with a
// [folderEventBody] (the status message's "missing" field says the same
// of the time the stream began), and [player.UserDataChanged] an "event:
// userdata" message with a [userDataEventBody]. A ": ping" comment
// goes out after [eventsHeartbeat] of silence. Each message is flushed at
// once, under a write deadline of the server's stall timeout: a client that
// stops reading is dropped instead of holding a goroutine and a
// subscription forever. A HEAD request gets the headers only.
//
// An EventSource reconnects by itself after the retry time; a client must
// treat the status message that starts each connection as "refetch what
// you show", since events sent while it was away are not replayed.
func (e *eventStream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusOK)
		return
	}
	shutdown := e.shutdownOf(r)
	// Subscribe before taking the status, so that no change between the
	// two is lost.
	events, unsubscribe := e.s.lib.Subscribe()
	defer unsubscribe()
	out := &sseWriter{w: w, rc: http.NewResponseController(w), timeout: e.s.stall}

	out.retry(eventsRetry)
	out.event("status", e.s.statusBody(r))
	if out.flush() != nil {
		return
	}
	ping := time.NewTicker(e.heartbeat)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-shutdown:
			return
		case <-ping.C:
			out.comment("ping")
		case ev, ok := <-events:
			if !ok {
				return
			}
			if !queueEvent(out, ev) {
				continue
			}
		}
		if out.flush() != nil {
			return
		}
		ping.Reset(e.heartbeat)
	}
}

// queueEvent queues the messages that stand for ev on out, reporting false
// when ev is of a kind that the stream does not send.
func queueEvent(out *sseWriter, ev player.Event) bool {
	switch ev.Kind {
	case player.FolderMissing, player.FolderFound:
		out.event("folder", folderEventBody{Missing: ev.Kind == player.FolderMissing})
		return true
	case player.UserDataChanged:
		out.event("userdata", userDataEventBody{What: ev.What})
		return true
	}
	kind, ok := scanKinds[ev.Kind]
	if !ok {
		return false
	}
	out.event("scan", scanEventBody{Kind: kind, Scanned: ev.Scanned, Total: ev.Total, Tracks: ev.Tracks, Skipped: ev.Skipped})
	if ev.Kind == player.ScanDone {
		out.event("library", libraryEventBody{Tracks: ev.Tracks})
	}
	return true
}

// sseWriter formats Server-Sent Events into a buffer and hands each batch
// to the connection under its own write deadline.
type sseWriter struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	timeout time.Duration
	buf     bytes.Buffer
	// noDeadline is set once the writer reported that it cannot set one
	// (an [httptest.ResponseRecorder], for example).
	noDeadline bool
}

// retry queues a retry field: the client's reconnection time in ms.
func (o *sseWriter) retry(ms int) {
	o.buf.WriteString("retry: ")
	o.buf.WriteString(strconv.Itoa(ms))
	o.buf.WriteString("\n\n")
}

// comment queues a comment line, which clients ignore.
func (o *sseWriter) comment(text string) {
	o.buf.WriteString(": ")
	o.buf.WriteString(text)
	o.buf.WriteString("\n\n")
}

// event queues a message of the given type whose data is v as JSON, on one
// data line: encoding/json escapes the line breaks that would split it.
func (o *sseWriter) event(name string, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err) // only our own fixed structs get here
	}
	o.buf.WriteString("event: ")
	o.buf.WriteString(name)
	o.buf.WriteString("\ndata: ")
	o.buf.Write(data)
	o.buf.WriteString("\n\n")
}

// flush writes what was queued and flushes it to the client, giving the
// write timeout to do so. It returns the write's error: the client is gone
// or stopped reading, and the stream must end.
func (o *sseWriter) flush() error {
	if o.buf.Len() == 0 {
		return nil
	}
	if !o.noDeadline {
		if err := o.rc.SetWriteDeadline(time.Now().Add(o.timeout)); errors.Is(err, http.ErrNotSupported) {
			o.noDeadline = true
		}
	}
	_, err := o.w.Write(o.buf.Bytes())
	o.buf.Reset()
	if err != nil {
		return err
	}
	return o.rc.Flush()
}
