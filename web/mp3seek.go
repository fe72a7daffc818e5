package web

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sync"

	"earshot/player"
	"earshot/player/probe"
)

// Seeking in a VBR MP3.
//
// A VBR MP3 without a Xing header states neither its length nor where each
// second starts, so a browser turns a time into a byte offset by the bit
// rate of the frames it has seen: in the chirp fixture
// (web/browser_seek_test.go) Chromium landed 14 s early on a seek to 72 s,
// and Firefox showed 1:44 for 90 s. With a Xing header (LAME's default)
// Chromium and WebKit seek by its table of contents, but Firefox's MP3
// demuxer labels a position by its byte offset over the average frame
// length and lands 8.4 s off in the audio while currentTime looks right.
//
// Means tried: a Xing header with a 100-entry table of contents inserted
// before the first frame fixed Chromium (0.2 s) but not Firefox, as above.
// The means chosen: every VBR MP3 is served as MPEG-4 holding the same
// frames ([probe.MP3AsMP4]): ftyp and moov with a sample table built from
// the server's frame index, then the MP3 file's frames as they are (less
// the header's own silent frame). Every engine seeks exactly through a
// sample table (measured by ear on the chirp without a header: Chromium
// 0.00 s, Firefox 0.00 s, WebKit 0.07 s; with one: 0.02, 0.01 and 0.07 s),
// ffmpeg decodes the same audio, and no page code depends on it. Only the
// stream changes: the library still says MP3, the file on disk is
// untouched.
//
// Gapless playback of an MP3 needs the encoder delay and padding its LAME
// tag states to be cut; the MPEG-4 carries them as an edit list. Measured
// lengths of the 90-s chirp (element duration once played to the end),
// MP3 as it is → MPEG-4: Chromium 90.034 → 90.000 s, WebKit 90.044 →
// 90.000 s, Firefox 90.000 → 90.019 s (it cuts the edit's start but not its
// end, so up to a frame, 26 ms, of the decoded padding plays). The same
// bytes go to every engine, so no User-Agent decision and no Vary.
//
// The bytes are served by [http.ServeContent] over a [remuxFile], so
// Range, If-Range and HEAD work as for any file; the entity tag differs
// from the file's own ([remuxETag]), so a client that cached the MP3's
// bytes never stitches the two together. Files that need no table (CBR,
// other layers) are served as they are, with sendfile.

// seekTableCap is how many files' remux headers [seekTables] keeps. A
// header holds 4 bytes per frame (about 150 KB for a 1-hour track), so the
// cache stays under a few MB for albums of ordinary tracks; the oldest goes
// first.
const seekTableCap = 64

// seekTables caches the result of [probe.MP3AsMP4] per file version, since
// it reads the whole file: a seek then costs one more request, not one
// more pass over the file. Files that need no remux are cached too.
type seekTables struct {
	mu    sync.Mutex
	m     map[string]seekTable
	order []string // keys, oldest first
}

// seekTable is one cached result: the remux, and whether there is one.
type seekTable struct {
	remux probe.MP4Remux
	ok    bool
}

func newSeekTables() *seekTables { return &seekTables{m: map[string]seekTable{}} }

// lookup returns the remux of the file f of track t, whose version is
// etag, computing it on a miss. An unreadable or malformed file gets none
// (the error is returned for the log, and the answer is cached too, so a
// bad file is read once per version).
func (c *seekTables) lookup(f io.ReadSeeker, t player.Track, etag string, size int64) (probe.MP4Remux, bool, error) {
	key := t.ID + "\x00" + etag
	c.mu.Lock()
	st, hit := c.m[key]
	c.mu.Unlock()
	if hit {
		return st.remux, st.ok, nil
	}
	m, ok, err := probe.MP3AsMP4(f, size)
	st = seekTable{remux: m, ok: ok && err == nil}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, dup := c.m[key]; !dup {
		if len(c.order) >= seekTableCap {
			delete(c.m, c.order[0])
			c.order = c.order[1:]
		}
		c.m[key] = st
		c.order = append(c.order, key)
	}
	return st.remux, st.ok, err
}

// mp3Content returns what [Server.stream] serves for the MP3 track t in
// the file f: the file itself, or, for a VBR MP3, a [remuxFile] of its
// frames in MPEG-4; with its media type, size in bytes
// and entity tag.
func (s *Server) mp3Content(f io.ReadSeeker, t player.Track, info fs.FileInfo, etag string) (io.ReadSeeker, string, int64, string) {
	m, ok, err := s.seeks.lookup(f, t, etag, info.Size())
	if err != nil {
		s.log.Debug("MP3 served as it is", "track", t.Path, "err", err)
	}
	if !ok {
		return f, t.MIMEType, info.Size(), etag
	}
	return &remuxFile{f: f, m: m, fpos: -1}, "audio/mp4", m.Size(), remuxETag(etag)
}

// remuxETag returns the strong entity tag of a file's MPEG-4 version from
// the file's own tag ("…" → "…-mp4v1"); the suffix names the remux's
// layout, to be bumped if it ever changes.
func remuxETag(etag string) string { return etag[:len(etag)-1] + `-mp4v1"` }

// remuxFile is an [io.ReadSeeker] over the MPEG-4 file m describes: m's
// header, then the bytes [m.From, m.To) of the file f. It seeks f only
// when a read needs it.
type remuxFile struct {
	f    io.ReadSeeker
	m    probe.MP4Remux
	pos  int64 // the read position
	fpos int64 // f's own offset; -1 when unknown
}

// errNegativeSeek is returned by [remuxFile.Seek] for a position before
// the start.
var errNegativeSeek = errors.New("seek before the start of the file")

// Read implements [io.Reader]. A read stops at the end of the header, so
// it may return fewer bytes than asked for.
func (r *remuxFile) Read(p []byte) (int, error) {
	head := int64(len(r.m.Header))
	if r.pos >= r.m.Size() {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	if r.pos < head {
		n := copy(p, r.m.Header[r.pos:])
		r.pos += int64(n)
		return n, nil
	}
	off := r.m.From + r.pos - head
	if rest := r.m.To - off; int64(len(p)) > rest {
		p = p[:rest]
	}
	if r.fpos != off {
		if _, err := r.f.Seek(off, io.SeekStart); err != nil {
			r.fpos = -1
			return 0, err
		}
	}
	n, err := r.f.Read(p)
	r.pos += int64(n)
	r.fpos = off + int64(n)
	if err != nil {
		r.fpos = -1
		if errors.Is(err, io.EOF) {
			err = nil
			if n == 0 {
				err = io.ErrUnexpectedEOF // the file is shorter than it was
			}
		}
	}
	return n, err
}

// Seek implements [io.Seeker]; offsets past the end are allowed (reads
// there return [io.EOF]).
func (r *remuxFile) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += r.pos
	case io.SeekEnd:
		offset += r.m.Size()
	default:
		return 0, fmt.Errorf("seek: invalid whence %d", whence)
	}
	if offset < 0 {
		return 0, errNegativeSeek
	}
	r.pos = offset
	return offset, nil
}
