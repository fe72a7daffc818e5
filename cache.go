package main

import (
	"log/slog"
	"path/filepath"

	"earshot/player"
	"earshot/player/artwork"
	"earshot/player/probe"
	"earshot/player/store"
)

// openCaches returns the library options for a persistent index at
// indexPath ("" for the default in the user cache folder, "off" for none)
// and a thumbnail folder beside it, with poster frames by the ffmpeg in
// PATH or next to the executable, which with ffprobe also reads the
// formats Earshot's own readers do not (see [probe.FindTools]). Neither cache is essential: a failure is logged and Earshot runs
// without it (thumbnails then kept in memory). The returned function
// closes the index.
func openCaches(indexPath string) (opts player.Options, closeIndex func()) {
	closeIndex = func() {}
	tools := probe.FindTools()
	if !tools.Available() {
		slog.Warn("ffmpeg or ffprobe not found: files of the formats only it reads are listed as needing ffmpeg")
	}
	opts.Tools = &tools
	ffmpeg := tools.FFmpeg
	opts.Art = artwork.New(artwork.Options{FFmpeg: ffmpeg})
	if indexPath == "off" {
		return opts, closeIndex
	}
	if indexPath == "" {
		p, err := store.DefaultIndexPath()
		if err != nil {
			slog.Warn("no cache folder: running without a library index", "err", err)
			return opts, closeIndex
		}
		indexPath = p
	}
	ix, err := store.OpenIndex(indexPath)
	if err != nil {
		slog.Warn("running without a library index", "err", err)
		return opts, closeIndex
	}
	for _, moved := range ix.MovedAside() {
		slog.Warn("unusable library index moved aside", "file", moved)
	}
	opts.Index = ix
	thumbs := filepath.Join(filepath.Dir(indexPath), "thumbs")
	opts.Art = artwork.New(artwork.Options{Dir: thumbs, FFmpeg: ffmpeg})
	return opts, func() { ix.Close() }
}
