package probe

import "testing"

// TestFormatOf checks the extension table: every format of issue 11 is
// recognised (case-insensitively), with its media type and whether it is
// read through ffprobe or is a video.
func TestFormatOf(t *testing.T) {
	tests := []struct {
		name    string
		want    Format
		mime    string
		ffprobe bool
		video   bool
	}{
		{"a.mp3", MP3, "audio/mpeg", false, false},
		{"a.FLAC", FLAC, "audio/flac", false, false},
		{"a.ogg", Ogg, "audio/ogg", false, false},
		{"a.opus", Opus, "audio/ogg", false, false},
		{"a.m4a", M4A, "audio/mp4", false, false},
		{"a.wav", WAV, "audio/wav", false, false},
		{"a.webm", WebM, "video/webm", false, true},
		{"a.aiff", AIFF, "audio/aiff", true, false},
		{"a.AIF", AIFF, "audio/aiff", true, false},
		{"a.aifc", AIFF, "audio/aiff", true, false},
		{"a.wma", WMA, "audio/x-ms-wma", true, false},
		{"a.wv", WavPack, "audio/wavpack", true, false},
		{"a.ape", APE, "audio/ape", true, false},
		{"a.mpc", Musepack, "audio/musepack", true, false},
		{"a.tta", TTA, "audio/tta", true, false},
		{"a.ac3", AC3, "audio/ac3", true, false},
		{"a.eac3", EAC3, "audio/eac3", true, false},
		{"a.ec3", EAC3, "audio/eac3", true, false},
		{"a.aac", AAC, "audio/aac", true, false},
		{"a.mp2", MP2, "audio/mpeg", true, false},
		{"a.mka", MKA, "audio/x-matroska", true, false},
		{"a.dsf", DSF, "audio/dsf", true, false},
		{"a.dff", DFF, "audio/dff", true, false},
		{"a.mkv", MKV, "video/x-matroska", true, true},
		{"a.avi", AVI, "video/x-msvideo", true, true},
	}
	for _, tt := range tests {
		f, ok := FormatOf(tt.name)
		if !ok || f != tt.want {
			t.Errorf("FormatOf(%q) = %q, %v; want %q, true", tt.name, f, ok, tt.want)
			continue
		}
		if got := f.MIMEType(); got != tt.mime {
			t.Errorf("%s.MIMEType() = %q, want %q", f, got, tt.mime)
		}
		if got := f.NeedsFFprobe(); got != tt.ffprobe {
			t.Errorf("%s.NeedsFFprobe() = %v, want %v", f, got, tt.ffprobe)
		}
		if got := f.Video(); got != tt.video {
			t.Errorf("%s.Video() = %v, want %v", f, got, tt.video)
		}
	}
	for _, name := range []string{"a.txt", "a.jpg", "mp3", "a.mp3.part"} {
		if f, ok := FormatOf(name); ok {
			t.Errorf("FormatOf(%q) = %q, true; want not a media file", name, f)
		}
	}
}
