package playertest

import (
	"bytes"
	"encoding/binary"
)

// WAV returns a valid PCM WAV file (mono, 16-bit, 8,000 Hz, so 16,000 bytes
// a second) whose data chunk holds n bytes of a repeating pattern that makes
// every byte range distinguishable. It needs no ffmpeg and suits tests over
// [testing/fstest.MapFS].
func WAV(n int) []byte {
	var b bytes.Buffer
	le := binary.LittleEndian
	b.WriteString("RIFF")
	binary.Write(&b, le, uint32(36+n))
	b.WriteString("WAVEfmt ")
	binary.Write(&b, le, uint32(16))
	binary.Write(&b, le, uint16(1))     // PCM
	binary.Write(&b, le, uint16(1))     // mono
	binary.Write(&b, le, uint32(8000))  // sample rate
	binary.Write(&b, le, uint32(16000)) // byte rate
	binary.Write(&b, le, uint16(2))     // block align
	binary.Write(&b, le, uint16(16))    // bits per sample
	b.WriteString("data")
	binary.Write(&b, le, uint32(n))
	for i := range n {
		b.WriteByte(byte(i * 7))
	}
	return b.Bytes()
}
