package probe

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"earshot/player/playertest"
)

// durTolerance is how far, in seconds, readDuration may be from ffprobe.
const durTolerance = 0.05

// durSeconds is the length of the generated test audio: not a whole number
// of seconds nor of MP3 frames.
const durSeconds = 7.3

// durRef is what a generated file's duration is compared with.
type durRef int

const (
	// refFormat is ffprobe's format duration.
	refFormat durRef = iota
	// refDecoded is the sum of the packet durations, used where ffprobe's
	// format duration is only a bit-rate estimate: MP3 without a Xing or
	// VBRI header, whose length can only be known by counting frames.
	refDecoded
)

// durFile is one generated file of [TestReadDuration].
type durFile struct {
	name   string          // file name in the test directory
	kind   playertest.Kind // or "" for an ffmpeg transcode of base.wav
	args   []string        // ffmpeg output options for a transcode
	format Format
	ref    durRef
}

// durFiles are the files TestReadDuration checks against ffprobe: every
// playertest kind, and ffmpeg transcodes for the variants a reader must
// handle (sample rates, MPEG versions and layers, box and chunk layouts).
var durFiles = []durFile{
	{name: "cbr-info.mp3", kind: playertest.MP3CBR, format: MP3},
	{name: "vbr-xing.mp3", kind: playertest.MP3VBR, format: MP3},
	{name: "vbr-noxing.mp3", kind: playertest.MP3VBRNoXing, format: MP3, ref: refDecoded},
	{name: "a.flac", kind: playertest.FLAC, format: FLAC},
	{name: "vorbis.ogg", kind: playertest.Vorbis, format: Ogg},
	{name: "a.opus", kind: playertest.Opus, format: Opus},
	{name: "aac.m4a", kind: playertest.AAC, format: M4A},
	{name: "alac.m4a", kind: playertest.ALAC, format: M4A},
	{name: "base.wav", kind: playertest.WAVE, format: WAV},

	{name: "cbr-noinfo.mp3", args: []string{"-c:a", "libmp3lame", "-b:a", "128k", "-write_xing", "0"}, format: MP3, ref: refDecoded},
	{name: "cbr-id3v1.mp3", args: []string{"-c:a", "libmp3lame", "-b:a", "128k", "-write_xing", "0", "-write_id3v1", "1"}, format: MP3, ref: refDecoded},
	{name: "mpeg2-vbr.mp3", args: []string{"-c:a", "libmp3lame", "-ar", "22050", "-ac", "1", "-q:a", "6"}, format: MP3},
	{name: "mpeg25-cbr.mp3", args: []string{"-c:a", "libmp3lame", "-ar", "11025", "-ac", "1", "-b:a", "32k", "-write_xing", "0"}, format: MP3, ref: refDecoded},
	{name: "layer2.mp3", args: []string{"-c:a", "mp2", "-b:a", "192k", "-f", "mp2"}, format: MP3, ref: refDecoded},
	{name: "layer2-lsf.mp3", args: []string{"-c:a", "mp2", "-ar", "22050", "-b:a", "96k", "-f", "mp2"}, format: MP3, ref: refDecoded},
	{name: "faststart.m4a", args: []string{"-c:a", "aac", "-movflags", "+faststart"}, format: M4A},
	{name: "fragmented.m4a", args: []string{"-c:a", "aac", "-movflags", "frag_keyframe+empty_moov"}, format: M4A},
	{name: "opus.ogg", args: []string{"-c:a", "libopus"}, format: Ogg},
	{name: "flac.oga", args: []string{"-c:a", "flac"}, format: Ogg},
	{name: "s24.wav", args: []string{"-c:a", "pcm_s24le"}, format: WAV},             // WAVE_FORMAT_EXTENSIBLE
	{name: "6ch.wav", args: []string{"-c:a", "pcm_s16le", "-ac", "6"}, format: WAV}, // WAVE_FORMAT_EXTENSIBLE
	{name: "float.wav", args: []string{"-c:a", "pcm_f32le"}, format: WAV},
	{name: "rf64.wav", args: []string{"-c:a", "pcm_s16le", "-rf64", "always"}, format: WAV},
	{name: "ima-adpcm.wav", args: []string{"-c:a", "adpcm_ima_wav"}, format: WAV}, // fact chunk
}

