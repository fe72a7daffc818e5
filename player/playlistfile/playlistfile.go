// Package playlistfile reads playlist files found in a music folder:
// M3U and M3U8 (the extended form's #EXTM3U, #EXTINF and #PLAYLIST lines)
// and PLS (the [playlist] section's FileN, TitleN and LengthN keys), in any
// encoding [textfile.Decode] knows, and finds the library files their
// entries name: paths relative to the playlist, absolute paths inside the
// library, Windows paths with "\" separators and drive letters, and
// file:// URLs. Other URLs (internet radio streams) are skipped.
package playlistfile

import (
	"errors"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"

	"earshot/player/textfile"
)

// MaxEntries is the most entries a playlist file keeps; the rest of a
// larger one is dropped.
const MaxEntries = 20000

// ErrTooLarge is returned for a playlist file over [textfile.MaxSize]
// bytes.
var ErrTooLarge = errors.New("playlist file too large")

// Entry is one entry of a playlist file: the path as the file gives it,
// with "\" turned into "/" (a file:// URL turned into its path), and the
// title and duration (seconds) that #EXTINF or TitleN/LengthN give, ""
// and 0 when absent or unknown.
type Entry struct {
	Path     string
	Title    string
	Duration float64
}

// Playlist is a parsed playlist file: its title (#PLAYLIST, "" when none)
// and its entries in order.
type Playlist struct {
	Title   string
	Entries []Entry
}

// Is reports whether name (a file name or path) is a playlist file this
// package reads, by its extension: .m3u, .m3u8 or .pls, in any case.
func Is(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".m3u", ".m3u8", ".pls":
		return true
	}
	return false
}

// Parse reads the playlist file called name (its extension says which
// format: see [Is]; anything but .pls is read as M3U). It returns
// [ErrTooLarge] for a file over [textfile.MaxSize]; otherwise it never
// fails: lines it does not understand are skipped, and a file without
// entries is an empty playlist.
func Parse(name string, data []byte) (Playlist, error) {
	if len(data) > textfile.MaxSize {
		return Playlist{}, ErrTooLarge
	}
	lines := textfile.Lines(textfile.Decode(data))
	if strings.EqualFold(path.Ext(name), ".pls") {
		return parsePLS(lines), nil
	}
	return parseM3U(lines), nil
}

// parseM3U reads M3U lines: an #EXTINF line ("#EXTINF:<seconds>
// [attributes],<title>") describes the next path line.
func parseM3U(lines []string) Playlist {
	var (
		p       Playlist
		pending Entry
	)
	for _, line := range lines {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case strings.HasPrefix(line, "#"):
			if rest, ok := cutPrefixFold(line, "#EXTINF:"); ok {
				pending = Entry{}
				info, title, _ := strings.Cut(rest, ",")
				if f := strings.Fields(info); len(f) > 0 {
					pending.Duration = seconds(f[0])
				}
				pending.Title = strings.TrimSpace(title)
			} else if rest, ok := cutPrefixFold(line, "#PLAYLIST:"); ok {
				p.Title = strings.TrimSpace(rest)
			}
		default:
			if e, ok := entry(line); ok && len(p.Entries) < MaxEntries {
				e.Title, e.Duration = pending.Title, pending.Duration
				p.Entries = append(p.Entries, e)
			}
			pending = Entry{}
		}
	}
	return p
}

// parsePLS reads PLS lines: "FileN=", "TitleN=" and "LengthN=" keys (any
// case), entries ordered by N.
func parsePLS(lines []string) Playlist {
	byNum := map[int]*Entry{}
	var files []int
	for _, line := range lines {
		key, val, ok := strings.Cut(strings.TrimSpace(line), "=")
		if !ok {
			continue
		}
		key, val = strings.ToLower(strings.TrimSpace(key)), strings.TrimSpace(val)
		var field string
		for _, f := range []string{"file", "title", "length"} {
			if strings.HasPrefix(key, f) {
				field = f
			}
		}
		n, err := strconv.Atoi(strings.TrimPrefix(key, field))
		if field == "" || err != nil || n < 0 {
			continue
		}
		e := byNum[n]
		if e == nil {
			if len(byNum) >= MaxEntries {
				continue
			}
			e = &Entry{}
			byNum[n] = e
		}
		switch field {
		case "file":
			if parsed, ok := entry(val); ok {
				e.Path = parsed.Path
				files = append(files, n)
			}
		case "title":
			e.Title = val
		case "length":
			e.Duration = seconds(val)
		}
	}
	slices.Sort(files)
	files = slices.Compact(files)
	p := Playlist{Entries: make([]Entry, 0, len(files))}
	for _, n := range files {
		p.Entries = append(p.Entries, *byNum[n])
	}
	return p
}

// entry reads the location of an entry: a path, "\" separators made "/",
// or a file:// URL's path; ok is false for other URLs.
func entry(loc string) (Entry, bool) {
	if rest, ok := cutPrefixFold(loc, "file://"); ok {
		// file:///C:/x or file:///home/x; file://host/x is not local.
		if !strings.HasPrefix(rest, "/") {
			return Entry{}, false
		}
		p, err := url.PathUnescape(rest)
		if err != nil {
			return Entry{}, false
		}
		if len(p) > 2 && p[2] == ':' { // "/C:/..."
			p = p[1:]
		}
		return Entry{Path: p}, true
	}
	if isURL(loc) {
		return Entry{}, false
	}
	return Entry{Path: strings.ReplaceAll(loc, `\`, "/")}, true
}

// isURL reports whether loc starts with a URL scheme ("http:", "rtsp:"…)
// rather than a path; a drive letter ("C:") is not a scheme.
func isURL(loc string) bool {
	i := strings.Index(loc, ":")
	if i < 2 {
		return false
	}
	for j, c := range loc[:i] {
		alpha := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !alpha && (j == 0 || !(c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return true
}

// seconds reads a duration in seconds; negative (the "-1" of a stream),
// unreadable or absurd values are 0.
func seconds(s string) float64 {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || !(v > 0) || v > 1e7 {
		return 0
	}
	return v
}

// cutPrefixFold is [strings.CutPrefix] ignoring ASCII case.
func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// Candidates returns the library paths (slash paths relative to the
// library root) that the entry path p of a playlist file in the library
// folder dir (a slash path, "." for the root) may name, best first:
//   - a relative path, joined to dir, when it stays in the library;
//   - an absolute path under root (the library's own absolute folder, a
//     slash path with no trailing "/", "" when unknown), relative to it;
//   - an absolute path elsewhere (a playlist made on another computer, a
//     Windows drive), each of its tails from the longest: "D:/Music/A/b.mp3"
//     may be "Music/A/b.mp3", "A/b.mp3" or "b.mp3" here.
func Candidates(p, dir, root string) []string {
	abs := strings.HasPrefix(p, "/") || len(p) > 2 && p[1] == ':' && p[2] == '/'
	if !abs {
		j := path.Join(dir, p)
		if j == ".." || strings.HasPrefix(j, "../") || j == "." {
			return nil
		}
		return []string{j}
	}
	clean := path.Clean(p)
	if root != "" {
		if rel, ok := strings.CutPrefix(clean, root+"/"); ok {
			return []string{rel}
		}
	}
	parts := strings.Split(strings.TrimPrefix(clean, "/"), "/")
	if len(parts) > 0 && strings.HasSuffix(parts[0], ":") {
		parts = parts[1:] // the drive
	}
	var out []string
	for i := range parts {
		tail := strings.Join(parts[i:], "/")
		if tail != "" && tail != "." && tail != ".." {
			out = append(out, tail)
		}
	}
	return out
}
