package player

import (
	"fmt"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Folder names under the library that [Library.Add] files into.
const (
	// VideosFolder holds added videos, under their own names.
	VideosFolder = "Videos"
	// UploadsFolder holds files added with their own names kept.
	UploadsFolder = "Uploads"
)

// maxNameBytes bounds one name that [SafeName] returns, in bytes of UTF-8:
// below the 255 bytes that ext4, NTFS (255 UTF-16 units), APFS and exFAT
// allow, with room for a " (12)" that [Library.Add] may insert.
const maxNameBytes = 180

// SafeName returns name, one file or folder name (not a path), made valid
// on Linux, Windows and macOS alike:
//   - the characters / \ : * ? " < > | and control characters become "_";
//   - leading dots and spaces, and trailing dots and spaces, are removed
//     (Windows drops trailing ones; a leading dot would hide the file from
//     the scan);
//   - a name Windows reserves for a device (CON, PRN, AUX, NUL, COM1–COM9,
//     LPT1–LPT9, with any extension) gets a leading "_";
//   - it is cut to at most 180 bytes at a character boundary, keeping its
//     extension.
//
// An empty result becomes "_".
func SafeName(name string) string {
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(`/\:*?"<>|`, r) || r == utf8.RuneError {
			return '_'
		}
		return r
	}, name)
	name = strings.TrimRightFunc(strings.TrimLeft(name, ". "), func(r rune) bool { return r == '.' || unicode.IsSpace(r) })
	name = strings.TrimLeftFunc(name, unicode.IsSpace)
	if name == "" {
		return "_"
	}
	if reservedOnWindows(name) {
		name = "_" + name
	}
	return cutName(name, maxNameBytes)
}

// reservedOnWindows reports whether name, with any extension, is a device
// name that Windows refuses as a file name.
func reservedOnWindows(name string) bool {
	stem, _, _ := strings.Cut(name, ".")
	stem = strings.ToUpper(strings.TrimRight(stem, " "))
	switch stem {
	case "CON", "PRN", "AUX", "NUL":
		return true
	}
	if len(stem) == 4 && (strings.HasPrefix(stem, "COM") || strings.HasPrefix(stem, "LPT")) {
		return stem[3] >= '1' && stem[3] <= '9'
	}
	return false
}

// cutName shortens name to at most limit bytes without splitting a
// character, keeping its extension when the extension is short.
func cutName(name string, limit int) string {
	if len(name) <= limit {
		return name
	}
	ext := path.Ext(name)
	if len(ext) > 16 {
		ext = ""
	}
	stem := strings.TrimSuffix(name, ext)
	keep := limit - len(ext)
	for keep > 0 && !utf8.RuneStart(stem[keep]) {
		keep--
	}
	return strings.TrimRight(stem[:keep], ". ") + ext
}

// numbered returns name with " (n)" before its extension: "03 Song.flac"
// becomes "03 Song (2).flac".
func numbered(name string, n int) string {
	ext := path.Ext(name)
	return fmt.Sprintf("%s (%d)%s", strings.TrimSuffix(name, ext), n, ext)
}

// placeByTags returns where [Library.Add] files the track t, whose file
// came as name: "Album Artist/Album/NN Title.ext" with the album artist
// (or else the artist), [UnknownArtist] and [UnknownAlbum] when the tags
// lack them; "D-NN Title.ext" on an album of more than one disc; just
// "Title.ext" without a track number. A video goes to
// "Videos/<its name>". The result is a slash path of [SafeName]s.
func placeByTags(t Track, name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t.Video {
		return VideosFolder + "/" + SafeName(path.Base(name))
	}
	artist := cmpOr(t.AlbumArtist, t.Artist, UnknownArtist)
	album := cmpOr(t.Album, UnknownAlbum)
	title := cmpOr(t.Title, strings.TrimSuffix(path.Base(name), path.Ext(name)))
	file := title + ext
	if t.TrackNumber > 0 {
		file = fmt.Sprintf("%02d %s", t.TrackNumber, file)
		if t.DiscNumber > 1 || t.DiscTotal > 1 {
			file = fmt.Sprintf("%d-%s", max(t.DiscNumber, 1), file)
		}
	}
	return SafeName(artist) + "/" + SafeName(album) + "/" + SafeName(file)
}

// placeKeepingName returns where [Library.Add] files name when its name is
// kept: under "Uploads/", with the folders of name (a slash path, as a
// folder upload gives) kept too, each made a [SafeName].
func placeKeepingName(name string) string {
	parts := []string{UploadsFolder}
	for _, p := range strings.Split(strings.ReplaceAll(name, `\`, "/"), "/") {
		if p == "" || p == "." || p == ".." {
			continue
		}
		parts = append(parts, SafeName(p))
	}
	if len(parts) == 1 {
		parts = append(parts, "_")
	}
	return strings.Join(parts, "/")
}

// cmpOr returns the first of vs that is not empty after trimming spaces.
func cmpOr(vs ...string) string {
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
