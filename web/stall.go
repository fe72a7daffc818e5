package web

import (
	"errors"
	"io"
	"net/http"
	"time"
)

// stallChunk is the most bytes a stream hands the connection under one write
// deadline: 128 KiB. A client is dropped when it does not accept that much
// within [Options.StallTimeout]; at the default 30 s that is a client slower
// than about 4.4 KB/s (35 kbit/s, under the bit rate of nearly any music
// file), or one that stopped reading. Smaller chunks would add deadline
// updates and sendfile calls for nothing; larger ones would make a slow but
// working client look stalled.
const stallChunk = 128 << 10

// stallWriter wraps the ResponseWriter of a stream so that each write must
// make progress within a time limit, with no limit on the whole response (a
// song can be long, so the http.Server has no WriteTimeout). Before every
// chunk of at most [stallChunk] bytes it pushes the connection's write
// deadline stall into the future with [http.ResponseController]; a client
// that stops reading fills its socket buffers, the write blocks, the
// deadline passes and the connection is closed, ending the handler.
//
// ReadFrom keeps the zero-copy path: [http.ServeContent] copies with
// [io.CopyN], which calls ReadFrom with an [*io.LimitedReader] around the
// file, and net.TCPConn only uses sendfile for an [*os.File] or one
// LimitedReader around one. So ReadFrom unwraps the caller's LimitedReader
// and passes each chunk as a new LimitedReader around the same file.
//
// When the underlying writer cannot set deadlines ([http.ErrNotSupported],
// as with [httptest.ResponseRecorder]) writes go through unbounded. The last
// deadline needs no clearing: net/http clears the write deadline once it has
// finished a response (conn.serve), so the next request on a kept-alive
// connection does not inherit it.
type stallWriter struct {
	http.ResponseWriter
	rc    *http.ResponseController
	stall time.Duration
	// noDeadline is set once the writer reported that it cannot set one.
	noDeadline bool
}

// stallEach gives every answer of h the per-write deadline of a
// [stallWriter]. The route table applies it to every route whose stall
// policy is [stallPerWrite] — the JSON API (a 50,000-track /api/tracks is
// 20 MB), the page's files, errors — and not to the [stallOwned] ones,
// whose handlers set up their own. Without it a client that stops reading
// a large answer would hold its handler and connection for as long as it
// likes.
func (s *Server) stallEach(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(newStallWriter(w, s.stall), r)
	})
}

// newStallWriter returns w with a write deadline of stall per chunk.
func newStallWriter(w http.ResponseWriter, stall time.Duration) *stallWriter {
	return &stallWriter{ResponseWriter: w, rc: http.NewResponseController(w), stall: stall}
}

// extend moves the write deadline stall from now.
func (s *stallWriter) extend() {
	if s.noDeadline {
		return
	}
	if err := s.rc.SetWriteDeadline(time.Now().Add(s.stall)); errors.Is(err, http.ErrNotSupported) {
		s.noDeadline = true
	}
}

// Write implements [http.ResponseWriter], extending the deadline before
// each [stallChunk] of p.
func (s *stallWriter) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		n := min(len(p), stallChunk)
		s.extend()
		m, err := s.ResponseWriter.Write(p[:n])
		written += m
		if err != nil {
			return written, err
		}
		p = p[n:]
	}
	return written, nil
}

// ReadFrom implements [io.ReaderFrom] for [io.Copy], handing the underlying
// writer's ReadFrom (sendfile, for a file) one chunk at a time with the
// deadline extended before each. src may be an [*io.LimitedReader], whose
// N is kept up to date, or any other reader, read until [io.EOF].
func (s *stallWriter) ReadFrom(src io.Reader) (total int64, err error) {
	rf, ok := s.ResponseWriter.(io.ReaderFrom)
	if !ok {
		return io.Copy(writerOnly{s}, src)
	}
	r, limit := src, int64(-1) // -1: until EOF
	if lr, ok := src.(*io.LimitedReader); ok {
		if lr.N <= 0 {
			return 0, nil
		}
		r, limit = lr.R, lr.N
		defer func() { lr.N -= total }()
	}
	for limit != 0 {
		n := int64(stallChunk)
		if limit > 0 {
			n = min(n, limit)
		}
		s.extend()
		m, err := rf.ReadFrom(&io.LimitedReader{R: r, N: n})
		total += m
		if err != nil || m < n {
			return total, err // the write failed, or the source ended
		}
		if limit > 0 {
			limit -= m
		}
	}
	return total, nil
}

// Unwrap returns the wrapped writer, for [http.ResponseController].
func (s *stallWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }
