package playertest

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"maps"
	"math"
	"slices"
)

// The parameters of the Monkey's Audio files [APE] makes.
const (
	// apeVersion is the file version 3.99, the newest ffmpeg's ape
	// demuxer accepts (its APE_MAX_VERSION).
	apeVersion = 3990
	// apeCompression is the "normal" compression level.
	apeCompression = 2000
	// apeBlocksPerFrame is what Monkey's Audio 3.95 and later write for
	// the levels up to "extra high": 73,728 × 4 blocks (sample frames).
	apeBlocksPerFrame = 73728 * 4
	// apeRate is the sample rate in Hz.
	apeRate = 44100
	// apeCreateWAVHeader is MAC_FORMAT_FLAG_CREATE_WAV_HEADER: no WAV
	// header is stored, the decoder makes one.
	apeCreateWAVHeader = 32
	// apeStereoSilence is the frame flag APE_FRAMECODE_STEREO_SILENCE:
	// every sample of both channels is 0, so no entropy-coded data follows.
	apeStereoSilence = 3
)

// APE returns a Monkey's Audio file, version 3.99 ("normal" compression,
// 16-bit stereo at 44.1 kHz), of silence lasting seconds (rounded to
// whole samples), with an APEv2 tag (Title) at its end. No Debian
// package encodes APE and ffmpeg only decodes it, so it is made by hand:
// every frame is flagged as stereo silence, which a decoder turns into
// the frame's count of zero samples without reading entropy-coded data.
// It is under 200 bytes for a few seconds: 12 bytes a frame of 6.7 s.
//
// The layout is the one ffmpeg's ape demuxer (libavformat/ape.c) and
// decoder (libavcodec/apedec.c) read: a 52-byte descriptor ("MAC ",
// version, the lengths of the parts that follow), a 24-byte header
// (compression, flags, blocks per frame, blocks in the final frame,
// frame count, bits per sample, channels, sample rate), a seek table of
// each frame's file offset, then the frames. The decoder swaps each
// 32-bit word of a frame and reads it big-endian, so a frame's fields are
// little-endian words here: the CRC with bit 31 set to say frame flags
// follow, the flags, and a zero word whose first bytes start the range
// decoder before the silence flag makes it stop. The CRC is what apedec checks at a frame's end:
// the CRC-32 (IEEE) of the decoded 16-bit little-endian samples, shifted
// right by one. Every number is little-endian.
func APE(seconds float64, title string) []byte {
	samples := uint64(math.Round(seconds * apeRate))
	frames := max((samples+apeBlocksPerFrame-1)/apeBlocksPerFrame, 1)
	final := samples - (frames-1)*apeBlocksPerFrame
	const descriptorLen, headerLen, frameLen = 52, 24, 12
	seekLen := 4 * frames
	first := descriptorLen + headerLen + seekLen
	le := binary.LittleEndian
	var b bytes.Buffer
	b.WriteString("MAC ")
	binary.Write(&b, le, uint16(apeVersion))
	binary.Write(&b, le, uint16(0)) // padding
	for _, v := range []uint32{descriptorLen, headerLen, uint32(seekLen), 0, uint32(frames * frameLen), 0, 0} {
		binary.Write(&b, le, v) // …, WAV header, audio data (low, high 32 bits), WAV tail
	}
	b.Write(make([]byte, 16)) // MD5, which ffmpeg does not check
	binary.Write(&b, le, uint16(apeCompression))
	binary.Write(&b, le, uint16(apeCreateWAVHeader))
	for _, v := range []uint32{apeBlocksPerFrame, uint32(final), uint32(frames)} {
		binary.Write(&b, le, v)
	}
	binary.Write(&b, le, uint16(16)) // bits per sample
	binary.Write(&b, le, uint16(2))  // channels
	binary.Write(&b, le, uint32(apeRate))
	for i := range frames {
		binary.Write(&b, le, uint32(first+i*frameLen))
	}
	for i := range frames {
		n := uint64(apeBlocksPerFrame)
		if i == frames-1 {
			n = final
		}
		crc := crc32.ChecksumIEEE(make([]byte, n*2*2)) >> 1
		binary.Write(&b, le, crc|1<<31)
		binary.Write(&b, le, uint32(apeStereoSilence))
		binary.Write(&b, le, uint32(0))
	}
	b.Write(apeV2Tag(map[string]string{"Title": title}))
	return b.Bytes()
}

// apeV2Tag returns an APEv2 tag (header, items, footer) holding items as
// UTF-8 text items, sorted by key. Its 32-byte header and footer are
// "APETAGEX", version 2000, the size of the items and footer, the item
// count and flags (bit 31: the tag has a header; bit 29: this is the
// header), then 8 zero bytes; each item is its value's length, its
// flags (0: UTF-8 text), its key ending in a zero byte, and its value.
func apeV2Tag(items map[string]string) []byte {
	le := binary.LittleEndian
	var body bytes.Buffer
	keys := slices.Sorted(maps.Keys(items))
	for _, k := range keys {
		binary.Write(&body, le, uint32(len(items[k])))
		binary.Write(&body, le, uint32(0))
		body.WriteString(k)
		body.WriteByte(0)
		body.WriteString(items[k])
	}
	edge := func(header bool) []byte {
		var e bytes.Buffer
		e.WriteString("APETAGEX")
		flags := uint32(1 << 31)
		if header {
			flags |= 1 << 29
		}
		for _, v := range []uint32{2000, uint32(body.Len() + 32), uint32(len(keys)), flags, 0, 0} {
			binary.Write(&e, le, v)
		}
		return e.Bytes()
	}
	return append(append(edge(true), body.Bytes()...), edge(false)...)
}
