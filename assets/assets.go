// Package assets holds the files Earshot ships inside its binary: the app
// icon and a small demo library to play before any music folder is chosen.
package assets

import (
	"embed"
	"io/fs"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var icon []byte

// Icon is Earshot's 512×512 app icon, drawn by icon.sh.
var Icon = fyne.NewStaticResource("icon.png", icon)

//go:embed demo/*.mp3 demo/cover.jpg
var demo embed.FS

// Demo is the demo library: the four tracks of the album "Earshot Demo" by
// "The Earshot Band" and its cover.jpg, at the root of the file system. The
// files are made by demo/generate.sh from synthesized notes.
var Demo fs.FS = mustSub(demo, "demo")

// mustSub returns fsys's subtree at dir; it panics only if dir is not a
// valid path, which the embed pattern above rules out.
func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	return sub
}
