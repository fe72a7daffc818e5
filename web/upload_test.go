package web

import (
	"crypto/sha256"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"earshot/player"
	"earshot/player/playertest"
)

// uploadServer serves an empty library folder, watched, over loopback. A
// request with an X-Test-Peer header is taken as coming from that address
// ("192.168.1.50:5000"), a device on the LAN.
type uploadServer struct {
	*httptest.Server
	s   *Server
	lib *player.Library
	dir string
}

// newUploadServer starts a server with opts and LAN access on.
func newUploadServer(t testing.TB, dir string, opts Options) *uploadServer {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	lib := watchedLibrary(t, dir)
	opts.Key = testKey
	us := &uploadServer{s: New(lib, opts), lib: lib, dir: dir}
	us.s.lis.lan.Store(true)
	h := us.s.Handler()
	us.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := r.Header.Get("X-Test-Peer"); p != "" {
			r.RemoteAddr = p
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(us.Close)
	return us
}

// lanClient returns a client whose requests come from a LAN device, with
// the key when paired.
func (us *uploadServer) lanClient(paired bool) *tusClient {
	c := newTUSClient(us.URL)
	c.Header.Set("X-Test-Peer", "192.168.1.50:5000")
	if paired {
		c.Header.Set("Authorization", "Bearer "+testKey)
	}
	return c
}

// libraryFiles lists the files under the library folder (the incoming
// folder included) as slash paths.
func (us *uploadServer) libraryFiles(t testing.TB) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(us.dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(us.dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	slices.Sort(out)
	return out
}

// addedPath decodes a finished upload's answer.
func addedPath(t testing.TB, res tusResponse) uploadState {
	t.Helper()
	var st uploadState
	if res.Status != http.StatusOK || json.Unmarshal([]byte(res.Body), &st) != nil || !st.Done {
		t.Fatalf("last PATCH = %d %s, want 200 with the upload's state", res.Status, res.Body)
	}
	return st
}

// makeAudio generates the specs in a new folder and returns their bytes by
// path.
func makeAudio(t testing.TB, specs ...playertest.Spec) map[string][]byte {
	t.Helper()
	playertest.NeedsFFmpeg(t)
	dir := t.TempDir()
	playertest.Generate(t, dir, specs...)
	out := map[string][]byte{}
	for _, s := range specs {
		b, err := os.ReadFile(filepath.Join(dir, s.Path))
		if err != nil {
			t.Fatal(err)
		}
		out[s.Path] = b
	}
	return out
}

// TestUploadAddsToLibrary uploads a tagged FLAC in chunks, asking the
// offset between them as a resuming client does: the last PATCH says
// where it went, the bytes there are the same (SHA-256), the watch lists
// the track, GET /api/uploads/{id} tells the outcome, and nothing is left
// in the incoming folder.
func TestUploadAddsToLibrary(t *testing.T) {
	audio := makeAudio(t, playertest.Spec{Path: "s.flac", Kind: playertest.FLAC, Seconds: 3,
		Tags: map[string]string{"title": "Up", "artist": "Band", "album": "Live", "track": "3"}})
	data := audio["s.flac"]
	us := newUploadServer(t, "", Options{})
	events, unsubscribe := us.lib.Subscribe()
	defer unsubscribe()
	c := newTUSClient(us.URL)

	res := c.create(t, "s.flac", int64(len(data)))
	if res.Status != http.StatusCreated {
		t.Fatalf("create = %d %s", res.Status, res.Body)
	}
	loc := c.location(t, res)
	half := int64(len(data) / 2)
	if res := c.patch(t, loc, 0, strings.NewReader(string(data[:half]))); res.Status != http.StatusNoContent {
		t.Fatalf("first PATCH = %d %s", res.Status, res.Body)
	}
	if got := c.offset(t, loc); got != half {
		t.Fatalf("offset after half = %d, want %d", got, half)
	}
	if res := c.patch(t, loc, 0, strings.NewReader("x")); res.Status != http.StatusConflict || !strings.HasPrefix(res.Body, `{"error":`) {
		t.Errorf("PATCH at a wrong offset = %d %s, want 409 in JSON", res.Status, res.Body)
	}
	st := addedPath(t, c.patch(t, loc, half, strings.NewReader(string(data[half:]))))
	if st.Path != "Band/Live/03 Up.flac" || st.Duplicate {
		t.Errorf("outcome %+v, want Band/Live/03 Up.flac", st)
	}
	placed, err := os.ReadFile(filepath.Join(us.dir, "Band/Live/03 Up.flac"))
	if err != nil || sha256.Sum256(placed) != sha256.Sum256(data) {
		t.Fatalf("library copy differs from the upload (%v)", err)
	}
	id := player.TrackID("Band/Live/03 Up.flac")
	for { // the watch's rescan lists it; the test's deadline bounds the wait
		if _, err := us.lib.Track(id); err == nil {
			break
		}
		<-events
	}
	var got uploadState
	res = c.do(t, http.MethodGet, loc, nil, nil)
	if json.Unmarshal([]byte(res.Body), &got) != nil || got != st {
		t.Errorf("GET %s = %d %s, want %+v", loc, res.Status, res.Body, st)
	}
	if left := us.libraryFiles(t); !slices.Equal(left, []string{"Band/Live/03 Up.flac"}) {
		t.Errorf("library folder holds %v", left)
	}
	if res := c.do(t, http.MethodHead, loc, nil, nil); res.Status != http.StatusOK || res.Header.Get("Upload-Offset") != res.Header.Get("Upload-Length") || res.Header.Get("Upload-Length") != strconv.Itoa(len(data)) {
		t.Errorf("HEAD of a finished upload = %d, offset %q of %q; want 200, whole", res.Status, res.Header.Get("Upload-Offset"), res.Header.Get("Upload-Length"))
	}
}

// TestUploadRefused checks each refusal's status and JSON message, and
// that none leaves a byte in the library or its incoming folder.
func TestUploadRefused(t *testing.T) {
	audio := makeAudio(t, playertest.Spec{Path: "a.flac", Kind: playertest.FLAC, Seconds: 4})
	flac := audio["a.flac"]
	garbage := []byte(strings.Repeat("MZ this is not audio at all ", 4000))
	us := newUploadServer(t, "", Options{MaxUpload: 1 << 20})
	local := newTUSClient(us.URL)
	cases := []struct {
		name   string
		send   func() tusResponse
		status int
		says   string
	}{
		{"garbage renamed .mp3", func() tusResponse { return local.upload(t, "song.mp3", garbage, 1<<20) }, 422, "not an audio or video file"},
		{"zero bytes", func() tusResponse { return local.upload(t, "empty.flac", nil, 1<<20) }, 422, "empty"},
		{"truncated FLAC", func() tusResponse { return local.upload(t, "cut.flac", flac[:len(flac)/2], 1<<20) }, 422, "cut short"},
		{"not a media type", func() tusResponse { return local.create(t, "setup.exe", 10) }, 415, "not a type of file"},
		{"too large", func() tusResponse { return local.create(t, "big.flac", 2<<20) }, 413, "larger than the 1 MiB"},
		{"no name", func() tusResponse {
			return local.do(t, http.MethodPost, "/api/uploads", http.Header{"Upload-Length": {"5"}}, nil)
		}, 400, "file's name"},
		{"unpaired device", func() tusResponse { return us.lanClient(false).create(t, "a.flac", 10) }, 401, ""},
		{"wrong key", func() tusResponse {
			c := us.lanClient(false)
			c.Header.Set("Authorization", "Bearer nope")
			return c.create(t, "a.flac", 10)
		}, 401, ""},
		{"cross-origin POST from this computer", func() tusResponse {
			return local.do(t, http.MethodPost, "/api/uploads", http.Header{"Origin": {"http://evil.example"}, "Upload-Length": {"5"}}, nil)
		}, 403, "cross-origin"},
		{"paired device while uploads from other devices are off", func() tusResponse {
			return us.lanClient(true).create(t, "a.flac", 10)
		}, 403, "Uploads from other devices are off"},
		{"unknown upload", func() tusResponse {
			return local.do(t, http.MethodHead, "/api/uploads/0123456789abcdef0123456789abcdef", nil, nil)
		}, 404, ""},
		{"upload ID not of ours", func() tusResponse { return local.do(t, http.MethodPatch, "/api/uploads/..%2f..%2fetc", nil, nil) }, 404, ""},
	}
	for _, c := range cases {
		res := c.send()
		if res.Status != c.status {
			t.Errorf("%s: %d %s, want %d", c.name, res.Status, res.Body, c.status)
			continue
		}
		var body errorBody
		if res.Body != "" && (json.Unmarshal([]byte(res.Body), &body) != nil || !strings.Contains(body.Error, c.says)) {
			t.Errorf("%s: body %q, want JSON saying %q", c.name, res.Body, c.says)
		}
	}
	if left := us.libraryFiles(t); len(left) != 0 {
		t.Errorf("left on disk: %v", left)
	}
	us.s.SetUploadsFromLAN(true)
	if res := us.lanClient(true).upload(t, "a.flac", flac, 1<<20); res.Status != http.StatusOK {
		t.Errorf("paired device with uploads on: %d %s", res.Status, res.Body)
	}
}

// TestUploadStatus checks what /api/status tells each device about
// uploads, before and after the switch.
func TestUploadStatus(t *testing.T) {
	us := newUploadServer(t, "", Options{})
	get := func(c *tusClient) uploadsStatus {
		var st statusBody
		res := c.do(t, http.MethodGet, "/api/status", nil, nil)
		if err := json.Unmarshal([]byte(res.Body), &st); err != nil {
			t.Fatalf("status %d %s", res.Status, res.Body)
		}
		return st.Uploads
	}
	local, phone := newTUSClient(us.URL), us.lanClient(true)
	if got := get(local); !got.Allowed || got.MaxSize != DefaultMaxUpload {
		t.Errorf("this computer: %+v", got)
	}
	if got := get(phone); got.Allowed {
		t.Errorf("phone with uploads off: %+v", got)
	}
	us.s.SetUploadsFromLAN(true)
	if got := get(phone); !got.Allowed || !us.s.UploadsFromLAN() {
		t.Errorf("phone with uploads on: %+v", got)
	}
}

// TestUploadSameAlbumTwice uploads the same two-track album twice at once
// and then a third time: one copy of each track lands, and the others say
// "already in your library" (duplicate).
func TestUploadSameAlbumTwice(t *testing.T) {
	tags := func(n string) map[string]string {
		return map[string]string{"title": "T" + n, "artist": "A", "album": "Twice", "track": n}
	}
	audio := makeAudio(t,
		playertest.Spec{Path: "1.flac", Kind: playertest.FLAC, Seconds: 2, Tags: tags("1")},
		playertest.Spec{Path: "2.flac", Kind: playertest.FLAC, Seconds: 2, Tags: tags("2")})
	us := newUploadServer(t, "", Options{})
	c := newTUSClient(us.URL)
	var mu sync.Mutex
	dups := 0
	send := func(name string) {
		st := addedPath(t, c.upload(t, name, audio[name], 64<<10))
		mu.Lock()
		defer mu.Unlock()
		if st.Duplicate {
			dups++
		}
	}
	var wg sync.WaitGroup
	for range 2 {
		for _, name := range []string{"1.flac", "2.flac"} {
			wg.Go(func() { send(name) })
		}
	}
	wg.Wait()
	if dups != 2 {
		t.Errorf("%d of 4 concurrent uploads were duplicates, want 2", dups)
	}
	for _, name := range []string{"1.flac", "2.flac"} {
		if st := addedPath(t, c.upload(t, name, audio[name], 1<<20)); !st.Duplicate {
			t.Errorf("third upload of %s: %+v, want already in your library", name, st)
		}
	}
	want := []string{"A/Twice/01 T1.flac", "A/Twice/02 T2.flac"}
	if got := us.libraryFiles(t); !slices.Equal(got, want) {
		t.Errorf("library holds %v, want %v", got, want)
	}
}

// TestUploadsPerDevice holds four PATCHes open from one device: a fifth
// gets 429, another device is not limited by them, and once one ends the
// device may send again.
func TestUploadsPerDevice(t *testing.T) {
	us := newUploadServer(t, "", Options{})
	us.s.SetUploadsFromLAN(true)
	began := make(chan struct{}, uploadsPerDevice+4) // room for the later PATCHes too
	us.s.up.began = func(netip.Addr) { began <- struct{}{} }
	phone := us.lanClient(true)
	var writers []*io.PipeWriter
	var ended []chan struct{}
	for range uploadsPerDevice {
		loc := phone.location(t, phone.create(t, "a.flac", 1<<20))
		pr, pw := io.Pipe()
		done := make(chan struct{})
		writers, ended = append(writers, pw), append(ended, done)
		go func() { defer close(done); phone.patch(t, loc, 0, pr) }()
		<-began // the server counts it; its body stays open
	}
	loc := phone.location(t, phone.create(t, "b.flac", 10))
	if res := phone.patch(t, loc, 0, strings.NewReader("x")); res.Status != http.StatusTooManyRequests || !strings.Contains(res.Body, "at most 4 uploads") {
		t.Errorf("fifth PATCH = %d %s, want 429", res.Status, res.Body)
	}
	other := newTUSClient(us.URL)
	other.Header.Set("X-Test-Peer", "192.168.1.51:5000")
	other.Header.Set("Authorization", "Bearer "+testKey)
	if res := other.patch(t, loc, 0, strings.NewReader("x")); res.Status != http.StatusNoContent {
		t.Errorf("another device's PATCH = %d %s, want 204", res.Status, res.Body)
	}
	writers[0].Close()
	<-ended[0] // its answer came, so its handler has returned and uncounted it
	if res := phone.patch(t, loc, 1, strings.NewReader("y")); res.Status != http.StatusNoContent {
		t.Errorf("PATCH after one ended = %d %s, want 204", res.Status, res.Body)
	}
	for i, w := range writers[1:] {
		w.Close()
		<-ended[i+1]
	}
}

// TestExpireIncoming removes uploads idle for more than a day, and keeps
// one that received bytes since, whatever its .info's age.
func TestExpireIncoming(t *testing.T) {
	in := t.TempDir()
	now := time.Now()
	write := func(name string, age time.Duration) {
		p := filepath.Join(in, name)
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(p, now.Add(-age), now.Add(-age))
	}
	write("old", 25*time.Hour)
	write("old.info", 30*time.Hour)
	write("busy", time.Minute)
	write("busy.info", 30*time.Hour)
	write("import-1", 48*time.Hour)
	if n := expireIncoming(in, now, uploadExpiry); n != 3 {
		t.Errorf("removed %d files, want 3", n)
	}
	entries, _ := os.ReadDir(in)
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if !slices.Equal(left, []string{"busy", "busy.info"}) {
		t.Errorf("left %v, want the busy upload", left)
	}
}