// durGenerate writes the durFiles of the given length, all of them or
// those named, into a new directory and returns it. The playertest kinds
// carry tags and, where possible, a cover, so that tag bytes sit in front of
// the audio. base.wav, the source of the transcodes, is always made.
func durGenerate(t testing.TB, seconds float64, names ...string) string {
	t.Helper()
	dir := t.TempDir()
	want := func(f durFile) bool {
		return len(names) == 0 || f.name == "base.wav" || slices.Contains(names, f.name)
	}
	tags := map[string]string{"title": "Title", "artist": "Artist", "album": "Album", "track": "1/2"}
	var specs []playertest.Spec
	for _, f := range durFiles {
		if f.kind != "" && want(f) {
			specs = append(specs, playertest.Spec{Path: f.name, Kind: f.kind, Seconds: seconds, Tags: tags, Cover: true})
		}
	}
	playertest.Generate(t, dir, specs...)
	var args [][]string
	for _, f := range durFiles {
		if f.kind == "" && want(f) {
			args = append(args, slices.Concat([]string{"-i", filepath.Join(dir, "base.wav")}, f.args, []string{filepath.Join(dir, f.name)}))
		}
	}
	durFFmpeg(t, args...)
	return dir
}

// durFFmpeg runs ffmpeg quietly once for each argument list, two at a time,
// failing t on any error.
func durFFmpeg(t testing.TB, args ...[]string) {
	t.Helper()
	playertest.NeedsFFmpeg(t)
	ffmpeg, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Fatalf("ffmpeg is needed to make test audio: %v", err)
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	errs := make([]error, len(args))
	for i, a := range args {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			a = append([]string{"-v", "error", "-nostdin", "-y"}, a...)
			if out, err := exec.Command(ffmpeg, a...).CombinedOutput(); err != nil {
				errs[i] = fmt.Errorf("ffmpeg %s: %v\n%s", strings.Join(a, " "), err, out)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
}

// durOf runs readDuration on the file.
func durOf(t testing.TB, file string, f Format) (float64, error) {
	t.Helper()
	fh, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		t.Fatal(err)
	}
	return readDuration(fh, st.Size(), f)
}

// TestReadDuration compares readDuration with ffprobe on real files.
func TestReadDuration(t *testing.T) {
	dir := durGenerate(t, durSeconds)
	for _, f := range durFiles {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			file := filepath.Join(dir, f.name)
			got, err := durOf(t, file, f.format)
			if err != nil {
				t.Fatalf("readDuration(%s) error: %v", f.name, err)
			}
			want, how := playertest.Probe(t, file), "ffprobe format duration"
			if f.ref == refDecoded {
				want, how = playertest.DecodedDuration(t, file), "decoded duration"
			}
			t.Logf("%-16s %s %.6f, readDuration %.6f, delta %+.6f", f.name, how, want, got, got-want)
			if math.Abs(got-want) > durTolerance {
				t.Errorf("readDuration(%s) = %.6f, want %s %.6f ± %v", f.name, got, how, want, durTolerance)
			}
		})
	}
}

// TestReadDurationMP3Tags checks that tags and junk around real MP3 audio
// do not change its length: an ID3v2.4 tag with a footer in front of
// ffmpeg's own ID3v2.3 tag, junk before the first frame and between frames,
// and APEv2, Lyrics3v2 and ID3v1 tags at the end.
func TestReadDurationMP3Tags(t *testing.T) {
	names := []string{"cbr-noinfo.mp3", "vbr-noxing.mp3", "vbr-xing.mp3", "layer2.mp3"}
	dir := durGenerate(t, 2, names...)
	junk := bytes.Repeat([]byte("junk\xff"), 60)
	tail := durCat(durAPETag(), durLyrics3(), durID3v1())
	for _, name := range names {
		orig, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		want, err := readDuration(bytes.NewReader(orig), int64(len(orig)), MP3)
		if err != nil {
			t.Fatalf("readDuration(%s): %v", name, err)
		}
		tagEnd := durID3Size(orig)
		mid := durFrameBoundary(t, orig, tagEnd, 20)
		tests := map[string][]byte{
			"id3v2.4 footer": durCat(durID3v24Footer(), orig),
			"junk at start":  durCat(orig[:tagEnd], junk, orig[tagEnd:]),
			"junk in middle": durCat(orig[:mid], junk, orig[mid:]),
			"trailing tags":  durCat(orig, tail),
		}
		for tc, data := range tests {
			got, err := readDuration(bytes.NewReader(data), int64(len(data)), MP3)
			if err != nil || got != want {
				t.Errorf("%s with %s: readDuration = %v, %v, want %v", name, tc, got, err, want)
			}
		}
	}
}

