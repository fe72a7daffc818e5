package web

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"earshot/player"
	"earshot/player/playertest"
)

// secret is the content of the files outside the library (and of the
// unindexed ones inside it) that no response may ever contain.
const secret = "EARSHOT-TRAVERSAL-SECRET-5d41402abc4b2a76"

// traversalLibrary builds, under a new temporary folder:
//
//	outside/secret.wav, secret.txt, cover.jpg  (valid files holding secret)
//	Music/Band/Album/01 Song.wav               (indexed)
//	Music/Band/Album/02 Swap.wav               (indexed; [swapOut] relinks it)
//	Music/Band/Album/link.wav  -> outside/secret.wav
//	Music/Band/Album/cover.jpg -> outside/cover.jpg
//	Music/Band/Album/notes.txt                 (secret; not audio)
//	Music/Band/Outside         -> outside      (a linked folder)
//	Music/.hidden/secret.wav                   (secret; hidden, not scanned)
//	Music/Other/Record/03 Tune.wav, cover.jpg  (indexed, with a cover that
//	                                            [swapOut] relinks)
//
// and returns the Music and outside folders.
func traversalLibrary(t *testing.T) (music, outside string) {
	t.Helper()
	root := t.TempDir()
	music, outside = filepath.Join(root, "Music"), filepath.Join(root, "outside")
	wav := secretWAV()
	write := func(p string, data []byte) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := func(target, p string) {
		t.Helper()
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
	album := filepath.Join(music, "Band", "Album")
	write(filepath.Join(outside, "secret.wav"), wav)
	write(filepath.Join(outside, "secret.txt"), []byte(secret))
	write(filepath.Join(outside, "cover.jpg"), []byte("\xff\xd8\xff\xe0"+secret))
	write(filepath.Join(album, "01 Song.wav"), playertest.WAV(16000))
	write(filepath.Join(album, "02 Swap.wav"), playertest.WAV(16000))
	write(filepath.Join(album, "notes.txt"), []byte(secret))
	write(filepath.Join(music, ".hidden", "secret.wav"), wav)
	write(filepath.Join(music, "Other", "Record", "03 Tune.wav"), playertest.WAV(16000))
	write(filepath.Join(music, "Other", "Record", "cover.jpg"), []byte("\xff\xd8\xff\xe0not secret"))
	link(filepath.Join("..", "..", "..", "outside", "secret.wav"), filepath.Join(album, "link.wav"))
	link(filepath.Join(outside, "cover.jpg"), filepath.Join(album, "cover.jpg"))
	link(filepath.Join("..", "..", "outside"), filepath.Join(music, "Band", "Outside"))
	return music, outside
}

// secretWAV is a playable WAV file whose samples spell out secret.
func secretWAV() []byte {
	wav := playertest.WAV(16 * len(secret))
	for i := 44; i+len(secret) <= len(wav); i += len(secret) {
		copy(wav[i:], secret)
	}
	return wav
}

// swapOut replaces the indexed "02 Swap.wav" and the cover of "03 Tune.wav"
// with links to the secret after the scan: changes a scan cannot catch.
func swapOut(t *testing.T, music, outside string) {
	t.Helper()
	for p, target := range map[string]string{
		filepath.Join(music, "Band", "Album", "02 Swap.wav"): filepath.Join(outside, "secret.wav"),
		filepath.Join(music, "Other", "Record", "cover.jpg"): filepath.Join(outside, "cover.jpg"),
	} {
		if err := os.Remove(p); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
}

// rawExchange sends one request to addr exactly as given — request line
// target unaltered, as no HTTP client would — and returns the response with
// its body read (at most 64 MiB).
func rawExchange(t *testing.T, addr, method, target string) (*http.Response, []byte) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, method+" "+target+" HTTP/1.1\r\nHost: "+addr+"\r\nConnection: close\r\n\r\n"); err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), &http.Request{Method: method})
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, target, err)
	}
	return resp, body
}

