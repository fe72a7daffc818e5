package web

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// deadlineWriter is a fake of the server's ResponseWriter: it records each
// write deadline set and each ReadFrom call, in order, and keeps the bytes.
type deadlineWriter struct {
	header http.Header
	body   bytes.Buffer
	events []string // "deadline", "readfrom", "write"
	// sources are the readers ReadFrom was given.
	sources []io.Reader
}

// Header implements [http.ResponseWriter].
func (d *deadlineWriter) Header() http.Header {
	if d.header == nil {
		d.header = http.Header{}
	}
	return d.header
}

// WriteHeader implements [http.ResponseWriter]; the status is not needed.
func (d *deadlineWriter) WriteHeader(int) {}

// Write implements [http.ResponseWriter], recording the call.
func (d *deadlineWriter) Write(p []byte) (int, error) {
	d.events = append(d.events, "write")
	return d.body.Write(p)
}

// ReadFrom implements [io.ReaderFrom], recording the call and its source.
func (d *deadlineWriter) ReadFrom(r io.Reader) (int64, error) {
	d.events = append(d.events, "readfrom")
	d.sources = append(d.sources, r)
	return io.Copy(&d.body, r)
}

// SetWriteDeadline is what [http.ResponseController] looks for.
func (d *deadlineWriter) SetWriteDeadline(time.Time) error {
	d.events = append(d.events, "deadline")
	return nil
}

// TestStallWriterChunks checks that ReadFrom and Write hand the connection at
// most stallChunk bytes per call with a fresh deadline before each, that
// ReadFrom passes every chunk as a LimitedReader directly around the
// caller's file (the shape sendfile needs), and that the bytes and the
// caller's LimitedReader come out right.
func TestStallWriterChunks(t *testing.T) {
	const c = stallChunk
	tests := []struct {
		name   string
		size   int   // the file's length
		limit  int64 // the caller's LimitedReader.N; -1: the file itself, unwrapped
		write  bool  // use Write with the whole file instead of ReadFrom
		copied int   // bytes that must come out
		calls  int   // underlying ReadFrom or Write calls
	}{
		{name: "empty", size: 0, limit: 0, copied: 0, calls: 0},
		{name: "one byte", size: 1, limit: 1, copied: 1, calls: 1},
		{name: "under a chunk", size: c - 1, limit: c - 1, copied: c - 1, calls: 1},
		{name: "one chunk", size: c, limit: c, copied: c, calls: 1},
		{name: "chunk and a byte", size: c + 1, limit: c + 1, copied: c + 1, calls: 2},
		{name: "many chunks", size: 5*c + 7, limit: 5*c + 7, copied: 5*c + 7, calls: 6},
		{name: "limit below size", size: 3 * c, limit: c + 5, copied: c + 5, calls: 2},
		{name: "limit past end", size: c + 3, limit: 4 * c, copied: c + 3, calls: 2},
		{name: "no limit", size: 2*c + 1, limit: -1, copied: 2*c + 1, calls: 3},
		{name: "no limit, whole chunks", size: 2 * c, limit: -1, copied: 2 * c, calls: 3}, // the last call finds EOF
		{name: "write", size: 3*c + 1, write: true, copied: 3*c + 1, calls: 4},
		{name: "write nothing", size: 0, write: true, copied: 0, calls: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := make([]byte, tc.size)
			for i := range data {
				data[i] = byte(i * 7)
			}
			path := filepath.Join(t.TempDir(), "f")
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()

			fake := &deadlineWriter{}
			sw := newStallWriter(fake, time.Minute)
			var n int64
			var lr *io.LimitedReader
			switch {
			case tc.write:
				var m int
				m, err = sw.Write(data)
				n = int64(m)
			case tc.limit < 0:
				n, err = sw.ReadFrom(f)
			default:
				lr = &io.LimitedReader{R: f, N: tc.limit}
				n, err = sw.ReadFrom(lr)
			}
			if err != nil || n != int64(tc.copied) {
				t.Fatalf("copied %d, %v; want %d, nil", n, err, tc.copied)
			}
			if !bytes.Equal(fake.body.Bytes(), data[:tc.copied]) {
				t.Errorf("the connection got %d bytes that differ from the file's first %d", fake.body.Len(), tc.copied)
			}
			if lr != nil && lr.N != tc.limit-n {
				t.Errorf("caller's LimitedReader.N = %d, want %d", lr.N, tc.limit-n)
			}
			// Every call is preceded by its own deadline.
			calls := 0
			for i, e := range fake.events {
				if e == "deadline" {
					continue
				}
				calls++
				if i == 0 || fake.events[i-1] != "deadline" {
					t.Errorf("call %d (%s) had no fresh deadline before it: %v", calls, e, fake.events)
				}
			}
			if calls != tc.calls {
				t.Errorf("%d underlying calls, want %d: %v", calls, tc.calls, fake.events)
			}
			for i, src := range fake.sources {
				l, ok := src.(*io.LimitedReader)
				if !ok || l.R != io.Reader(f) {
					t.Errorf("ReadFrom call %d got %T, want a *io.LimitedReader directly around the *os.File", i, src)
				}
			}
		})
	}
}

// TestStallWriterWithoutDeadlines checks that a writer that cannot set
// deadlines (httptest's recorder) still gets every byte, through Write and
// through ReadFrom, and that ResponseController reaches it through Unwrap.
func TestStallWriterWithoutDeadlines(t *testing.T) {
	data := bytes.Repeat([]byte("earshot "), stallChunk/4) // two chunks
	for _, useReadFrom := range []bool{false, true} {
		rec := httptest.NewRecorder()
		sw := newStallWriter(rec, time.Second)
		var err error
		if useReadFrom {
			_, err = sw.ReadFrom(bytes.NewReader(data))
		} else {
			_, err = sw.Write(data)
		}
		if err != nil || !bytes.Equal(rec.Body.Bytes(), data) {
			t.Errorf("ReadFrom %v: %d bytes, %v; want %d", useReadFrom, rec.Body.Len(), err, len(data))
		}
		if err := http.NewResponseController(&jsonErrors{ResponseWriter: sw}).Flush(); err != nil {
			t.Errorf("Flush through jsonErrors and stallWriter: %v", err)
		}
		if !rec.Flushed {
			t.Error("the recorder was not flushed: Unwrap does not reach it")
		}
	}
}