// durID3Size returns the length of the ID3v2 tag at the start of b.
func durID3Size(b []byte) int {
	if len(b) < 10 || string(b[:3]) != "ID3" {
		return 0
	}
	return 10 + (int(b[6])<<21 | int(b[7])<<14 | int(b[8])<<7 | int(b[9]))
}

// durFrameBoundary returns the offset of the n-th MPEG frame after off,
// where the first frame must start.
func durFrameBoundary(t *testing.T, b []byte, off, n int) int {
	t.Helper()
	for range n {
		h, ok := parseMPEGHeader(b[off : off+4])
		if !ok {
			t.Fatalf("no frame header at %d", off)
		}
		off += h.length
	}
	return off
}

// TestReadDurationSynthetic checks exact lengths of small hand-made files.
func TestReadDurationSynthetic(t *testing.T) {
	for _, tt := range durSynthetic() {
		got, err := readDuration(bytes.NewReader(tt.data), int64(len(tt.data)), tt.format)
		if err != nil || math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("%s: readDuration = %v, %v, want %v", tt.name, got, err, tt.want)
		}
	}
}

// durCase is a hand-made input with its exact length.
type durCase struct {
	name   string
	format Format
	data   []byte
	want   float64
}

// durSynthetic returns the hand-made inputs of TestReadDurationSynthetic,
// which also seed FuzzReadDuration.
func durSynthetic() []durCase {
	// MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, stereo, no padding: 417 bytes.
	cbr := [4]byte{0xff, 0xfb, 0x90, 0x00}
	// MPEG-2 Layer III, 64 kbit/s, 22.05 kHz, mono, CRC: 208 bytes, 576 samples.
	lsf := [4]byte{0xff, 0xf2, 0x80, 0xc0}
	// MPEG-1 Layer I, 384 kbit/s, 48 kHz: 384 bytes, 384 samples.
	l1 := [4]byte{0xff, 0xff, 0xc4, 0x00}
	const frame = 1152.0 / 44100
	return []durCase{
		{"mp3 frames", MP3, durMP3Frames(cbr, 417, 30), 30 * frame},
		{"mp3 after id3v2", MP3, durCat(durID3v2(100), durMP3Frames(cbr, 417, 30)), 30 * frame},
		{"mp3 two id3v2 tags and footer", MP3, durCat(durID3v24Footer(), durID3v2(5), durMP3Frames(cbr, 417, 7)), 7 * frame},
		{"mp3 truncated last frame", MP3, durMP3Frames(cbr, 417, 10)[:417*9+100], 9 * frame},
		{"mp3 lsf", MP3, durMP3Frames(lsf, 208, 12), 12 * 576.0 / 22050},
		{"mp3 layer 1", MP3, durMP3Frames(l1, 384, 5), 5 * 384.0 / 48000},
		{"mp3 xing", MP3, durCat(durXing(cbr, 417, "Xing", 1000), durMP3Frames(cbr, 417, 3)), 1000 * frame},
		{"mp3 info", MP3, durCat(durXing(cbr, 417, "Info", 77), durMP3Frames(cbr, 417, 3)), 77 * frame},
		{"mp3 xing without count", MP3, durCat(durXingNoCount(cbr, 417), durMP3Frames(cbr, 417, 3)), 3 * frame},
		{"mp3 vbri", MP3, durCat(durVBRI(cbr, 417, 500), durMP3Frames(cbr, 417, 3)), 500 * frame},
		{"mp3 ape id3v1 lyrics", MP3, durCat(durMP3Frames(cbr, 417, 4), durAPETag(), durLyrics3(), durID3v1()), 4 * frame},

		{"flac", FLAC, durFLAC(44100, 441000), 10},
		{"flac after id3v2", FLAC, durCat(durID3v2(20), durFLAC(96000, 48000)), 0.5},

		{"vorbis", Ogg, durOgg(durVorbisHead(44100), 88200), 2},
		{"opus", Opus, durOgg(durOpusHead(312), 48312), 1},
		{"ogg flac", Ogg, durOgg(durCat([]byte("\x7fFLAC\x01\x00\x00\x01fLaC"), durFLAC(8000, 0)[4:]), 12000), 1.5},
		{"ogg with trailing junk", Ogg, durCat(durOgg(durVorbisHead(8000), 4000), []byte("OggS junk after the last page")), 0.5},

		{"wav", WAV, durWAV("RIFF", durFmt(1, 2, 44100, 4, nil), durChunk("data", make([]byte, 44100*4))), 1},
		{"wav odd chunk padding", WAV, durWAV("RIFF", durFmt(1, 1, 8000, 1, nil), durChunk("LIST", []byte("odd")), durChunk("data", make([]byte, 4000))), 0.5},
		{"wav fmt after data", WAV, durWAV("RIFF", durChunk("data", make([]byte, 8000)), durFmt(1, 1, 8000, 2, nil)), 0.5},
		{"wav extensible float", WAV, durWAV("RIFF", durFmt(0xfffe, 2, 48000, 8, durSubFormat(3)), durChunk("data", make([]byte, 48000*8/4))), 0.25},
		{"wav fact", WAV, durWAV("RIFF", durFmt(0x11, 1, 8000, 256, nil), durChunk("fact", durLE32(12000)), durChunk("data", make([]byte, 100))), 1.5},
		{"wav streamed size", WAV, durWAV("RIFF", durFmt(1, 1, 8000, 2, nil), durChunkSize("data", 0xffffffff, make([]byte, 4000))), 0.25},
		{"rf64", WAV, durWAV("RF64", durChunk("ds64", durCat(durLE64(0), durLE64(16000), durLE64(0), durLE32(0))), durFmt(1, 1, 8000, 2, nil), durChunkSize("data", 0xffffffff, make([]byte, 16000))), 1},

		{"mp4 moov at end, 64-bit mdat", M4A, durCat(durBox("ftyp", []byte("M4A \x00\x00\x00\x00")), durBox64("mdat", make([]byte, 50)), durMoov(0, 1000, 4321, 44100, 190000)), 4.321},
		{"mp4 version 1 headers", M4A, durCat(durBox("ftyp", []byte("M4A \x00\x00\x00\x00")), durMoov(1, 600, 1200, 48000, 96000)), 2},
		{"mp4 mdhd only", M4A, durMoov(0, 1000, 0, 8000, 12000), 1.5},
		{"mp4 mdat to end of file", M4A, durCat(durMoov(0, 1000, 2500, 8000, 0), durBoxSize("mdat", 0, make([]byte, 9))), 2.5},
	}
}

