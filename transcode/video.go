package transcode

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"time"

	"earshot/player/probe"
)

// Videos in Matroska (.mkv) and AVI, which no browser plays as they are,
// reach the page as MPEG-4 made by ffmpeg into the disk cache: the
// streams a browser decodes in MP4 (H.264 pictures; AAC or MP3 sound) are
// copied as they are (a remux, about as fast as the disk), the others are
// transcoded (pictures to H.264, sound to AAC). The file is made whole
// before it is served, so that it seeks like any file from its first
// answer; a remux of a film takes seconds, a transcode about its length
// divided by how many times faster than real time ffmpeg runs.

// NeedsMP4 reports whether a video of format f is served as MPEG-4 made by
// [Transcoder.MP4] rather than as its own bytes.
func NeedsMP4(f probe.Format) bool { return f == probe.MKV || f == probe.AVI }

// VideoStreams names the codecs of a video file's first video and audio
// streams as ffprobe does ("h264", "mpeg4", "aac", "mp3", …; "" when the
// file has no such stream).
type VideoStreams struct {
	Video, Audio string
}

// videoTimeout bounds one MP4 remux or transcode.
const videoTimeout = 2 * time.Hour

// ProbeVideo returns the codecs of in's first video and audio streams. It
// returns [ErrUnavailable] without ffprobe and an error wrapping
// [probe.ErrCorrupt] for a file ffprobe cannot read.
func (t *Transcoder) ProbeVideo(ctx context.Context, in probe.Input) (VideoStreams, error) {
	if !t.Available() {
		return VideoStreams{}, ErrUnavailable
	}
	out, err := t.ffprobe(ctx, in, "-show_entries", "stream=codec_type,codec_name")
	if err != nil {
		return VideoStreams{}, err
	}
	var report struct {
		Streams []struct {
			Type string `json:"codec_type"`
			Name string `json:"codec_name"`
		} `json:"streams"`
	}
	if err := json.NewDecoder(bytes.NewReader(out)).Decode(&report); err != nil {
		return VideoStreams{}, fmt.Errorf("%w: ffprobe report: %v", probe.ErrCorrupt, err)
	}
	var v VideoStreams
	for _, s := range report.Streams {
		switch {
		case s.Type == "video" && v.Video == "" && s.Name != "mjpeg" && s.Name != "png":
			v.Video = s.Name // an attached cover is not the picture
		case s.Type == "audio" && v.Audio == "":
			v.Audio = s.Name
		}
	}
	if v.Video == "" {
		return v, fmt.Errorf("%w: no video stream", probe.ErrCorrupt)
	}
	return v, nil
}

// mp4Args returns ffmpeg's arguments (an argv list) to make the MPEG-4
// file out of the input URL whose streams are v: H.264 copied, else
// transcoded (x264 "veryfast", CRF 23, 8-bit 4:2:0 that every browser
// decodes); AAC or MP3 sound copied, else AAC at 160 kbit/s stereo; the
// index at the front (+faststart), so a browser starts without asking for
// the file's end.
func mp4Args(input, out string, v VideoStreams) []string {
	args := []string{"-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", input, "-map", "0:v:0", "-map", "0:a:0?", "-sn", "-dn"}
	if v.Video == "h264" {
		args = append(args, "-c:v", "copy")
	} else {
		args = append(args, "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p")
	}
	switch v.Audio {
	case "aac", "mp3":
		args = append(args, "-c:a", "copy")
	case "":
	default:
		args = append(args, "-c:a", "aac", "-b:a", "160k", "-ac", "2")
	}
	return append(args, "-movflags", "+faststart", "-f", "mp4", "file:"+out)
}

// MP4 makes at the path out the MPEG-4 file of the video in, whose
// streams are v (see [Transcoder.ProbeVideo]), with ffmpeg under ctx (at
// most 2 hours) once a slot is free; the slot is not given away while it
// runs. It returns [ErrUnavailable] without ffmpeg and ffmpeg's first line
// of error output when it fails; out is then incomplete, for the caller to
// remove.
func (t *Transcoder) MP4(ctx context.Context, in probe.Input, v VideoStreams, out string) error {
	if !t.Available() {
		return ErrUnavailable
	}
	input, stdin, err := openInput(in)
	if err != nil {
		return err
	}
	defer closeIf(stdin)
	if err := t.acquire(ctx); err != nil {
		return err
	}
	defer t.release(nil)
	ctx, cancel := context.WithTimeout(ctx, videoTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, t.tools.FFmpeg, mp4Args(input, out, v)...)
	cmd.WaitDelay = time.Second
	if stdin != nil {
		cmd.Stdin = stdin
	}
	var stderr tailBuffer
	cmd.Stderr = &stderr
	t.started.Add(1)
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("transcode: ffmpeg: %s", stderr.firstLine(err))
	}
	return nil
}
