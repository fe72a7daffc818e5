package probe

import (
	"encoding/binary"
	"fmt"
)

// wavMaxChunks bounds how many chunks [wavDuration] walks.
const wavMaxChunks = 1 << 12

// WAVE format codes (Microsoft, "Multimedia Programming Interface and Data
// Specifications 1.0", and mmreg.h) for which one block is one sample frame.
const (
	wavePCM        = 0x0001
	waveIEEEFloat  = 0x0003
	waveALaw       = 0x0006
	waveMuLaw      = 0x0007
	waveExtensible = 0xfffe
)

// wavFmt is the part of a WAVEFORMATEX "fmt " chunk a duration needs.
type wavFmt struct {
	tag        uint16 // format code; for WAVE_FORMAT_EXTENSIBLE, the SubFormat's
	rate       uint32 // sample frames per second
	byteRate   uint32 // average bytes per second
	blockAlign uint16 // bytes per block (per sample frame for PCM)
}

// wavDuration returns the length of a RIFF WAVE file (Microsoft, "Multimedia
// Programming Interface and Data Specifications 1.0", 1991, and the
// WAVE_FORMAT_EXTENSIBLE note of 2001). It walks the chunks after the
// "RIFF" size "WAVE" header, each an ID, a 32-bit little-endian size and a
// body padded to an even length, reading "fmt " (format code, channels,
// sample rate, average byte rate, block align; for WAVE_FORMAT_EXTENSIBLE
// the real format code is the first 2 bytes of the SubFormat GUID at offset
// 24), "fact" (sample frames, for compressed formats) and "data". For PCM,
// float and G.711 data the length is data bytes / (block align × rate), as
// ffprobe computes it; for other codecs it is the fact chunk's frame count
// / rate, or failing that data bytes / average byte rate.
//
// RF64 and BW64 files (EBU Tech 3306, ITU-R BS.2088) are read too: their
// "ds64" chunk holds the 64-bit data size that a data chunk size of
// 0xFFFFFFFF stands for. A data size of 0 or 0xFFFFFFFF without ds64, as
// streaming writers leave it, means the data runs to the end of the file; a
// data chunk that runs past the end of the file is an error.
func wavDuration(w *window) (float64, error) {
	b, err := w.bytes(0, 12)
	if err != nil {
		return 0, err
	}
	riff := string(b[:4])
	if riff != "RIFF" && riff != "RF64" && riff != "BW64" || string(b[8:12]) != "WAVE" {
		return 0, fmt.Errorf("%w: no RIFF WAVE header", ErrBadMedia)
	}
	var (
		format           wavFmt
		haveFmt, hasData bool
		ds64, fact       uint64
		dataSize         uint64
	)
	off := int64(12)
	for n := 0; off+8 <= w.size && !(haveFmt && hasData); n++ {
		if n == wavMaxChunks {
			return 0, fmt.Errorf("%w: more than %d chunks", ErrBadMedia, wavMaxChunks)
		}
		b, err := w.bytes(off, 8)
		if err != nil {
			return 0, err
		}
		id := string(b[:4])
		size := int64(binary.LittleEndian.Uint32(b[4:8]))
		body := off + 8
		rest := w.size - body
		switch id {
		case "ds64":
			// riffSize, dataSize, sampleCount (64 bits each), table...
			if size < 24 || rest < 24 {
				return 0, fmt.Errorf("%w: short ds64 chunk", ErrBadMedia)
			}
			b, err := w.bytes(body+8, 8)
			if err != nil {
				return 0, err
			}
			ds64 = binary.LittleEndian.Uint64(b)
		case "fmt ":
			if format, err = readWAVFmt(w, body, min(size, rest)); err != nil {
				return 0, err
			}
			haveFmt = true
		case "fact":
			if size >= 4 && rest >= 4 {
				b, err := w.bytes(body, 4)
				if err != nil {
					return 0, err
				}
				fact = uint64(binary.LittleEndian.Uint32(b))
			}
		case "data":
			hasData = true
			switch {
			case size == 0xffffffff && ds64 > 0:
				dataSize = ds64
			case size == 0xffffffff || size == 0:
				dataSize = uint64(rest)
			default:
				dataSize = uint64(size)
			}
			if dataSize > uint64(rest) {
				return 0, fmt.Errorf("%w: data chunk of %d bytes, only %d in file", ErrBadMedia, dataSize, rest)
			}
			size = int64(dataSize)
		}
		off = body + size + size&1
	}
	switch {
	case !haveFmt:
		return 0, fmt.Errorf("%w: no fmt chunk", ErrBadMedia)
	case !hasData:
		return 0, fmt.Errorf("%w: no data chunk", ErrBadMedia)
	}
	return wavLength(format, dataSize, fact)
}

// readWAVFmt reads the fmt chunk whose body of n bytes starts at off: the
// format tag (the sub-format's, for WAVE_FORMAT_EXTENSIBLE), sample rate,
// byte rate and block alignment.
func readWAVFmt(w *window, off, n int64) (wavFmt, error) {
	if n < 16 {
		return wavFmt{}, fmt.Errorf("%w: short fmt chunk", ErrBadMedia)
	}
	b, err := w.bytes(off, int(min(n, 40)))
	if err != nil {
		return wavFmt{}, err
	}
	format := wavFmt{
		tag:        binary.LittleEndian.Uint16(b[0:2]),
		rate:       binary.LittleEndian.Uint32(b[4:8]),
		byteRate:   binary.LittleEndian.Uint32(b[8:12]),
		blockAlign: binary.LittleEndian.Uint16(b[12:14]),
	}
	if format.tag == waveExtensible {
		if len(b) < 40 {
			return wavFmt{}, fmt.Errorf("%w: short WAVE_FORMAT_EXTENSIBLE chunk", ErrBadMedia)
		}
		format.tag = binary.LittleEndian.Uint16(b[24:26])
	}
	return format, nil
}

// wavLength returns the playing time in seconds of dataSize bytes of audio
// in format: by whole blocks for PCM and the like, else from the fact
// chunk's sample count when there is one, else from the byte rate.
func wavLength(format wavFmt, dataSize, fact uint64) (float64, error) {
	if format.rate == 0 {
		return 0, fmt.Errorf("%w: sample rate 0", ErrBadMedia)
	}
	switch format.tag {
	case wavePCM, waveIEEEFloat, waveALaw, waveMuLaw:
		if format.blockAlign == 0 {
			return 0, fmt.Errorf("%w: block align 0", ErrBadMedia)
		}
		return float64(dataSize/uint64(format.blockAlign)) / float64(format.rate), nil
	}
	if fact > 0 {
		return float64(fact) / float64(format.rate), nil
	}
	if format.byteRate == 0 {
		return 0, fmt.Errorf("%w: byte rate 0", ErrBadMedia)
	}
	return float64(dataSize) / float64(format.byteRate), nil
}
