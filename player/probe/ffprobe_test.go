package probe

import (
	"errors"
	"math"
	"os/exec"
	"strings"
	"testing"
)

// TestParseFFprobe maps ffprobe reports to Media: tags from the container
// and then the audio stream, keys in any case; pictures; videos; lengths.
func TestParseFFprobe(t *testing.T) {
	tests := map[string]struct {
		json string
		f    Format
		want Media
		err  error
	}{
		"wavpack with APE tags": {
			json: `{"streams":[{"codec_type":"audio","codec_name":"wavpack","duration":"5.000000"}],
				"format":{"format_name":"wv","duration":"5.000000","tags":{"Title":"T","ARTIST":"A","Album":"Al",
				"Album Artist":"AA","Track":"3/12","Disc":"1","DiscTotal":"2","Year":"2001-05-01","Genre":"G"}}}`,
			f: WavPack,
			want: Media{Format: WavPack, Duration: 5, Tags: Tags{Title: "T", Artist: "A", Album: "Al", AlbumArtist: "AA",
				Genre: "G", Track: 3, TrackTotal: 12, Disc: 1, DiscTotal: 2, Year: 2001}},
		},
		"matroska audio, tags on the stream, cover attachment": {
			json: `{"streams":[{"codec_type":"audio","codec_name":"flac","tags":{"TITLE":"Stream title","ARTIST":"S"}},
				{"codec_type":"video","codec_name":"mjpeg","width":600,"height":600,"disposition":{"attached_pic":1}}],
				"format":{"format_name":"matroska,webm","duration":"61.5","tags":{"title":"Container title"}}}`,
			f:    MKA,
			want: Media{Format: MKA, Duration: 61.5, HasPicture: true, Tags: Tags{Title: "Container title", Artist: "S"}},
		},
		"wma cover as a plain picture stream": {
			json: `{"streams":[{"codec_type":"audio","codec_name":"wmav2"},{"codec_type":"video","codec_name":"mjpeg","disposition":{"attached_pic":0}}],
				"format":{"format_name":"asf","duration":"3.0","tags":{"WM/AlbumTitle":"ignored","album":"Al","author":"Au"}}}`,
			f:    WMA,
			want: Media{Format: WMA, Duration: 3, HasPicture: true, Tags: Tags{Album: "Al", Artist: "Au"}},
		},
		"mkv video": {
			json: `{"streams":[{"codec_type":"video","codec_name":"h264","width":1920,"height":1080},{"codec_type":"audio","codec_name":"aac"}],
				"format":{"format_name":"matroska,webm","duration":"10"}}`,
			f:    MKV,
			want: Media{Format: MKV, Duration: 10, Video: true, Width: 1920, Height: 1080},
		},
		"mkv without pictures is Matroska audio": {
			json: `{"streams":[{"codec_type":"audio","codec_name":"opus"}],"format":{"duration":"4"}}`,
			f:    MKV,
			want: Media{Format: MKA, Duration: 4},
		},
		"no container length: the longest stream": {
			json: `{"streams":[{"codec_type":"audio","duration":"2.5"},{"codec_type":"audio","duration":"3.25"},{"codec_type":"data","duration":"99"}],
				"format":{"duration":"N/A"}}`,
			f:    AC3,
			want: Media{Format: AC3, Duration: 3.25},
		},
		"impossible numbers": {
			json: `{"streams":[{"codec_type":"audio"}],"format":{"duration":"-4","tags":{"track":"x/-3","date":"19"}}}`,
			f:    AAC,
			want: Media{Format: AAC},
		},
		"no audio":         {json: `{"streams":[{"codec_type":"subtitle"}],"format":{}}`, f: MKA, err: ErrBadMedia},
		"no streams":       {json: `{}`, f: WMA, err: ErrBadMedia},
		"not JSON":         {json: `{"streams":`, f: WMA, err: ErrCorrupt},
		"tags not strings": {json: `{"streams":[{"codec_type":"audio"}],"format":{"tags":{"title":5}}}`, f: WMA, err: ErrCorrupt},
	}
	for name, tt := range tests {
		got, err := ParseFFprobe([]byte(tt.json), tt.f)
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("%s: ParseFFprobe error = %v, want %v", name, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s: ParseFFprobe = %+v, %v; want %+v", name, got, err, tt.want)
		}
	}
}

