package assets

import (
	"io/fs"
	"path"
	"testing"
)

func TestIcon(t *testing.T) {
	if got := Icon.Name(); got != "icon.png" {
		t.Errorf("Icon.Name() = %q, want icon.png", got)
	}
	// A PNG starts with its 8-byte signature.
	if c := Icon.Content(); len(c) < 8 || string(c[1:4]) != "PNG" {
		t.Errorf("Icon.Content() does not start with a PNG signature")
	}
}

func TestDemo(t *testing.T) {
	var mp3s []string
	cover := false
	err := fs.WalkDir(Demo, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch path.Ext(p) {
		case ".mp3":
			mp3s = append(mp3s, p)
		case ".jpg":
			cover = cover || p == "cover.jpg"
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk Demo: %v", err)
	}
	if len(mp3s) < 3 || len(mp3s) > 4 {
		t.Errorf("Demo holds %d mp3 files %q, want 3 or 4", len(mp3s), mp3s)
	}
	if !cover {
		t.Errorf("Demo has no cover.jpg at its root")
	}
}
