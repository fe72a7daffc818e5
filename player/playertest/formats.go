package playertest

import (
	"bytes"
	"encoding/binary"
	"math"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// The kinds of fixture in the formats Earshot reads through ffprobe
// (issue 11), each with the extensions its [Spec.Path] may have.
const (
	// AIFF is 16-bit big-endian PCM AIFF with an ID3v2 chunk; .aiff, .aif.
	AIFF Kind = "aiff"
	// AIFC is 16-bit little-endian PCM ("sowt") AIFF-C with an ID3v2
	// chunk; .aifc.
	AIFC Kind = "aifc"
	// WMA is Windows Media Audio 2 at 128 kbit/s in ASF; .wma.
	WMA Kind = "wma"
	// WavPack is lossless WavPack with an APEv2 tag; .wv.
	WavPack Kind = "wavpack"
	// TTA is True Audio with an ID3 tag; .tta.
	TTA Kind = "tta"
	// AC3 is a raw Dolby Digital stream at 192 kbit/s, 48 kHz; .ac3.
	AC3 Kind = "ac3"
	// EAC3 is a raw Dolby Digital Plus stream at 192 kbit/s; .eac3.
	EAC3 Kind = "eac3"
	// ADTS is a raw AAC-LC stream with ADTS headers, 128 kbit/s; .aac.
	// It has no tags (ADTS carries none).
	ADTS Kind = "adts"
	// MP2 is MPEG-1 Layer II at 192 kbit/s; .mp2. It has no tags.
	MP2 Kind = "mp2"
	// MKA is FLAC in Matroska; .mka.
	MKA Kind = "mka"
	// WebMAudio is Opus in WebM with no picture track; .webm.
	WebMAudio Kind = "webm-audio"
	// MKVVideo is [H264] (with AAC sound) in Matroska; .mkv.
	MKVVideo Kind = "video-mkv"
	// AVIVideo is MPEG-4 Part 2 pictures with MP3 sound in AVI; .avi.
	AVIVideo Kind = "video-avi"
	// Musepack is Musepack SV8 at mpcenc's default quality (--standard,
	// about 180 kbit/s), 44.1 kHz, with an APEv2 tag; .mpc. ffmpeg cannot
	// write it: [Generate] has ffmpeg write a WAV file and the mpcenc
	// program (Debian's musepack-tools) encode it.
	Musepack Kind = "musepack"
)

// DecodedLength returns the length in seconds of file's first audio
// stream as ffmpeg decodes it: the number of samples it decodes (as
// 16-bit mono PCM at the stream's own rate) over the rate. It is what
// `ffmpeg -i F -f null -` plays, to the sample.
func DecodedLength(tb testing.TB, file string) float64 {
	tb.Helper()
	rate, err := strconv.Atoi(strings.TrimSpace(ffprobe(tb, "-select_streams", "a:0", "-show_entries", "stream=sample_rate", "file:"+file)))
	if err != nil || rate <= 0 {
		tb.Fatalf("playertest.DecodedLength(%s): sample rate: %v", file, err)
	}
	cmd := exec.Command(tool(tb, "ffmpeg"), "-v", "error", "-nostdin", "-i", "file:"+file,
		"-map", "0:a:0", "-ac", "1", "-ar", strconv.Itoa(rate), "-f", "s16le", "-c:a", "pcm_s16le", "pipe:1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("playertest.DecodedLength(%s): ffmpeg: %v\n%s", file, err, stderr.Bytes())
	}
	return float64(len(out)/2) / float64(rate)
}

// DSF returns a DSD Stream File (Sony's DSF 1.01): DSD64 (2,822,400 Hz)
// stereo silence lasting seconds, with an ID3v2.3 tag titled title at its
// end. ffmpeg cannot write DSF, so it is made by hand; one second is
// about 700 KB.
func DSF(seconds float64, title string) []byte {
	const rate, block = 2822400, 4096
	samples := uint64(seconds * rate)
	perChannel := (samples + 7) / 8
	blocks := (perChannel + block - 1) / block
	dataLen := blocks * block * 2
	id3 := id3v23Title(title)
	total := 28 + 52 + 12 + dataLen + uint64(len(id3))
	le := binary.LittleEndian
	var b bytes.Buffer
	b.WriteString("DSD ")
	binary.Write(&b, le, uint64(28))
	binary.Write(&b, le, total)
	binary.Write(&b, le, total-uint64(len(id3))) // where the metadata starts
	b.WriteString("fmt ")
	binary.Write(&b, le, uint64(52))
	for _, v := range []uint32{1, 0, 2, 2, rate, 1} { // version, DSD raw, stereo, 2 channels, rate, 1 bit
		binary.Write(&b, le, v)
	}
	binary.Write(&b, le, samples)
	binary.Write(&b, le, uint32(block))
	binary.Write(&b, le, uint32(0))
	b.WriteString("data")
	binary.Write(&b, le, 12+dataLen)
	silence := bytes.Repeat([]byte{0x69}, block) // the DSD idle pattern
	for range blocks * 2 {
		b.Write(silence)
	}
	b.Write(id3)
	return b.Bytes()
}

// DFF returns a DSDIFF file (Philips' "Direct Stream Digital Interchange
// File Format" 1.5): DSD64 (2,822,400 Hz) stereo silence lasting seconds
// (rounded to whole bytes, 8 samples, of each channel), uncompressed,
// with an Edited Master Information chunk (DIIN) whose title (DITI) is
// title. ffmpeg reads DSDIFF but cannot write it, so it is made by hand;
// one second is about 700 KB. Every size is big-endian and 64-bit, and a
// chunk of odd size is followed by a pad byte its size does not count.
func DFF(seconds float64, title string) []byte {
	const rate = 2822400
	perChannel := uint64(math.Round(seconds * rate / 8))
	var prop bytes.Buffer
	prop.WriteString("SND ")
	prop.Write(dffChunk("FS  ", binary.BigEndian.AppendUint32(nil, rate)))
	prop.Write(dffChunk("CHNL", append([]byte{0, 2}, "SLFTSRGT"...)))
	// compressionName is a pstring: a count byte and the text, padded
	// to an even length inside the chunk.
	name := append([]byte{14}, "not compressed\x00"...)
	prop.Write(dffChunk("CMPR", append([]byte("DSD "), name...)))
	text := append(binary.BigEndian.AppendUint32(nil, uint32(len(title))), title...)
	var form bytes.Buffer
	form.WriteString("DSD ")
	form.Write(dffChunk("FVER", []byte{1, 5, 0, 0}))
	form.Write(dffChunk("PROP", prop.Bytes()))
	// The sound data: each byte holds 8 one-bit samples of one channel,
	// the channels' bytes interleaved; 0x69 is the DSD idle pattern.
	form.Write(dffChunk("DSD ", bytes.Repeat([]byte{0x69}, int(perChannel*2))))
	form.Write(dffChunk("DIIN", dffChunk("DITI", text)))
	return dffChunk("FRM8", form.Bytes())
}

// dffChunk returns a DSDIFF chunk: the four-character id, the data's
// length as a big-endian 64-bit number, the data, and a pad byte when the
// length is odd.
func dffChunk(id string, data []byte) []byte {
	b := append([]byte(id), binary.BigEndian.AppendUint64(nil, uint64(len(data)))...)
	b = append(b, data...)
	if len(data)%2 == 1 {
		b = append(b, 0)
	}
	return b
}

// id3v23Title returns an ID3v2.3 tag holding a TIT2 (title) frame in
// ISO-8859-1.
func id3v23Title(title string) []byte {
	frame := append([]byte("TIT2"), 0, 0, 0, 0, 0, 0, 0)
	binary.BigEndian.PutUint32(frame[4:], uint32(1+len(title)))
	frame = append(frame, title...)
	n := len(frame)
	hdr := []byte{'I', 'D', '3', 3, 0, 0, byte(n >> 21 & 0x7f), byte(n >> 14 & 0x7f), byte(n >> 7 & 0x7f), byte(n & 0x7f)}
	return append(hdr, frame...)
}
