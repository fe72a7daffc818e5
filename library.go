package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"earshot/assets"
	"earshot/player"
)

// defaultSource is the library used when none was chosen: the OS Music
// folder when it holds audio, else the bundled demo library, so that the
// first launch always has something to play.
func defaultSource() player.Source {
	if dir := musicDir(); dir != "" {
		if src, err := player.OpenFolder(dir); err == nil && player.ContainsAudio(src.FS) {
			return src
		}
	}
	return player.Source{Name: "Demo library", FS: assets.Demo}
}

// musicDir returns the user's Music folder: `xdg-user-dir MUSIC` where the
// XDG user-dirs tool is installed (it answers $HOME when unset, which is
// not a music folder), else ~/Music. It returns "" when neither exists.
func musicDir() string {
	home, _ := os.UserHomeDir()
	if out, err := exec.Command("xdg-user-dir", "MUSIC").Output(); err == nil {
		dir := strings.TrimSpace(string(out))
		if dir != "" && filepath.Clean(dir) != filepath.Clean(home) && isDir(dir) {
			return dir
		}
	}
	if dir := filepath.Join(home, "Music"); home != "" && isDir(dir) {
		return dir
	}
	return ""
}

func isDir(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.IsDir()
}
