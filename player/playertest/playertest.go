// Package playertest makes real, tagged audio files with ffmpeg for the tests
// of the player, web and app packages.
//
// The audio is the 3.4 s recording testdata/with_tags/sample.flac that ships
// with the github.com/dhowden/tag module, looped to the requested length and
// re-encoded at 44.1 kHz stereo (48 kHz for Opus). ffmpeg and ffprobe must be
// installed, and mpcenc for [Musepack]; tests fail, rather than skip, when
// they are not. Formats no program here writes (DSF, DSDIFF, Monkey's
// Audio) are made by hand: see [DSF], [DFF] and [APE].
package playertest

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Kind is how a fixture is encoded.
type Kind string

// The kinds of fixture [Generate] makes, each with the extensions its
// [Spec.Path] may have.
const (
	// MP3CBR is MPEG-1 Layer III at a constant 128 kbit/s (LAME) with a
	// Xing "Info" header and an ID3v2.3 tag; extension .mp3.
	MP3CBR Kind = "mp3-cbr"
	// MP3VBR is variable bit rate MP3 (LAME -V4) with a Xing header; .mp3.
	MP3VBR Kind = "mp3-vbr"
	// MP3VBRNoXing is variable bit rate MP3 without a Xing or LAME header,
	// so that its length can only be found by counting frames; .mp3.
	MP3VBRNoXing Kind = "mp3-vbr-noxing"
	// FLAC is native FLAC with Vorbis comments; .flac.
	FLAC Kind = "flac"
	// Vorbis is Ogg Vorbis (quality 3); .ogg or .oga.
	Vorbis Kind = "ogg-vorbis"
	// Opus is Ogg Opus at 64 kbit/s, 48 kHz; .opus or .ogg.
	Opus Kind = "opus"
	// AAC is AAC-LC at 128 kbit/s in an MPEG-4 file; .m4a, .m4b or .mp4.
	AAC Kind = "m4a-aac"
	// ALAC is Apple Lossless in an MPEG-4 file; .m4a, .m4b or .mp4.
	ALAC Kind = "m4a-alac"
	// WAVE is 16-bit PCM RIFF WAVE with a LIST INFO chunk; .wav. (It is
	// not called WAV because [WAV] already makes a WAV file in memory.)
	WAVE Kind = "wav"

	// H264 is a video: H.264 (libx264) pictures of ffmpeg's testsrc2
	// pattern, [VideoWidth]×[VideoHeight] at 15 frames/s, with an AAC
	// sine tone, in an MPEG-4 (.mp4, .m4v) or QuickTime (.mov) file whose
	// moov box comes last, as ffmpeg writes it by default.
	H264 Kind = "video-h264"
	// H264Fragmented is [H264] written as a fragmented MPEG-4 file whose
	// moov box states no length (ffmpeg's empty_moov, as live recorders
	// write); .mp4 or .m4v.
	H264Fragmented Kind = "video-h264-fragmented"
	// VP9 is a video: VP9 pictures of the same pattern and size with an
	// Opus sine tone in WebM; .webm.
	VP9 Kind = "video-vp9"
)

// The picture size of the video kinds, in pixels.
const (
	VideoWidth  = 320
	VideoHeight = 180
)

// kindInfo says how ffmpeg encodes one [Kind].
type kindInfo struct {
	exts []string // allowed extensions, lower case
	args []string // codec options
	rate string   // output sample rate in Hz
	// cover is whether an attached picture can be embedded.
	cover bool
	// vorbisComments is whether tags are Vorbis comments, where a track or
	// disc "n/total" must be split into TRACKNUMBER and TRACKTOTAL.
	vorbisComments bool
	// video is whether the kind is a video made from ffmpeg's test
	// sources rather than the recording.
	video bool
	// mpcenc is whether the mpcenc program encodes the kind, from a WAV
	// file ffmpeg writes (see [Spec.generateMusepack]).
	mpcenc bool
}