// traversalIDs are the {x} of the table: path segments that try to climb out
// of the library, or to name a file by its path instead of its ID.
func traversalIDs(music, outside string) []string {
	abs := filepath.ToSlash(filepath.Join(outside, "secret.wav"))
	return []string{
		// Dot segments, plain, encoded, mixed case, partly encoded.
		"..", "../..", "%2e%2e", "%2E%2E", "%2e%2E", ".%2e", "%2e.", "...", "....//....//",
		"..%2f..%2foutside%2fsecret.wav", "..%2F..%2Foutside%2Fsecret.wav", "%2e%2e%2f%2e%2e%2foutside%2fsecret.wav",
		"../../outside/secret.wav", "..;/..;/outside/secret.wav",
		// Backslashes, raw and encoded.
		`..\..\outside\secret.wav`, "..%5c..%5coutside%5csecret.wav", "..%5C..%5Coutside%5Csecret.wav", "%2e%2e%5c%2e%2e%5coutside%5csecret.wav",
		// Absolute paths.
		url.PathEscape(abs), abs, "/" + abs, "%2fetc%2fpasswd", "C:%5cWindows%5cwin.ini", "file:%2f%2f%2fetc%2fpasswd",
		// NUL bytes.
		"%00", "secret.wav%00", "..%00", "%2e%2e%00%2f",
		// Overlong UTF-8 for "." and "/" (CVE-2000-0884 style), and IIS %u.
		"%c0%ae%c0%ae", "%c0%ae%c0%ae%c0%af%c0%ae%c0%ae%c0%afoutside%c0%afsecret.wav", "%e0%80%ae%e0%80%ae",
		"%c0%2e%c0%2e", "%c1%9c", "%u002e%u002e%u2215",
		// Double encoding.
		"%252e%252e", "%252e%252e%252f%252e%252e%252foutside%252fsecret.wav", "..%252f..%252f", "%25%32%65%25%32%65",
		// Paths, and the IDs of paths, of files that are not indexed.
		"Band%2fAlbum%2flink.wav", "Band/Album/link.wav", "Band%2FOutside%2Fsecret.wav", "%2ehidden%2fsecret.wav",
		player.TrackID("Band/Album/link.wav"), player.TrackID("Band/Outside/secret.wav"), player.TrackID("Band/Album/notes.txt"),
		player.TrackID(".hidden/secret.wav"), player.TrackID("../outside/secret.wav"), player.TrackID(abs),
		player.TrackID("Band/Album/cover.jpg"),
	}
}

// TestTraversal requests every [traversalIDs] entry as a track ID, a cover
// and its thumbnail, a stream, a static file and a browsing ID or folder path, over a raw connection so that the server sees
// the exact bytes, from a real library folder with links out of it. No answer
// may be a success or contain [secret]; redirects are followed (to at most
// five hops) and must not lead to the secret either.
func TestTraversal(t *testing.T) {
	music, outside := traversalLibrary(t)
	ls := startLive(t, music, Options{})
	var paths []string
	for _, tr := range ls.lib.Tracks() {
		paths = append(paths, tr.Path)
		if want := tr.Path == "Other/Record/03 Tune.wav"; tr.HasCover != want {
			t.Errorf("%s: HasCover %v, want %v (the linked cover.jpg leaves the library)", tr.Path, tr.HasCover, want)
		}
	}
	if want := []string{"Band/Album/01 Song.wav", "Band/Album/02 Swap.wav", "Other/Record/03 Tune.wav"}; !slices.Equal(paths, want) {
		t.Fatalf("library indexed %q, want %q", paths, want)
	}
	swapped := "/api/tracks/" + player.TrackID("Band/Album/02 Swap.wav")
	swappedCover := "/api/tracks/" + player.TrackID("Other/Record/03 Tune.wav") + "/cover"
	swapOut(t, music, outside)

	var targets []string
	for _, x := range traversalIDs(music, outside) {
		targets = append(targets, "/api/tracks/"+x+"/stream", "/api/tracks/"+x+"/cover", "/api/tracks/"+x+"/cover?size=96",
			"/api/tracks/"+x, "/"+x, "/"+x+"/secret.wav",
			"/api/folders?path="+url.QueryEscape(x), "/api/albums/"+x, "/api/artists/"+x, "/api/genres/"+x)
	}
	targets = append(targets,
		// Indexed, but now links out: the library's os.Root must refuse them.
		swapped+"/stream", swapped+"/cover", swappedCover, swappedCover+"?size=96", swappedCover+"?size=300",
		"/../outside/secret.txt", "/..%2foutside%2fsecret.txt", "//"+outside+"/secret.txt", "/static/../../outside/secret.txt",
		"/api/../../outside/secret.txt", "/api%2f..%2f..%2foutside%2fsecret.txt", "/./../.hidden/secret.wav",
		"/Band/Album/notes.txt", "/Band/Album/01%20Song.wav", "/.hidden/secret.wav",
		"http://"+ls.addr+"/../outside/secret.txt", "file://"+outside+"/secret.txt", "*",
	)
	for _, target := range targets {
		for _, method := range []string{"GET", "HEAD"} {
			checkNoSecret(t, ls.addr, method, target)
		}
	}
}

// checkNoSecret sends method target and fails t when the answer is not a
// 3xx or 4xx, or when it or any redirect it leads to holds [secret].
func checkNoSecret(t *testing.T, addr, method, target string) {
	t.Helper()
	resp, body := rawExchange(t, addr, method, target)
	if resp.StatusCode < 300 || resp.StatusCode >= 500 {
		t.Errorf("%s %s: status %d, want 3xx or 4xx", method, target, resp.StatusCode)
	}
	for hop := 0; ; hop++ {
		if bytes.Contains(body, []byte(secret)) {
			t.Errorf("%s %s: the answer (after %d redirects) holds the secret", method, target, hop)
		}
		loc := resp.Header.Get("Location")
		if resp.StatusCode < 300 || resp.StatusCode >= 400 || loc == "" || hop == 5 {
			return
		}
		u, err := url.Parse(loc)
		if err != nil || (u.Host != "" && u.Host != addr) {
			t.Errorf("%s %s: redirect to %q, off this server", method, target, loc)
			return
		}
		resp, body = rawExchange(t, addr, method, u.RequestURI())
	}
}