// TestReadDurationErrors checks that malformed and truncated input is
// refused with ErrBadMedia, and unknown formats with ErrUnsupported.
func TestReadDurationErrors(t *testing.T) {
	cbr := [4]byte{0xff, 0xfb, 0x90, 0x00}
	freeFormat := [4]byte{0xff, 0xfb, 0x00, 0x00}
	flac := durFLAC(44100, 441000)
	wav := durWAV("RIFF", durFmt(1, 2, 44100, 4, nil), durChunk("data", make([]byte, 400)))
	vorbisHead := durCat(durOggPage(2, 0, 7, 0, durVorbisHead(44100)), durOggPage(0, -1, 7, 1, []byte("comments")))
	last := durOggPage(4, 88200, 7, 2, make([]byte, 300))
	badCRC := bytes.Clone(last)
	badCRC[len(badCRC)-1] ^= 1
	moov := durMoov(0, 1000, 4321, 44100, 190000)
	tests := []struct {
		name   string
		format Format
		data   []byte
		extra  int64 // stated size beyond len(data)
	}{
		{"empty", MP3, nil, 0},
		{"mp3 zeros", MP3, make([]byte, 5000), 0},
		{"mp3 text", MP3, []byte(strings.Repeat("not an mp3 file ", 100)), 0},
		{"mp3 free format", MP3, durMP3Frames(freeFormat, 417, 10), 0},
		{"mp3 single stray header", MP3, []byte{0xff, 0xfb, 0x90, 0x00, 1, 2, 3}, 0},
		{"mp3 id3v2 past end", MP3, durID3v2(100)[:50], 0},
		{"mp3 id3v2 bad size", MP3, []byte("ID3\x03\x00\x00\xff\xff\xff\xff"), 0},
		{"mp3 ape tag too big", MP3, durCat(durMP3Frames(cbr, 417, 2), []byte("APETAGEX\xd0\x07\x00\x00\xff\xff\xff\x7f\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00")), 0},
		{"flac no marker", FLAC, flac[4:], 0},
		{"flac truncated", FLAC, flac[:20], 0},
		{"flac unknown length", FLAC, durFLAC(44100, 0), 0},
		{"flac rate 0", FLAC, durFLAC(0, 1000), 0},
		{"flac not streaminfo first", FLAC, durCat([]byte("fLaC\x04\x00\x00\x22"), flac[8:]), 0},
		{"ogg empty", Ogg, []byte("OggS"), 0},
		{"ogg unknown codec", Ogg, durOgg([]byte("\x80theora-ish header"), 100), 0},
		{"ogg headers only", Ogg, vorbisHead, 0},
		{"ogg bad crc", Ogg, durCat(vorbisHead, badCRC), 0},
		{"ogg truncated", Ogg, durCat(vorbisHead, last[:len(last)-3]), 0},
		{"opus granule before pre-skip", Opus, durOgg(durOpusHead(312), 100), 0},
		{"wav not riff", WAV, wav[4:], 0},
		{"wav truncated header", WAV, wav[:30], 0},
		{"wav data past end", WAV, wav[:len(wav)-1], 0},
		{"wav no fmt", WAV, durWAV("RIFF", durChunk("data", make([]byte, 10))), 0},
		{"wav no data", WAV, durWAV("RIFF", durFmt(1, 2, 44100, 4, nil)), 0},
		{"wav rate 0", WAV, durWAV("RIFF", durFmt(1, 2, 0, 4, nil), durChunk("data", make([]byte, 10))), 0},
		{"wav block align 0", WAV, durWAV("RIFF", durFmt(1, 2, 44100, 0, nil), durChunk("data", make([]byte, 10))), 0},
		{"wav short extensible", WAV, durWAV("RIFF", durFmt(0xfffe, 2, 44100, 4, nil), durChunk("data", make([]byte, 10))), 0},
		{"mp4 no moov", M4A, durBox("ftyp", []byte("M4A \x00\x00\x00\x00")), 0},
		{"mp4 truncated moov", M4A, moov[:len(moov)-10], 0},
		{"mp4 box smaller than header", M4A, []byte("\x00\x00\x00\x04moov"), 0},
		{"mp4 64-bit size past end", M4A, durCat([]byte("\x00\x00\x00\x01mdat\x7f\x00\x00\x00\x00\x00\x00\x00"), moov), 0},
		{"mp4 no duration", M4A, durMoov(0, 1000, 0, 8000, 0), 0},
		{"mp4 short mvhd", M4A, durBox("moov", durBox("mvhd", []byte{0, 0, 0, 0, 1})), 0},
		{"stated size beyond data", WAV, wav, 1000},
	}
	for _, tt := range tests {
		got, err := readDuration(bytes.NewReader(tt.data), int64(len(tt.data))+tt.extra, tt.format)
		if !errors.Is(err, ErrBadMedia) {
			t.Errorf("%s: readDuration = %v, %v, want error %v", tt.name, got, err, ErrBadMedia)
		}
	}
	if _, err := readDuration(bytes.NewReader(wav), int64(len(wav)), "aiff"); !errors.Is(err, ErrUnsupported) {
		t.Errorf("readDuration(aiff) error = %v, want %v", err, ErrUnsupported)
	}
}

