//go:build linux

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"unicode/utf16"

	"golang.org/x/sync/errgroup"
)

// trackSpec is one file of a synthetic library: its slash path under the
// library root and the tags written into it.
type trackSpec struct {
	Path                                     string
	Title, Artist, Album, AlbumArtist, Genre string
	Track, TrackTotal, Disc, DiscTotal, Year int
	// Cover is the JPEG embedded as the front cover, nil for none. Every
	// track of an album shares its album's cover.
	Cover []byte
}

// The shape of a planned library. Albums hold minTracks to
// minTracks+spreadTracks-1 tracks (10 on average), artists minAlbums to
// minAlbums+spreadAlbums-1 albums (5 on average). One album in
// compilationEvery is a "Various Artists" compilation, one in coverEvery
// embeds a cover and one in multiDiscEvery has two discs. The offsets
// put each kind among the first few albums, so that even a 50-track
// library has one of each.
const (
	minTracks, spreadTracks = 7, 7
	minAlbums, spreadAlbums = 3, 5
	compilationEvery        = 20 // album 2, 22, 42, …
	coverEvery              = 5  // album 0, 5, 10, … (20 %)
	multiDiscEvery          = 10 // album 3, 13, 23, …
	nonASCIIEvery           = 10 // artist 0, 10, 20, …
)

// VariousArtists is the album artist of compilations.
const VariousArtists = "Various Artists"

// Word lists the names are built from. Some words carry diacritics, so
// that a search for "jose" or "muller" has something to find.
var (
	adjectives = []string{"Silver", "Quiet", "Electric", "Velvet", "Broken", "Golden", "Hollow", "Crimson", "Midnight", "Northern",
		"Paper", "Wild", "Neon", "Lonely", "Burning", "Frozen", "Secret", "Wandering", "Bright", "Distant",
		"Little", "Savage", "Gentle", "Hidden", "Restless", "Falling", "Sleeping", "Rusty", "Lucky", "Blue"}
	nouns = []string{"Foxes", "Rivers", "Engines", "Sparrows", "Lanterns", "Pilots", "Ghosts", "Tigers", "Mirrors", "Harbours",
		"Wolves", "Satellites", "Gardens", "Echoes", "Horses", "Comets", "Islands", "Strangers", "Machines", "Owls",
		"Kings", "Shadows", "Oceans", "Bells", "Thieves", "Dreamers", "Arrows", "Canyons", "Violets", "Radios"}
	firstNames = []string{"Anna", "José", "Miles", "Nina", "Otis", "Zoë", "Ella", "Bjorn", "Ray", "Joni",
		"Chet", "Lea", "Marvin", "Aretha", "Soren", "Iggy", "Patti", "Hank", "Dolly", "Renée",
		"Ornette", "Cass", "Etienne", "Nico", "Leon", "Maren", "Ada", "Emmylou", "Thelonious", "Grace"}
	lastNames = []string{"Carter", "Müller", "Holloway", "Nunez", "Fischer", "Bright", "Lindqvist", "Moreau", "Okafor", "Hart",
		"Åberg", "Delgado", "Whitfield", "Kowalski", "Ferreira", "Byrne", "Castaneda", "Nakamura", "Quinn", "Dubois",
		"Larsen", "Ó Briain", "Rossi", "Vance", "Petrov", "Sandoval", "Kohler", "Mercer", "Ibanez", "Wolfe"}
	// famous are artist names with diacritics and other non-ASCII letters,
	// as found in real libraries.
	famous = []string{"Björk", "Sigur Rós", "Beyoncé", "Motörhead", "Mötley Crüe", "Céline Dion", "Ólafur Arnalds",
		"Röyksopp", "Mø", "Françoise Hardy", "Antonín Dvořák", "Tiësto", "Jóhann Jóhannsson", "Hermanos Gutiérrez",
		"Émilie Simon", "Ásgeir", "Maná", "Caetano Veloso & Gal Costa", "Zoë Keating", "Dvořák Quartet",
		"坂本龍一", "Кино", "Ελένη Καραΐνδρου", "Nuñez & Peña"}
	titleWords = []string{"Love", "Night", "River", "Heart", "Summer", "Fire", "Rain", "Home", "Road", "Light",
		"Dream", "Storm", "Moon", "Shadow", "Winter", "Morning", "Ocean", "Gold", "Stone", "Wind",
		"Dance", "Silence", "Train", "Garden", "Mirror", "Angel", "Highway", "Letter", "Window", "Thunder",
		"Midnight", "Forever", "Yesterday", "Tomorrow", "Paradise", "Lullaby", "Whisper", "Echo", "Horizon", "Harbour",
		"Blue", "Fever", "City", "Girl", "Boy", "Sky", "Sun", "Rose", "Honey", "Wild",
		"Sweet", "Lost", "Running", "Falling", "Coming", "Home", "Time", "Waltz", "Blues", "Song",
		"Café", "Señorita", "Déjà Vu", "Rêverie"}
	genres = []string{"Rock", "Pop", "Jazz", "Classical", "Electronic", "Hip-Hop", "Folk", "Blues", "Country", "Metal",
		"Soul", "Reggae", "Ambient", "Punk", "Indie", "R&B", "Latin", "Funk", "Soundtrack", "World"}
)