// TestLastOutTime reads the length from an ffmpeg -progress report.
func TestLastOutTime(t *testing.T) {
	report := "out_time_us=1000\nprogress=continue\nout_time_us=N/A\nout_time_us=5038730\nprogress=end\n"
	if d, err := lastOutTime([]byte(report)); err != nil || math.Abs(d-5.03873) > 1e-9 {
		t.Errorf("lastOutTime = %v, %v; want 5.03873", d, err)
	}
	if _, err := lastOutTime([]byte("progress=end\n")); err == nil {
		t.Error("lastOutTime of a report without times: no error")
	}
}

// TestFirstError keeps ffmpeg's reason without its prefixes.
func TestFirstError(t *testing.T) {
	tests := map[string]string{
		"file:/music/a b: c.wma: Invalid data found when processing input\n": "Invalid data found when processing input",
		"[mp3 @ 0x55d] Failed to read frame size\nmore\n":                    "Failed to read frame size",
		"\n\n": "exit status 1",
	}
	for in, want := range tests {
		if got := firstError([]byte(in), errors.New("exit status 1")); got != want {
			t.Errorf("firstError(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestToolsMissing checks that Tools without programs refuse to run.
func TestToolsMissing(t *testing.T) {
	if _, err := (Tools{}).Probe(t.Context(), Input{DiskPath: "/nonexistent"}, WMA); !errors.Is(err, ErrNoFFmpeg) {
		t.Errorf("Probe without tools: %v, want ErrNoFFmpeg", err)
	}
	if _, err := (Tools{}).Picture(t.Context(), Input{DiskPath: "/nonexistent"}); !errors.Is(err, ErrNoFFmpeg) {
		t.Errorf("Picture without tools: %v, want ErrNoFFmpeg", err)
	}
	if _, err := exec.LookPath("ffprobe"); err == nil {
		if got := FindTools(); !strings.HasSuffix(got.FFprobe, "ffprobe") || !got.Available() {
			t.Errorf("FindTools = %+v, want the installed ffprobe and ffmpeg", got)
		}
	}
}

// FuzzParseFFprobe feeds ParseFFprobe real ffprobe reports and mutations
// of them: it must not panic, and what it returns must be sane (a length
// that is a finite number of seconds, a picture size only for videos).
func FuzzParseFFprobe(f *testing.F) {
	for _, seed := range []string{
		`{"streams":[{"codec_type":"audio","codec_name":"wavpack","duration":"5.000000"}],"format":{"format_name":"wv","duration":"5.000000","tags":{"title":"T","track":"3/12"}}}`,
		`{"streams":[{"codec_type":"video","codec_name":"h264","width":320,"height":180},{"codec_type":"audio"}],"format":{"duration":"2"}}`,
		`{"streams":[{"codec_type":"audio","tags":{"TITLE":"x"}},{"codec_type":"video","codec_name":"mjpeg","disposition":{"attached_pic":1}}],"format":{"duration":"N/A"}}`,
		`{}`, `[]`, `null`,
	} {
		f.Add([]byte(seed), uint8(0))
	}
	formats := []Format{WMA, MKA, MKV, AVI, AAC, WebM, DSF}
	f.Fuzz(func(t *testing.T, data []byte, fi uint8) {
		m, err := ParseFFprobe(data, formats[int(fi)%len(formats)])
		if err != nil {
			return
		}
		if math.IsNaN(m.Duration) || math.IsInf(m.Duration, 0) || m.Duration < 0 {
			t.Errorf("duration %v", m.Duration)
		}
		if !m.Video && (m.Width != 0 || m.Height != 0) {
			t.Errorf("audio with a picture size %dx%d", m.Width, m.Height)
		}
		if g := m.Tags; g.Track < 0 || g.TrackTotal < 0 || g.Disc < 0 || g.DiscTotal < 0 || g.Year < 0 {
			t.Errorf("negative numbers in %+v", m.Tags)
		}
	})
}
