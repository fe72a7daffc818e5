package playertest

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// WithFLACCueSheet returns the native FLAC file flac (no ID3v2 tag before
// it, as [Generate] writes) with a CUESHEET metadata block (RFC 9639
// section 8.7) appended to its metadata: one track per start (seconds,
// numbered from 1, each with an INDEX 01 at its offset) and the lead-out
// (170) at the end of the file. The sample rate is the STREAMINFO's.
func WithFLACCueSheet(flac []byte, starts []float64) ([]byte, error) {
	if len(flac) < 4+4+34 || string(flac[:4]) != "fLaC" {
		return nil, fmt.Errorf("not a native FLAC file")
	}
	si := flac[8:]
	rate := int(si[10])<<12 | int(si[11])<<4 | int(si[12])>>4
	total := uint64(si[13]&0x0f)<<32 | uint64(binary.BigEndian.Uint32(si[14:18]))
	// Find the last metadata block, to clear its "last" flag.
	pos, lastAt := 4, -1
	for lastAt < 0 {
		if pos+4 > len(flac) {
			return nil, fmt.Errorf("FLAC metadata cut short")
		}
		n := int(flac[pos+1])<<16 | int(flac[pos+2])<<8 | int(flac[pos+3])
		if flac[pos]&0x80 != 0 {
			lastAt = pos
		}
		pos += 4 + n
	}
	var cs bytes.Buffer
	cs.Write(make([]byte, 128+8))
	cs.WriteByte(0x80) // a CD-DA sheet
	cs.Write(make([]byte, 258))
	cs.WriteByte(byte(len(starts) + 1))
	track := func(offset uint64, number byte, points int) {
		binary.Write(&cs, binary.BigEndian, offset)
		cs.WriteByte(number)
		cs.Write(make([]byte, 12+14))
		cs.WriteByte(byte(points))
		if points > 0 {
			cs.Write(make([]byte, 8)) // INDEX 01 at the track's offset
			cs.Write([]byte{1, 0, 0, 0})
		}
	}
	for i, s := range starts {
		track(uint64(s*float64(rate)+0.5), byte(i+1), 1)
	}
	track(total, 170, 0)
	out := make([]byte, 0, len(flac)+4+cs.Len())
	out = append(out, flac[:pos]...)
	out[lastAt] &^= 0x80
	n := cs.Len()
	out = append(out, 0x80|5, byte(n>>16), byte(n>>8), byte(n))
	out = append(out, cs.Bytes()...)
	return append(out, flac[pos:]...), nil
}