// artistName returns the name of artist i: every nonASCIIEvery-th one,
// from the first, is built on a famous non-ASCII name; the others are bands
// ("The Quiet Foxes") or people ("Zoë Carter"). Names are unique for any i.
func artistName(i int) string {
	if i%nonASCIIEvery == 0 {
		k := i / nonASCIIEvery
		if k < len(famous) {
			return famous[k]
		}
		return famous[k%len(famous)] + " & " + bandName(k/len(famous))
	}
	j := i - i/nonASCIIEvery - 1 // index among the other artists, from 0
	if j%2 == 0 {
		return suffixed("The "+bandName(j/2), j/2, len(adjectives)*len(nouns))
	}
	return suffixed(personName(j/2), j/2, len(firstNames)*len(lastNames))
}

// bandName and personName spread consecutive k over the combinations, so
// that neighbouring artists do not share their first word.
func bandName(k int) string {
	c := k * 7919 % (len(adjectives) * len(nouns))
	return adjectives[c%len(adjectives)] + " " + nouns[c/len(adjectives)]
}

func personName(k int) string {
	c := k * 7919 % (len(firstNames) * len(lastNames))
	return firstNames[c%len(firstNames)] + " " + lastNames[c/len(firstNames)]
}

// suffixed makes name unique once the combinations (size of them) run out.
func suffixed(name string, k, size int) string {
	if k < size {
		return name
	}
	return name + " " + strconv.Itoa(k/size+1)
}

// plan lays out a library of n tracks. The same n and seed give the same
// library.
func plan(n int, seed uint64) []trackSpec {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	specs := make([]trackSpec, 0, n)
	var (
		artist, artistAlbums, artistQuota = 0, 0, minAlbums + rng.IntN(spreadAlbums)
		compilations                      int
	)
	for album := 0; len(specs) < n; album++ {
		var albumArtist, title string
		compilation := album%compilationEvery == 2
		if compilation {
			compilations++
			albumArtist = VariousArtists
			title = fmt.Sprintf("%s %s, Vol. %d", adjectives[rng.IntN(len(adjectives))], nouns[rng.IntN(len(nouns))], compilations)
		} else {
			if artistAlbums == artistQuota {
				artist, artistAlbums, artistQuota = artist+1, 0, minAlbums+rng.IntN(spreadAlbums)
			}
			albumArtist = artistName(artist)
			title = albumTitle(rng, artistAlbums)
			artistAlbums++
		}
		year := 1960 + rng.IntN(65)
		genre := genres[rng.IntN(len(genres))]
		discs := 1
		if album%multiDiscEvery == 3 {
			discs = 2
		}
		total := minTracks + rng.IntN(spreadTracks)
		var cover []byte
		if album%coverEvery == 0 {
			cover = coverJPEG(album)
		}
		dir := albumArtist + "/" + title + " (" + strconv.Itoa(year) + ")"
		for disc := 1; disc <= discs; disc++ {
			for track := 1; track <= total && len(specs) < n; track++ {
				t := trackSpec{
					Title: trackTitle(rng), Artist: albumArtist, Album: title, AlbumArtist: albumArtist, Genre: genre,
					Track: track, TrackTotal: total, Disc: disc, DiscTotal: discs, Year: year, Cover: cover,
				}
				if compilation {
					t.Artist = artistName(rng.IntN(max(artist+1, 50)))
				}
				name := fmt.Sprintf("%02d %s.mp3", track, t.Title)
				if discs > 1 {
					name = fmt.Sprintf("%d-%02d %s.mp3", disc, track, t.Title)
				}
				t.Path = dir + "/" + name
				specs = append(specs, t)
			}
		}
	}
	return specs
}

