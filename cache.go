package main

import (
	"log/slog"
	"os"
	"path/filepath"

	"earshot/player"
)

// openCaches gives lib its persistent index at indexPath ("" for the
// default in the user cache folder, "off" for none) and a thumbnail folder
// beside it. Neither is essential: a failure is logged and Earshot runs
// without it. The returned function closes the index.
func openCaches(lib *player.Library, indexPath string) (closeIndex func()) {
	closeIndex = func() {}
	if indexPath == "off" {
		return closeIndex
	}
	if indexPath == "" {
		p, err := player.DefaultIndexPath()
		if err != nil {
			slog.Warn("no cache folder: running without a library index", "err", err)
			return closeIndex
		}
		indexPath = p
	}
	ix, err := player.OpenIndex(indexPath)
	if err != nil {
		slog.Warn("running without a library index", "err", err)
		return closeIndex
	}
	for _, moved := range ix.MovedAside() {
		slog.Warn("unusable library index moved aside", "file", moved)
	}
	lib.SetIndex(ix)
	thumbs := filepath.Join(filepath.Dir(indexPath), "thumbs")
	if err := os.MkdirAll(thumbs, 0o700); err == nil {
		if err := lib.SetThumbnailDir(thumbs); err != nil {
			slog.Warn("cover thumbnails kept in memory only", "err", err)
		}
	}
	return func() { ix.Close() }
}
