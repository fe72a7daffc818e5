package transcode

import (
	"context"
	"io"
	"strconv"

	"earshot/player/probe"
)

// The data-saver MP3: MPEG-1 Layer III (ISO/IEC 11172-3) at a constant
// 128 kbit/s and 48 kHz, stereo, made by LAME (ffmpeg's libmp3lame)
// without its bit reservoir. At 48 kHz a 128 kbit/s frame is
// 144 × 128000 / 48000 = 384 bytes exactly, never padded, and without
// the reservoir no frame borrows bits from the one before: frame k is
// bytes [384k, 384k+384) and any of them can be made by an encode started
// near it. There is no ID3 tag and no Xing frame, so the file is only
// frames, and its length is known from the track's duration.
const (
	// MP3BitRate is the data-saver MP3's bit rate in bit/s.
	MP3BitRate = 128000
	// MP3Rate is its sample rate in Hz.
	MP3Rate = 48000
	// MP3FrameBytes is the size in bytes of each of its frames.
	MP3FrameBytes = 144 * MP3BitRate / MP3Rate
	// mp3FrameSamples is the number of samples a Layer III frame holds.
	mp3FrameSamples = 1152
)

// MP3Layout returns the [Layout] of the data-saver MP3 of seconds of
// audio: ⌈seconds·48000/1152⌉ + 1 frames of [MP3FrameBytes] bytes (what
// ffmpeg's LAME writes for that many samples: the last input frame padded,
// and one more that flushes LAME's delay of 1105 samples), with a silent
// frame as filler.
func MP3Layout(seconds float64) Layout {
	n := int64(max(seconds, 0)*MP3Rate + 0.5)
	return Layout{Unit: MP3FrameBytes, Units: (n+mp3FrameSamples-1)/mp3FrameSamples + 1, Filler: silentMP3Frame()}
}

// silentMP3Frame returns one frame of silence in the data-saver shape: the
// header LAME writes (sync, MPEG-1 Layer III without CRC, 128 kbit/s,
// 48 kHz, unpadded, joint stereo, "original") and zeros, whose side
// information codes no bits at all: every sample is 0.
func silentMP3Frame() []byte {
	f := make([]byte, MP3FrameBytes)
	copy(f, []byte{0xff, 0xfb, 0x94, 0x64})
	return f
}

// MP3 returns a data-saver MP3 [File] (see [MP3Layout]) of the audio of
// in (its first audio stream) lasting seconds (the library's length).
// Frame k ≥ 1 is made by an encode started at frame k−1's time whose first
// frame is dropped: that frame only warms the encoder up, and the next
// one then holds the samples frame k of a whole-file encode holds. Each
// encode runs ffmpeg under ctx once a slot is free. The caller closes it.
// It returns [ErrUnavailable] without ffmpeg.
func (t *Transcoder) MP3(ctx context.Context, in probe.Input, seconds float64) (*File, error) {
	if !t.Available() {
		return nil, ErrUnavailable
	}
	return NewFile(ctx, MP3Layout(seconds), func(ctx context.Context, unit int64) (io.ReadCloser, error) {
		skip := int64(0)
		if unit > 0 {
			skip = MP3FrameBytes
		}
		return t.run(ctx, in, skip, func(input string) []string { return mp3Args(input, unit) })
	}), nil
}

// mp3Args returns ffmpeg's arguments (an argv list) to encode the first
// audio stream of the input URL into data-saver MP3 on standard output,
// from frame unit−1's time on (from the start for unit 0).
func mp3Args(input string, unit int64) []string {
	args := []string{"-nostdin", "-hide_banner", "-loglevel", "error"}
	if unit > 1 {
		args = append(args, "-ss", strconv.FormatFloat(float64((unit-1)*mp3FrameSamples)/MP3Rate, 'f', 6, 64))
	}
	return append(args, "-i", input, "-map", "0:a:0", "-vn", "-sn", "-dn",
		"-ac", "2", "-ar", strconv.Itoa(MP3Rate), "-c:a", "libmp3lame", "-b:a", strconv.Itoa(MP3BitRate),
		"-reservoir", "0", "-f", "mp3", "-write_xing", "0", "-id3v2_version", "0", "pipe:1")
}