// failingReader is an io.ReadSeeker whose reads fail with err.
type failingReader struct{ err error }

func (r failingReader) Read([]byte) (int, error)       { return 0, r.err }
func (r failingReader) Seek(int64, int) (int64, error) { return 0, nil }

// TestReadDurationReaderError checks that a failing read is reported as
// itself, not as malformed audio.
func TestReadDurationReaderError(t *testing.T) {
	errDisk := errors.New("disk on fire")
	for _, f := range []Format{MP3, FLAC, Ogg, Opus, M4A, WAV} {
		_, err := readDuration(failingReader{errDisk}, 1<<20, f)
		if !errors.Is(err, errDisk) || errors.Is(err, ErrBadMedia) {
			t.Errorf("readDuration(%s) on a failing reader: error %v, want %v", f, err, errDisk)
		}
	}
}

// countingReader is an io.ReadSeeker that counts the bytes read through it.
type countingReader struct {
	r    io.ReadSeeker
	read int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.read += int64(n)
	return n, err
}

func (c *countingReader) Seek(off int64, whence int) (int64, error) {
	return c.r.Seek(off, whence)
}

// TestReadDurationBoundedRead checks that only headers and a few windows
// are read from a long file, whatever its format, except for MP3 without a
// Xing header, whose frame headers must all be visited. The long files are
// short ones looped by stream copy, which is much faster than encoding.
func TestReadDurationBoundedRead(t *testing.T) {
	tests := []struct {
		short  string // a durFiles name
		format Format
	}{
		{"vbr-xing.mp3", MP3},
		{"a.flac", FLAC},
		{"vorbis.ogg", Ogg},
		{"a.opus", Opus},
		{"aac.m4a", M4A},
		{"base.wav", WAV},
	}
	var names []string
	for _, tt := range tests {
		names = append(names, tt.short)
	}
	dir := durGenerate(t, 5, names...)
	const loops = 24 // 5 s × (1 + 24) = 125 s
	var args [][]string
	for _, tt := range tests {
		if tt.format != FLAC {
			args = append(args, []string{"-stream_loop", fmt.Sprint(loops), "-i", filepath.Join(dir, tt.short), "-map", "0:a", "-c", "copy", filepath.Join(dir, "long-"+tt.short)})
		}
	}
	durFFmpeg(t, args...)
	// A FLAC stream copy keeps the first STREAMINFO, so encode this one.
	durFFmpeg(t, []string{"-i", filepath.Join(dir, "long-base.wav"), "-c:a", "flac", filepath.Join(dir, "long-a.flac")})
	const limit = 3 * windowSize
	for _, tt := range tests {
		file := filepath.Join(dir, "long-"+tt.short)
		short, err := durOf(t, filepath.Join(dir, tt.short), tt.format)
		if err != nil {
			t.Fatal(err)
		}
		fh, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		st, err := fh.Stat()
		if err != nil {
			t.Fatal(err)
		}
		c := &countingReader{r: fh}
		got, err := readDuration(c, st.Size(), tt.format)
		fh.Close()
		if want := short * (1 + loops); err != nil || math.Abs(got-want) > 1 {
			t.Errorf("readDuration(%s) = %v, %v, want about %v", file, got, err, want)
		}
		t.Logf("%s: read %d of %d bytes", tt.short, c.read, st.Size())
		if c.read > limit || st.Size() < 4*limit {
			t.Errorf("readDuration(%s) read %d of %d bytes, want at most %d of a file of at least %d", tt.short, c.read, st.Size(), limit, 4*limit)
		}
	}
}

