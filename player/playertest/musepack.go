package playertest

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// apeKey returns the APEv2 item key for an ffmpeg -metadata key of a
// [Spec]: the names mpcenc's own options write and readers (ffmpeg's
// included) expect; any other key is kept as it is.
func apeKey(key string) string {
	switch key {
	case "title", "artist", "album", "genre", "track", "disc":
		return strings.ToUpper(key[:1]) + key[1:]
	case "album_artist":
		return "Album Artist"
	case "date":
		return "Year"
	}
	return key
}

// generateMusepack writes s as Musepack SV8 at out, secs seconds long: ffmpeg
// writes the recording as 16-bit stereo WAV at 44.1 kHz into a temporary
// folder, and mpcenc encodes that with s.Tags as APEv2 items (--tag
// Key=value, keys as [apeKey] names them). Both run from argument lists,
// never through a shell.
func (s Spec) generateMusepack(p programs, src, out string, secs float64) error {
	tmp, err := os.MkdirTemp("", "playertest-mpc-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	wav := filepath.Join(tmp, "in.wav")
	err = run(p.ffmpeg, s.Path, []string{"-v", "error", "-nostdin", "-y", "-stream_loop", "-1", "-i", src,
		"-t", strconv.FormatFloat(secs, 'f', -1, 64), "-map", "0:a", "-map_metadata", "-1",
		"-ar", kinds[s.Kind].rate, "-ac", "2", "-c:a", "pcm_s16le", wav})
	if err != nil {
		return err
	}
	args := []string{"--silent", "--overwrite"}
	for _, kv := range s.metadata(kinds[s.Kind]) {
		key, v, _ := strings.Cut(kv, "=")
		args = append(args, "--tag", apeKey(key)+"="+v)
	}
	return run(p.mpcenc, s.Path, append(args, wav, out))
}
