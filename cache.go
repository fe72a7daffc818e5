package main

import (
	"log/slog"
	"path/filepath"

	"earshot/player"
	"earshot/player/artwork"
	"earshot/player/probe"
	"earshot/player/store"
	"earshot/transcode"
)

// openCaches returns the library options for a persistent index at
// indexPath ("" for the default in the user cache folder, "off" for none)
// and a thumbnail folder and a transcode cache ([transcode.DiskCache],
// 2 GiB) beside it, with poster frames by the ffmpeg in
// PATH or next to the executable, which with ffprobe also reads the
// formats Earshot's own readers do not (see [probe.FindTools]). Neither cache is essential: a failure is logged and Earshot runs
// without it (thumbnails then kept in memory, transcodes made each time).
// The returned function closes the index.
func openCaches(indexPath string) (opts player.Options, transcodes *transcode.DiskCache, closeIndex func()) {
	closeIndex = func() {}
	tools := probe.FindTools()
	if !tools.Available() {
		slog.Warn("ffmpeg or ffprobe not found: files of the formats only it reads are listed as needing ffmpeg")
	}
	opts.Tools = &tools
	ffmpeg := tools.FFmpeg
	opts.Art = artwork.New(artwork.Options{FFmpeg: ffmpeg})
	if indexPath == "off" {
		return opts, nil, closeIndex
	}
	if indexPath == "" {
		p, err := store.DefaultIndexPath()
		if err != nil {
			slog.Warn("no cache folder: running without a library index", "err", err)
			return opts, nil, closeIndex
		}
		indexPath = p
	}
	transcodes, err := transcode.OpenDiskCache(filepath.Join(filepath.Dir(indexPath), "transcodes"), 0)
	if err != nil {
		slog.Warn("running without a transcode cache", "err", err)
	}
	ix, err := store.OpenIndex(indexPath)
	if err != nil {
		slog.Warn("running without a library index", "err", err)
		return opts, transcodes, closeIndex
	}
	for _, moved := range ix.MovedAside() {
		slog.Warn("unusable library index moved aside", "file", moved)
	}
	opts.Index, opts.UserData = ix, ix
	thumbs := filepath.Join(filepath.Dir(indexPath), "thumbs")
	opts.Art = artwork.New(artwork.Options{Dir: thumbs, FFmpeg: ffmpeg})
	return opts, transcodes, func() { ix.Close() }
}

// appPasswords returns where the Subsonic app passwords are kept: the
// library index, when there is one (opts.UserData); nil (in memory only,
// forgotten at exit) without.
func appPasswords(opts player.Options) player.AppPasswordStore {
	ps, _ := opts.UserData.(player.AppPasswordStore)
	return ps
}

// appData returns where the Subsonic apps' play queue and ratings are
// kept: the library index, when there is one (opts.UserData); nil (in
// memory only) without.
func appData(opts player.Options) player.AppDataStore {
	d, _ := opts.UserData.(player.AppDataStore)
	return d
}
