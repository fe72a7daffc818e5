package transcode

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"earshot/player/probe"
)

// The data-saver MP3: MPEG-1 Layer III (ISO/IEC 11172-3) at a constant
// bit rate (128 kbit/s unless asked otherwise) and 48 kHz, stereo, made by
// LAME (ffmpeg's libmp3lame) without its bit reservoir. At 48 kHz a frame
// is 144 × bitRate / 48000 bytes, a whole number for every MPEG-1 bit
// rate (384 bytes at 128 kbit/s), so no frame is ever padded; and without
// the reservoir no frame borrows bits from the one before: frame k is
// bytes [size·k, size·(k+1)) and any of them can be made by an encode
// started near it. There is no ID3 tag and no Xing frame, so the file is
// only frames, and its length is known from the track's duration.
const (
	// MP3BitRate is the data-saver MP3's default bit rate in bit/s.
	MP3BitRate = 128000
	// MP3Rate is its sample rate in Hz.
	MP3Rate = 48000
	// MP3FrameBytes is the size in bytes of each frame at [MP3BitRate].
	MP3FrameBytes = 144 * MP3BitRate / MP3Rate
	// mp3FrameSamples is the number of samples a Layer III frame holds.
	mp3FrameSamples = 1152
)

// mp3BitRates are the bit rates of MPEG-1 Layer III in bit/s, in the
// order of the header's bitrate_index 1 to 14 (ISO/IEC 11172-3,
// 2.4.2.3).
func mp3BitRates() [14]int {
	return [14]int{32000, 40000, 48000, 56000, 64000, 80000, 96000, 112000, 128000, 160000, 192000, 224000,
		256000, 320000}
}

// MP3BitRateAtMost returns the highest MPEG-1 Layer III bit rate, in
// bit/s, that is at most max bit/s: 32000 to 320000 (when max is below
// 32000, 32000, the lowest there is).
func MP3BitRateAtMost(max int) int {
	rates := mp3BitRates()
	pick := rates[0]
	for _, r := range rates {
		if r <= max {
			pick = r
		}
	}
	return pick
}

// MP3FrameSize returns the size in bytes of a frame of the data-saver MP3
// at bitRate bit/s (one of MPEG-1's, see [MP3BitRateAtMost]).
func MP3FrameSize(bitRate int) int64 { return int64(144 * bitRate / MP3Rate) }

// mp3BitRateIndex returns bitRate's bitrate_index (1 to 14), 0 when it is
// not an MPEG-1 Layer III bit rate.
func mp3BitRateIndex(bitRate int) int {
	for i, r := range mp3BitRates() {
		if r == bitRate {
			return i + 1
		}
	}
	return 0
}

// MP3Layout returns the [Layout] of the data-saver MP3 at [MP3BitRate] of
// seconds of audio (see [MP3LayoutAt]).
func MP3Layout(seconds float64) Layout { return MP3LayoutAt(seconds, MP3BitRate) }

// MP3LayoutAt returns the [Layout] of the data-saver MP3 at bitRate bit/s
// of seconds of audio: ⌈seconds·48000/1152⌉ + 1 frames of
// [MP3FrameSize] bytes (what ffmpeg's LAME writes for that many samples:
// the last input frame padded, and one more that flushes LAME's delay of
// 1105 samples), with a silent frame as filler.
func MP3LayoutAt(seconds float64, bitRate int) Layout {
	n := int64(max(seconds, 0)*MP3Rate + 0.5)
	return Layout{Unit: MP3FrameSize(bitRate), Units: (n+mp3FrameSamples-1)/mp3FrameSamples + 1,
		Filler: silentMP3Frame(bitRate)}
}

// silentMP3Frame returns one frame of silence in the data-saver shape at
// bitRate: the header LAME writes (sync, MPEG-1 Layer III without CRC,
// the bit rate's index, 48 kHz, unpadded, joint stereo, "original") and
// zeros, whose side information codes no bits at all: every sample is 0.
func silentMP3Frame(bitRate int) []byte {
	f := make([]byte, MP3FrameSize(bitRate))
	copy(f, []byte{0xff, 0xfb, byte(mp3BitRateIndex(bitRate)<<4) | 0x04, 0x64})
	return f
}

// MP3 returns a data-saver MP3 [File] at [MP3BitRate] (see [MP3At]).
func (t *Transcoder) MP3(ctx context.Context, in probe.Input, seconds float64) (*File, error) {
	return t.MP3At(ctx, in, seconds, MP3BitRate)
}

// MP3At returns a data-saver MP3 [File] (see [MP3LayoutAt]) at bitRate
// bit/s of the audio of in (its first audio stream) lasting seconds (the
// library's length). Frame k ≥ 1 is made by an encode started at frame
// k−1's time whose first frame is dropped: that frame only warms the
// encoder up, and the next one then holds the samples frame k of a
// whole-file encode holds. Each encode runs ffmpeg under ctx once a slot
// is free. The caller closes it. It returns [ErrUnavailable] without
// ffmpeg, and an error when bitRate is not one of MPEG-1's (see
// [MP3BitRateAtMost]).
func (t *Transcoder) MP3At(ctx context.Context, in probe.Input, seconds float64, bitRate int) (*File, error) {
	if !t.Available() {
		return nil, ErrUnavailable
	}
	if mp3BitRateIndex(bitRate) == 0 {
		return nil, fmt.Errorf("transcode: %d bit/s is not an MPEG-1 Layer III bit rate", bitRate)
	}
	frame := MP3FrameSize(bitRate)
	return NewFile(ctx, MP3LayoutAt(seconds, bitRate), func(ctx context.Context, unit int64) (io.ReadCloser, error) {
		skip := int64(0)
		if unit > 0 {
			skip = frame
		}
		return t.run(ctx, in, skip, func(input string) []string { return mp3Args(input, unit, bitRate) })
	}), nil
}

// mp3Args returns ffmpeg's arguments (an argv list) to encode the first
// audio stream of the input URL into data-saver MP3 at bitRate bit/s on
// standard output, from frame unit−1's time on (from the start for unit 0).
func mp3Args(input string, unit int64, bitRate int) []string {
	args := []string{"-nostdin", "-hide_banner", "-loglevel", "error"}
	if unit > 1 {
		args = append(args, "-ss", strconv.FormatFloat(float64((unit-1)*mp3FrameSamples)/MP3Rate, 'f', 6, 64))
	}
	return append(args, "-i", input, "-map", "0:a:0", "-vn", "-sn", "-dn",
		"-ac", "2", "-ar", strconv.Itoa(MP3Rate), "-c:a", "libmp3lame", "-b:a", strconv.Itoa(bitRate),
		"-reservoir", "0", "-f", "mp3", "-write_xing", "0", "-id3v2_version", "0", "pipe:1")
}