// kinds holds the encoding of every [Kind].
var kinds = map[Kind]kindInfo{
	MP3CBR:       {exts: []string{".mp3"}, args: []string{"-c:a", "libmp3lame", "-b:a", "128k", "-id3v2_version", "3"}, rate: "44100", cover: true},
	MP3VBR:       {exts: []string{".mp3"}, args: []string{"-c:a", "libmp3lame", "-q:a", "4", "-id3v2_version", "3"}, rate: "44100", cover: true},
	MP3VBRNoXing: {exts: []string{".mp3"}, args: []string{"-c:a", "libmp3lame", "-q:a", "4", "-id3v2_version", "3", "-write_xing", "0"}, rate: "44100", cover: true},
	FLAC:         {exts: []string{".flac"}, args: []string{"-c:a", "flac"}, rate: "44100", cover: true, vorbisComments: true},
	Vorbis:       {exts: []string{".ogg", ".oga"}, args: []string{"-c:a", "libvorbis", "-q:a", "3"}, rate: "44100", vorbisComments: true},
	Opus:         {exts: []string{".opus", ".ogg"}, args: []string{"-c:a", "libopus", "-b:a", "64k"}, rate: "48000", vorbisComments: true},
	AAC:          {exts: []string{".m4a", ".m4b", ".mp4"}, args: []string{"-c:a", "aac", "-b:a", "128k"}, rate: "44100", cover: true},
	ALAC:         {exts: []string{".m4a", ".m4b", ".mp4"}, args: []string{"-c:a", "alac"}, rate: "44100", cover: true},
	WAVE:         {exts: []string{".wav"}, args: []string{"-c:a", "pcm_s16le"}, rate: "44100"},
	H264: {exts: []string{".mp4", ".m4v", ".mov"}, rate: "44100", video: true,
		args: []string{"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "15", "-c:a", "aac", "-b:a", "64k"}},
	H264Fragmented: {exts: []string{".mp4", ".m4v"}, rate: "44100", video: true,
		args: []string{"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "15", "-c:a", "aac", "-b:a", "64k",
			"-movflags", "frag_keyframe+empty_moov+default_base_moof"}},
	AIFF:      {exts: []string{".aiff", ".aif"}, args: []string{"-c:a", "pcm_s16be", "-write_id3v2", "1"}, rate: "44100", cover: true},
	AIFC:      {exts: []string{".aifc"}, args: []string{"-c:a", "pcm_s16le", "-write_id3v2", "1", "-f", "aiff"}, rate: "44100", cover: true},
	WMA:       {exts: []string{".wma"}, args: []string{"-c:a", "wmav2", "-b:a", "128k"}, rate: "44100", cover: true},
	WavPack:   {exts: []string{".wv"}, args: []string{"-c:a", "wavpack"}, rate: "44100"},
	TTA:       {exts: []string{".tta"}, args: []string{"-c:a", "tta"}, rate: "44100"},
	AC3:       {exts: []string{".ac3"}, args: []string{"-c:a", "ac3", "-b:a", "192k"}, rate: "48000"},
	EAC3:      {exts: []string{".eac3"}, args: []string{"-c:a", "eac3", "-b:a", "192k"}, rate: "48000"},
	ADTS:      {exts: []string{".aac"}, args: []string{"-c:a", "aac", "-b:a", "128k", "-f", "adts"}, rate: "44100"},
	MP2:       {exts: []string{".mp2"}, args: []string{"-c:a", "mp2", "-b:a", "192k"}, rate: "44100"},
	MKA:       {exts: []string{".mka"}, args: []string{"-c:a", "flac"}, rate: "44100", cover: true},
	WebMAudio: {exts: []string{".webm"}, args: []string{"-c:a", "libopus", "-b:a", "64k"}, rate: "48000"},
	MKVVideo: {exts: []string{".mkv"}, rate: "44100", video: true,
		args: []string{"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "15", "-c:a", "aac", "-b:a", "64k"}},
	AVIVideo: {exts: []string{".avi"}, rate: "44100", video: true,
		args: []string{"-c:v", "mpeg4", "-q:v", "5", "-c:a", "libmp3lame", "-b:a", "64k"}},
	Musepack: {exts: []string{".mpc"}, rate: "44100", mpcenc: true},
	VP9: {exts: []string{".webm"}, rate: "48000", video: true,
		args: []string{"-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "200k", "-g", "15", "-pix_fmt", "yuv420p", "-c:a", "libopus", "-b:a", "48k"}},
}

// Spec describes one fixture file for [Generate].
type Spec struct {
	// Path is the file's slash path relative to the directory given to
	// [Generate], e.g. "Artist/Album/01 Song.mp3"; its extension must fit
	// Kind (see the Kind constants).
	Path string
	// Kind is the encoding.
	Kind Kind
	// Seconds is the length of the input audio; 0 means 5 s. Lossy
	// encoders add some milliseconds of delay and padding.
	Seconds float64
	// Tags are ffmpeg -metadata keys and values: title, artist, album,
	// album_artist, track ("3/12"), disc ("1/2"), date, genre. For the
	// Vorbis-comment kinds a track or disc "n/total" is written as the
	// TRACKNUMBER and TRACKTOTAL (DISCNUMBER, DISCTOTAL) fields readers expect.
	Tags map[string]string
	// Cover embeds a small generated 64×64 JPEG as the front cover
	// (attached picture) for MP3, FLAC, MPEG-4 audio, AIFF, WMA and
	// Matroska audio (where ffmpeg writes it as a one-frame picture
	// stream); it is ignored for the other kinds, videos included.
	Cover bool
}

// DefaultSeconds is the length of a fixture whose [Spec.Seconds] is 0.
const DefaultSeconds = 5

// Generate writes each spec's file under dir, creating parent directories,
// failing tb on any error (showing the program's output). It runs several ffmpeg
// processes at once, one per CPU. A [Musepack] spec also needs the mpcenc
// program, and fails tb without it.
func Generate(tb testing.TB, dir string, specs ...Spec) {
	tb.Helper()
	p := programs{ffmpeg: tool(tb, "ffmpeg")}
	src := source(tb)
	var cover string
	for _, s := range specs {
		if err := s.check(); err != nil {
			tb.Fatalf("playertest.Generate: %v", err)
		}
		if kinds[s.Kind].mpcenc && p.mpcenc == "" {
			p.mpcenc = tool(tb, "mpcenc")
		}
		if s.Cover && kinds[s.Kind].cover && cover == "" {
			cover = filepath.Join(tb.TempDir(), "cover.jpg")
			if err := os.WriteFile(cover, coverJPEG(tb), 0o644); err != nil {
				tb.Fatalf("playertest.Generate: %v", err)
			}
		}
	}
	errs := make([]error, len(specs))
	sem := make(chan struct{}, runtime.NumCPU())
	var wg sync.WaitGroup
	for i, s := range specs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			errs[i] = s.generate(p, src, cover, dir)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			tb.Fatalf("playertest.Generate: %v", err)
		}
	}
}

// check reports whether s can be generated.
func (s Spec) check() error {
	k, ok := kinds[s.Kind]
	switch {
	case !ok:
		return fmt.Errorf("%s: unknown kind %q", s.Path, s.Kind)
	case s.Path == "" || path.IsAbs(s.Path) || !filepath.IsLocal(filepath.FromSlash(s.Path)):
		return fmt.Errorf("path %q is not a local slash path", s.Path)
	case !slices.Contains(k.exts, strings.ToLower(path.Ext(s.Path))):
		return fmt.Errorf("%s: extension does not fit kind %s (want one of %v)", s.Path, s.Kind, k.exts)
	case s.Seconds < 0:
		return fmt.Errorf("%s: negative length %v", s.Path, s.Seconds)
	}
	return nil
}

// programs are the paths of the programs [Generate] runs; mpcenc is ""
// when no spec needs it.
type programs struct {
	ffmpeg, mpcenc string
}

// generate runs ffmpeg (and for Musepack mpcenc) to write s under dir.
func (s Spec) generate(p programs, src, cover, dir string) error {
	k := kinds[s.Kind]
	out := filepath.Join(dir, filepath.FromSlash(s.Path))
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	secs := s.Seconds
	if secs == 0 {
		secs = DefaultSeconds
	}
	if k.mpcenc {
		return s.generateMusepack(p, src, out, secs)
	}
	ffmpeg := p.ffmpeg
	if k.video {
		args := []string{"-v", "error", "-nostdin", "-y",
			"-f", "lavfi", "-i", fmt.Sprintf("testsrc2=size=%dx%d:rate=15", VideoWidth, VideoHeight),
			"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=" + k.rate,
			"-t", strconv.FormatFloat(secs, 'f', -1, 64), "-map", "0:v", "-map", "1:a", "-map_metadata", "-1", "-ac", "2"}
		args = append(args, k.args...)
		for _, kv := range s.metadata(k) {
			args = append(args, "-metadata", kv)
		}
		return run(ffmpeg, s.Path, append(args, out))
	}
	args := []string{"-v", "error", "-nostdin", "-y", "-stream_loop", "-1", "-i", src}
	withCover := s.Cover && k.cover
	if withCover {
		args = append(args, "-i", cover)
	}
	args = append(args, "-t", strconv.FormatFloat(secs, 'f', -1, 64), "-map", "0:a")
	if withCover {
		args = append(args, "-map", "1:v", "-c:v", "copy", "-disposition:v", "attached_pic",
			"-metadata:s:v", "title=Album cover", "-metadata:s:v", "comment=Cover (front)")
	}
	// Drop the source's own tags so that only s.Tags are written.
	args = append(args, "-map_metadata", "-1", "-ar", k.rate, "-ac", "2")
	args = append(args, k.args...)
	for _, kv := range s.metadata(k) {
		args = append(args, "-metadata", kv)
	}
	return run(ffmpeg, s.Path, append(args, out))
}

// run runs the program prog (ffmpeg or mpcenc) with args to make the
// fixture at name.
func run(prog, name string, args []string) error {
	cmd := exec.Command(prog, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %s %s: %v\n%s", name, filepath.Base(prog), strings.Join(args, " "), err, out.Bytes())
	}
	return nil
}

// metadata returns the -metadata key=value arguments for s, sorted by key.
func (s Spec) metadata(k kindInfo) []string {
	var kv []string
	for key, v := range s.Tags {
		if n, total, ok := strings.Cut(v, "/"); ok && k.vorbisComments && (key == "track" || key == "disc") {
			kv = append(kv, key+"="+n, key+"total="+total)
			continue
		}
		kv = append(kv, key+"="+v)
	}
	slices.Sort(kv)
	return kv
}

// Probe returns ffprobe's format duration of the file in seconds. For MP3
// without a Xing header this is only ffprobe's bit-rate estimate; see
// [DecodedDuration].
func Probe(tb testing.TB, file string) float64 {
	tb.Helper()
	out := ffprobe(tb, "-show_entries", "format=duration", file)
	d, err := strconv.ParseFloat(strings.TrimSpace(out), 64)
	if err != nil {
		tb.Fatalf("playertest.Probe(%s): %v", file, err)
	}
	return d
}

// DecodedDuration returns the exact decoded length of the file's first audio
// stream in seconds: the sum of its packet durations as ffprobe reports
// them, which reads (but does not decode) every packet.
func DecodedDuration(tb testing.TB, file string) float64 {
	tb.Helper()
	out := ffprobe(tb, "-select_streams", "a:0", "-show_entries", "packet=duration_time", file)
	var sum float64
	for line := range strings.FieldsSeq(out) {
		if line == "N/A" {
			continue
		}
		d, err := strconv.ParseFloat(strings.TrimSuffix(line, ","), 64)
		if err != nil {
			tb.Fatalf("playertest.DecodedDuration(%s): %v", file, err)
		}
		sum += d
	}
	return sum
}

// ffprobe runs ffprobe quietly with CSV output and the given arguments and
// returns its standard output, failing tb on error.
func ffprobe(tb testing.TB, args ...string) string {
	tb.Helper()
	args = append([]string{"-v", "error", "-of", "csv=p=0"}, args...)
	cmd := exec.Command(tool(tb, "ffprobe"), args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("ffprobe %s: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return string(out)
}

// toolPaths caches the executables [tool] has found, by name.
var (
	toolMu    sync.Mutex
	toolPaths = map[string]string{}
)

// tool returns the path of the ffmpeg or ffprobe executable, looked up in
// PATH and then in /usr/bin, failing tb when it is missing.
func tool(tb testing.TB, name string) string {
	tb.Helper()
	NeedsFFmpeg(tb)
	toolMu.Lock()
	defer toolMu.Unlock()
	if p, ok := toolPaths[name]; ok {
		return p
	}
	p, err := exec.LookPath(name)
	if err != nil {
		p = filepath.Join("/usr/bin", name)
		if _, err := os.Stat(p); err != nil {
			tb.Fatalf("playertest: %s is not installed (it is needed to make audio fixtures): %v", name, err)
		}
	}
	toolPaths[name] = p
	return p
}

// sourceRel is the recording used as input, inside the dhowden/tag module.
const sourceRel = "testdata/with_tags/sample.flac"

// sourcePath is the input recording's path once [source] has found it.
var (
	sourceOnce sync.Once
	sourcePath string
	sourceErr  error
)

// source returns the path of the input recording, asking the go command
// once per process where the github.com/dhowden/tag module is.
func source(tb testing.TB) string {
	tb.Helper()
	sourceOnce.Do(func() {
		goCmd, err := exec.LookPath("go")
		if err != nil {
			goCmd = filepath.Join(runtime.GOROOT(), "bin", "go")
		}
		cmd := exec.Command(goCmd, "list", "-m", "-f", "{{.Dir}}", "github.com/dhowden/tag")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			sourceErr = fmt.Errorf("locate github.com/dhowden/tag: %v\n%s", err, stderr.Bytes())
			return
		}
		dir := strings.TrimSpace(string(out))
		if dir == "" {
			sourceErr = fmt.Errorf("github.com/dhowden/tag is not downloaded; run go mod download")
			return
		}
		p := filepath.Join(dir, filepath.FromSlash(sourceRel))
		if _, err := os.Stat(p); err != nil {
			sourceErr = err
			return
		}
		sourcePath = p
	})
	if sourceErr != nil {
		tb.Fatalf("playertest: %v", sourceErr)
	}
	return sourcePath
}

// coverBytes is the cover image once [coverJPEG] has encoded it.
var (
	coverOnce  sync.Once
	coverBytes []byte
	coverErr   error
)

// coverJPEG returns the cover image: a 64×64 baseline JPEG with a diagonal
// gradient, encoded once per process.
func coverJPEG(tb testing.TB) []byte {
	tb.Helper()
	coverOnce.Do(func() {
		img := image.NewRGBA(image.Rect(0, 0, 64, 64))
		for y := range 64 {
			for x := range 64 {
				img.Set(x, y, color.RGBA{R: uint8(x * 4), G: 96, B: uint8(y * 4), A: 255})
			}
		}
		var buf bytes.Buffer
		coverErr = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80})
		coverBytes = buf.Bytes()
	})
	if coverErr != nil {
		tb.Fatalf("playertest: encode cover: %v", coverErr)
	}
	return coverBytes
}

// NeedsFFmpeg skips tb under `go test -short` (`make test-short`, the
// fast lane for development): tests that make fixtures with ffmpeg or read
// files back with ffprobe are the slow ones. A full run (`make test`, CI)
// never skips them, and a missing ffmpeg then fails the test. Call it from
// the test's own goroutine, as [testing.T.Skip] requires.
func NeedsFFmpeg(tb testing.TB) {
	tb.Helper()
	if testing.Short() {
		tb.Skip("needs ffmpeg: not run with -short")
	}
}