// albumTitle names an artist's k-th album (from 0). No two albums of one
// artist share a title: the four patterns take turns, and a pattern's second
// use gets a part number.
func albumTitle(rng *rand.Rand, k int) string {
	w := titleWords[rng.IntN(len(titleWords))]
	var title string
	switch k % 4 {
	case 0:
		title = adjectives[rng.IntN(len(adjectives))] + " " + nouns[rng.IntN(len(nouns))]
	case 1:
		title = "Songs of the " + w
	case 2:
		title = w + " " + strconv.Itoa(k+1)
	default:
		title = "The " + adjectives[rng.IntN(len(adjectives))] + " " + w
	}
	if k >= 4 {
		title += ", Part " + strconv.Itoa(k/4+1)
	}
	return title
}

// trackTitle makes a title of one to four words.
func trackTitle(rng *rand.Rand) string {
	words := make([]string, 1+rng.IntN(4))
	for i := range words {
		words[i] = titleWords[rng.IntN(len(titleWords))]
	}
	if len(words) > 2 && rng.IntN(3) == 0 {
		words[1] = strings.ToLower([]string{"In the", "Of the", "And", "For", "On a"}[rng.IntN(5)])
	}
	return strings.Join(words, " ")
}

// coverJPEG draws album's 64×64 cover: a gradient in colours of its own.
func coverJPEG(album int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 64, 64))
	r, g, b := byte(album*37), byte(album*91), byte(album*53)
	for y := range 64 {
		for x := range 64 {
			img.Set(x, y, color.RGBA{r + byte(x*2), g + byte(y*2), b + byte(x+y), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
		panic(err) // encoding to memory cannot fail
	}
	return buf.Bytes()
}

// audioSettings is how the one shared MP3 is encoded: seconds of the
// dhowden/tag sample, MPEG-1 Layer III at 44.1 kHz, joint stereo, constant
// bit rate, with a Xing "Info" frame so that the duration is known without
// counting frames (as LAME writes it for real files).
type audioSettings struct {
	Seconds float64
	Kbps    int
}

// defaultAudio gives files of about 12 KB (2 s at 48 kbit/s).
var defaultAudio = audioSettings{Seconds: 2, Kbps: 48}

// sampleFLAC returns the path of testdata/with_tags/sample.flac in the
// github.com/dhowden/tag module (wherever go.mod's replace puts it), a real
// 3.4 s recording.
func sampleFLAC(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "list", "-m", "-f", "{{.Dir}}", "github.com/dhowden/tag").Output()
	if err != nil {
		return "", fmt.Errorf("find the dhowden/tag module (run from the earshot module): %w", err)
	}
	p := filepath.Join(strings.TrimSpace(string(out)), "testdata", "with_tags", "sample.flac")
	if _, err := os.Stat(p); err != nil {
		return "", err
	}
	return p, nil
}

// encodeAudio encodes the start of the FLAC file src as an MP3 with ffmpeg,
// once, and returns its MPEG frames: the Xing/Info frame and the audio,
// with any ID3v2 or ID3v1 tag ffmpeg wrote stripped.
func encodeAudio(ctx context.Context, src string, a audioSettings) ([]byte, error) {
	tmp, err := os.MkdirTemp("", "earshot-audio-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	out := filepath.Join(tmp, "a.mp3")
	cmd := exec.CommandContext(ctx, "ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error",
		"-i", src, "-t", strconv.FormatFloat(a.Seconds, 'f', -1, 64), "-map", "0:a",
		"-map_metadata", "-1", "-ar", "44100", "-ac", "2",
		"-c:a", "libmp3lame", "-b:a", strconv.Itoa(a.Kbps)+"k", "-write_xing", "1", out)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("ffmpeg: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	b, err := os.ReadFile(out)
	if err != nil {
		return nil, err
	}
	frames := stripTags(b)
	if len(frames) < 4 || frames[0] != 0xFF || frames[1]&0xE0 != 0xE0 {
		return nil, errors.New("encoded MP3 does not start with an MPEG frame after its tags")
	}
	return frames, nil
}

// stripTags returns b without its leading ID3v2 tags (ID3v2.3 §3.1: a
// 10-byte header whose syncsafe size excludes the header, plus a 10-byte
// footer when flag bit 4 is set in v2.4) and without a trailing 128-byte
// ID3v1 tag.
func stripTags(b []byte) []byte {
	for len(b) >= 10 && string(b[:3]) == "ID3" {
		size := int(b[6])<<21 | int(b[7])<<14 | int(b[8])<<7 | int(b[9])
		end := 10 + size
		if b[3] == 4 && b[5]&0x10 != 0 {
			end += 10
		}
		if end > len(b) {
			break
		}
		b = b[end:]
	}
	if len(b) >= 128 && string(b[len(b)-128:len(b)-125]) == "TAG" {
		b = b[:len(b)-128]
	}
	return b
}

// id3Padding is the zero padding after the frames, as taggers leave room
// to edit a tag in place.
const id3Padding = 1024

// id3v23 builds t's ID3v2.3.0 tag (id3.org/id3v2.3.0): the 10-byte header
// "ID3" 03 00, flags 0 and the tag size as four 7-bit bytes ("syncsafe",
// §3.1), then one frame per field (§3.3: 4-byte ID, 4-byte big-endian size
// excluding the frame header, 2 flag bytes), then padding.
func id3v23(t trackSpec) []byte {
	var frames bytes.Buffer
	text := func(id, s string) {
		if s != "" {
			frame(&frames, id, encodeText(s))
		}
	}
	text("TIT2", t.Title)
	text("TPE1", t.Artist)
	text("TALB", t.Album)
	text("TPE2", t.AlbumArtist)
	text("TRCK", fraction(t.Track, t.TrackTotal))
	text("TPOS", fraction(t.Disc, t.DiscTotal))
	if t.Year > 0 {
		text("TYER", strconv.Itoa(t.Year))
	}
	text("TCON", t.Genre)
	if t.Cover != nil {
		// §4.15: encoding, MIME type, NUL, picture type (3 = front
		// cover), description (empty), NUL, then the image.
		var apic bytes.Buffer
		apic.WriteByte(0x00)
		apic.WriteString("image/jpeg\x00")
		apic.WriteByte(0x03)
		apic.WriteByte(0x00)
		apic.Write(t.Cover)
		frame(&frames, "APIC", apic.Bytes())
	}
	size := frames.Len() + id3Padding
	tag := make([]byte, 0, 10+size)
	tag = append(tag, 'I', 'D', '3', 3, 0, 0,
		byte(size>>21&0x7f), byte(size>>14&0x7f), byte(size>>7&0x7f), byte(size&0x7f))
	tag = append(tag, frames.Bytes()...)
	return append(tag, make([]byte, id3Padding)...)
}

// frame appends one ID3v2.3 frame with no flags set.
func frame(w *bytes.Buffer, id string, body []byte) {
	n := len(body)
	w.WriteString(id)
	w.Write([]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n), 0, 0})
	w.Write(body)
}

// encodeText encodes a text frame's body (§4.2): ISO-8859-1 (encoding byte
// 0x00) for ASCII, else UTF-16 with a byte order mark (0x01, written
// little-endian as Windows taggers do).
func encodeText(s string) []byte {
	ascii := true
	for i := range len(s) {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return append([]byte{0x00}, s...)
	}
	units := utf16.Encode([]rune(s))
	b := make([]byte, 0, 3+2*len(units))
	b = append(b, 0x01, 0xFF, 0xFE)
	for _, u := range units {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

// fraction formats a TRCK or TPOS value, "3/12"; "" when n is 0.
func fraction(n, total int) string {
	switch {
	case n == 0:
		return ""
	case total == 0:
		return strconv.Itoa(n)
	}
	return strconv.Itoa(n) + "/" + strconv.Itoa(total)
}

// generate writes every spec under dir as a tag followed by audio, the
// same MPEG frames for every file, creating the folders first. It uses a
// few writers per CPU, as the work is mostly system calls.
func generate(ctx context.Context, dir string, specs []trackSpec, audio []byte) error {
	made := map[string]bool{}
	for _, s := range specs {
		d := path.Dir(s.Path)
		if !made[d] {
			if err := os.MkdirAll(filepath.Join(dir, filepath.FromSlash(d)), 0o755); err != nil {
				return err
			}
			made[d] = true
		}
	}
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(4 * runtime.GOMAXPROCS(0))
	for _, s := range specs {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			return writeTrack(filepath.Join(dir, filepath.FromSlash(s.Path)), id3v23(s), audio)
		})
	}
	return g.Wait()
}

// writeTrack writes tag then audio to a new file called name.
func writeTrack(name string, tag, audio []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	buf := make([]byte, 0, len(tag)+len(audio))
	buf = append(append(buf, tag...), audio...)
	if _, err := f.Write(buf); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
