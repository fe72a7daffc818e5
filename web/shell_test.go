package web

import (
	"encoding/json"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"testing"
)

// shellBudget is the most the page shell may weigh, uncompressed: 240 KB
// (about 60 KB gzipped, as compress.go sends it). It was 150 KB until
// uploads (upload.js and its panel, 18.6 KB) and the #/play/ links came,
// then 170 KB until issue 14's views (playlists, favourites, history,
// sorting, lyrics and the full-screen Now Playing); the page stays a few
// round trips on a phone over Wi-Fi.
const shellBudget = 240 * 1024

// TestShellSize sums the page shell — index.html and every script and
// style sheet of the embedded page, uncompressed; icons and covers are
// not part of it — and fails when it outgrows [shellBudget].
func TestShellSize(t *testing.T) {
	total, files := 0, 0
	err := fs.WalkDir(staticPage(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch path.Ext(name) {
		case ".html", ".js", ".css":
			data, err := fs.ReadFile(staticPage(), name)
			if err != nil {
				return err
			}
			total += len(data)
			files++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 3 {
		t.Fatalf("found %d shell files; the walk is broken", files)
	}
	t.Logf("page shell: %d bytes in %d files (budget %d)", total, files, shellBudget)
	if total > shellBudget {
		t.Errorf("page shell is %d bytes, over the %d-byte budget", total, shellBudget)
	}
}

// TestManifest parses manifest.webmanifest (W3C Web Application Manifest)
// and checks what "Add to Home Screen" needs: a name, standalone display,
// start_url and scope "/", and 192 and 512 px PNG icons, "any" and
// "maskable", each naming an embedded file whose size matches.
func TestManifest(t *testing.T) {
	data, err := fs.ReadFile(staticPage(), "manifest.webmanifest")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Name            string `json:"name"`
		ShortName       string `json:"short_name"`
		StartURL        string `json:"start_url"`
		Scope           string `json:"scope"`
		Display         string `json:"display"`
		BackgroundColor string `json:"background_color"`
		ThemeColor      string `json:"theme_color"`
		Icons           []struct {
			Src, Sizes, Type, Purpose string
		} `json:"icons"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("manifest: %v", err)
	}
	if m.Name != "Earshot" || m.ShortName == "" || m.StartURL != "/" || m.Scope != "/" || m.Display != "standalone" {
		t.Errorf("manifest = %+v; want name Earshot, a short_name, start_url and scope /, display standalone", m)
	}
	if m.BackgroundColor == "" || m.ThemeColor == "" {
		t.Errorf("manifest has no background_color or theme_color")
	}
	want := map[string]bool{"192x192 any": false, "512x512 any": false, "192x192 maskable": false, "512x512 maskable": false}
	for _, ic := range m.Icons {
		if ic.Type != "image/png" || !strings.HasPrefix(ic.Src, "/") {
			t.Errorf("icon %+v: want an absolute path to a PNG", ic)
			continue
		}
		png, err := fs.ReadFile(staticPage(), strings.TrimPrefix(ic.Src, "/"))
		if err != nil {
			t.Errorf("icon %s: %v", ic.Src, err)
			continue
		}
		w, h := pngSize(png)
		if got := strconv.Itoa(w) + "x" + strconv.Itoa(h); got != ic.Sizes {
			t.Errorf("icon %s is %s, manifest says %s", ic.Src, got, ic.Sizes)
		}
		want[ic.Sizes+" "+ic.Purpose] = true
	}
	for k, ok := range want {
		if !ok {
			t.Errorf("manifest has no %s icon", k)
		}
	}
}

// pngSize reads a PNG's width and height from its IHDR chunk; 0, 0 when
// b is not a PNG.
func pngSize(b []byte) (w, h int) {
	if len(b) < 24 || string(b[1:4]) != "PNG" || string(b[12:16]) != "IHDR" {
		return 0, 0
	}
	be := func(p []byte) int { return int(p[0])<<24 | int(p[1])<<16 | int(p[2])<<8 | int(p[3]) }
	return be(b[16:20]), be(b[20:24])
}