// addDurationSeeds adds each named file of dir to f's corpus three times:
// whole, cut in half, and its first 1,000 bytes with extra set.
func addDurationSeeds(f *testing.F, dir string, names []string) {
	for _, name := range names {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, uint8(0))
		f.Add(b[:len(b)/2], uint8(0))
		f.Add(b[:min(len(b), 1000)], uint8(10))
	}
}

// FuzzReadDuration checks that no input makes readDuration panic, hang or
// return an impossible length (nor MP4AudioCodec panic, hang or name
// nothing). It is seeded with the hand-made inputs and
// with short generated files of every kind, whole and cut in half.
func FuzzReadDuration(f *testing.F) {
	for _, c := range durSynthetic() {
		f.Add(c.data, uint8(0))
	}
	names := []string{"fragmented.m4a", "flac.oga", "layer2.mp3", "rf64.wav"}
	for _, df := range durFiles {
		if df.kind != "" {
			names = append(names, df.name)
		}
	}
	videoFuzzSeeds(f)
	addDurationSeeds(f, durGenerate(f, 0.3, names...), names)
	f.Fuzz(func(t *testing.T, data []byte, extra uint8) {
		size := int64(len(data)) + int64(extra)
		for _, fm := range []Format{MP3, FLAC, Ogg, Opus, M4A, WAV} {
			d, err := readDuration(bytes.NewReader(data), size, fm)
			if err == nil && (math.IsNaN(d) || math.IsInf(d, 0) || d < 0) {
				t.Errorf("readDuration(%s) = %v with no error", fm, d)
			}
		}
		fuzzVideoInfo(t, data, size)
		if c, err := MP4AudioCodec(bytes.NewReader(data), size); err == nil && (c == "" || len(c) > 4) {
			t.Errorf("MP4AudioCodec = %q with no error, want a codec name of 1 to 4 letters", c)
		}
	})
}

// Builders of hand-made files.

func durCat(bs ...[]byte) []byte { return bytes.Join(bs, nil) }

func durLE16(v uint16) []byte { return binary.LittleEndian.AppendUint16(nil, v) }
func durLE32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }
func durLE64(v uint64) []byte { return binary.LittleEndian.AppendUint64(nil, v) }
func durBE32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }
func durBE64(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

// durMP3Frames returns n frames of the given header and length with
// bodies of a byte pattern that never looks like a sync word.
func durMP3Frames(hdr [4]byte, length, n int) []byte {
	f := bytes.Repeat([]byte{0x55}, length)
	copy(f, hdr[:])
	return bytes.Repeat(f, n)
}

// durXing returns a frame with a Xing or Info header stating frames.
func durXing(hdr [4]byte, length int, tag string, frames uint32) []byte {
	f := durMP3Frames(hdr, length, 1)
	copy(f[4+32:], durCat([]byte(tag), durBE32(1|2), durBE32(frames), durBE32(uint32(length)*frames)))
	return f
}

// durXingNoCount returns a frame with a Xing header without a frame count.
func durXingNoCount(hdr [4]byte, length int) []byte {
	f := durMP3Frames(hdr, length, 1)
	copy(f[4+32:], durCat([]byte("Xing"), durBE32(0)))
	return f
}

// durVBRI returns a frame with a VBRI header stating frames.
func durVBRI(hdr [4]byte, length int, frames uint32) []byte {
	f := durMP3Frames(hdr, length, 1)
	copy(f[4+32:], durCat([]byte("VBRI\x00\x01\x04\x00\x00\x50"), durBE32(12345), durBE32(frames)))
	return f
}

// durID3v2 returns an ID3v2.3 tag with n bytes of padding.
func durID3v2(n int) []byte {
	return durCat([]byte{'I', 'D', '3', 3, 0, 0, 0, 0, byte(n >> 7), byte(n & 0x7f)}, make([]byte, n))
}

// durID3v24Footer returns an ID3v2.4 tag with a footer.
func durID3v24Footer() []byte {
	body := durCat([]byte("TIT2\x00\x00\x00\x04\x00\x00\x03abc"), make([]byte, 20))
	n := len(body)
	return durCat([]byte{'I', 'D', '3', 4, 0, 0x10, 0, 0, byte(n >> 7), byte(n & 0x7f)}, body,
		[]byte{'3', 'D', 'I', 4, 0, 0x10, 0, 0, byte(n >> 7), byte(n & 0x7f)})
}

// durID3v1 returns a 128-byte ID3v1 tag.
func durID3v1() []byte {
	t := make([]byte, 128)
	copy(t, "TAGtitle")
	return t
}

// durAPETag returns an APEv2 tag with header and footer, its items holding
// bytes that look like MPEG frame headers.
func durAPETag() []byte {
	item := durCat(durLE32(8), durLE32(0), []byte("Title\x00"), []byte{0xff, 0xfb, 0x90, 0x00, 0xff, 0xfb, 0x90, 0x00})
	size := uint32(len(item) + 32)
	hf := func(flags uint32) []byte {
		return durCat([]byte("APETAGEX"), durLE32(2000), durLE32(size), durLE32(1), durLE32(flags), make([]byte, 8))
	}
	return durCat(hf(1<<31|1<<29), item, hf(1<<31))
}

// durLyrics3 returns a Lyrics3v2 tag.
func durLyrics3() []byte {
	body := "LYRICSBEGININD00002" + "11" + "LYR00005hello"
	return []byte(body + fmt.Sprintf("%06d", len(body)) + "LYRICS200")
}

// durFLAC returns a FLAC file of a STREAMINFO block and no frames.
func durFLAC(rate int, total int64) []byte {
	si := make([]byte, 34)
	binary.BigEndian.PutUint16(si[0:], 4096)
	binary.BigEndian.PutUint16(si[2:], 4096)
	// sample rate (20 bits), channels-1 = 1 (3 bits), bps-1 = 15 (5 bits),
	// total samples (36 bits).
	v := uint64(rate)<<44 | 1<<41 | 15<<36 | uint64(total)
	binary.BigEndian.PutUint64(si[10:], v)
	return durCat([]byte("fLaC\x80\x00\x00\x22"), si)
}

// durOggPage returns an Ogg page holding one packet.
func durOggPage(typ byte, granule int64, serial, seq uint32, packet []byte) []byte {
	var segs []byte
	n := len(packet)
	for n >= 255 {
		segs = append(segs, 255)
		n -= 255
	}
	segs = append(segs, byte(n))
	p := durCat([]byte("OggS\x00"), []byte{typ}, durLE64(uint64(granule)), durLE32(serial), durLE32(seq), durLE32(0), []byte{byte(len(segs))}, segs, packet)
	var crc uint32
	for _, c := range p {
		crc = crc<<8 ^ oggCRCTable[byte(crc>>24)^c]
	}
	binary.LittleEndian.PutUint32(p[22:], crc)
	return p
}

// durOgg returns an Ogg stream with the identification packet head, a page
// of another stream interleaved, and a last page at granule end.
func durOgg(head []byte, end int64) []byte {
	return durCat(
		durOggPage(2, 0, 7, 0, head),
		durOggPage(0, -1, 7, 1, []byte("comment header")),
		durOggPage(0, end/2, 7, 2, make([]byte, 300)),
		durOggPage(4, end, 7, 3, make([]byte, 300)),
		durOggPage(2, 99999, 8, 0, []byte("another stream")),
	)
}

// durVorbisHead returns a Vorbis identification header.
func durVorbisHead(rate uint32) []byte {
	return durCat([]byte("\x01vorbis"), durLE32(0), []byte{2}, durLE32(rate), make([]byte, 14))
}

// durOpusHead returns an Opus identification header.
func durOpusHead(preSkip uint16) []byte {
	return durCat([]byte("OpusHead\x01\x02"), durLE16(preSkip), durLE32(44100), durLE16(0), []byte{0})
}

// durChunk returns a RIFF chunk, padded to an even length.
func durChunk(id string, body []byte) []byte {
	return durChunkSize(id, uint32(len(body)), body)
}

// durChunkSize returns a RIFF chunk stating size.
func durChunkSize(id string, size uint32, body []byte) []byte {
	c := durCat([]byte(id), durLE32(size), body)
	if len(body)%2 == 1 {
		c = append(c, 0)
	}
	return c
}

// durFmt returns a "fmt " chunk; ext, when not nil, is the extension after
// cbSize.
func durFmt(tag, channels uint16, rate uint32, blockAlign uint16, ext []byte) []byte {
	b := durCat(durLE16(tag), durLE16(channels), durLE32(rate), durLE32(rate*uint32(blockAlign)), durLE16(blockAlign), durLE16(16))
	if ext != nil {
		b = durCat(b, durLE16(uint16(len(ext))), ext)
	}
	return durChunk("fmt ", b)
}

// durSubFormat returns the WAVE_FORMAT_EXTENSIBLE extension with the given
// format code as SubFormat.
func durSubFormat(code uint16) []byte {
	return durCat(durLE16(32), durLE32(3), durLE16(code), []byte("\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"))
}

// durWAV returns a RIFF WAVE file of the chunks.
func durWAV(riff string, chunks ...[]byte) []byte {
	body := durCat(chunks...)
	return durCat([]byte(riff), durLE32(uint32(4+len(body))), []byte("WAVE"), body)
}

// durBox returns an MPEG-4 box.
func durBox(typ string, body ...[]byte) []byte {
	b := durCat(body...)
	return durBoxSize(typ, uint32(8+len(b)), b)
}

// durBoxSize returns a box stating size.
func durBoxSize(typ string, size uint32, body []byte) []byte {
	return durCat(durBE32(size), []byte(typ), body)
}

// durBox64 returns a box with a 64-bit size.
func durBox64(typ string, body []byte) []byte {
	return durCat(durBE32(1), []byte(typ), durBE64(uint64(16+len(body))), body)
}

// durMoov returns a moov box with a video track and a sound track: mvhd
// and the sound track's tkhd state tkhd in movie timescale mvScale, its
// mdhd states mdhd in timescale mdScale, all in header version v.
func durMoov(v byte, mvScale uint32, tkhd uint64, mdScale uint32, mdhd uint64) []byte {
	times := func(scale uint32, dur uint64) []byte {
		if v == 1 {
			return durCat([]byte{1, 0, 0, 0}, durBE64(0), durBE64(0), durBE32(scale), durBE64(dur))
		}
		return durCat([]byte{0, 0, 0, 0}, durBE32(0), durBE32(0), durBE32(scale), durBE32(uint32(dur)))
	}
	tk := func(id uint32, dur uint64) []byte {
		if v == 1 {
			return durCat([]byte{1, 0, 0, 0}, durBE64(0), durBE64(0), durBE32(id), durBE32(0), durBE64(dur), make([]byte, 60))
		}
		return durCat([]byte{0, 0, 0, 0}, durBE32(0), durBE32(0), durBE32(id), durBE32(0), durBE32(uint32(dur)), make([]byte, 60))
	}
	hdlr := func(h string) []byte { return durCat(make([]byte, 8), []byte(h), make([]byte, 13)) }
	return durBox("moov",
		durBox("mvhd", times(mvScale, tkhd), make([]byte, 80)),
		durBox("trak", durBox("tkhd", tk(1, 999999)), durBox("mdia", durBox("mdhd", times(25, 999999), make([]byte, 4)), durBox("hdlr", hdlr("vide")))),
		durBox("trak", durBox("tkhd", tk(2, tkhd)), durBox("mdia", durBox("hdlr", hdlr("soun")), durBox("mdhd", times(mdScale, mdhd), make([]byte, 4)))),
	)
}
