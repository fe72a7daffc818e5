package probe

import (
	"encoding/binary"
	"fmt"
	"io"
)

// MP4Remux describes an MPEG-4 file that carries the MP3 frames of a file
// unchanged: Header (the boxes ftyp and moov, and the mdat box's header),
// followed by the file's bytes [From, To), which the mdat box holds.
type MP4Remux struct {
	// Header is the MPEG-4 file's first bytes.
	Header []byte
	// From and To are the byte range of the MP3 file, from its first
	// frame to the end of its last complete frame, that follows Header.
	From, To int64
}

// Size returns the length in bytes of the MPEG-4 file.
func (m MP4Remux) Size() int64 { return int64(len(m.Header)) + m.To - m.From }

// MP3AsMP4 reads the MP3 file r of size bytes and, when it is a
// variable-bit-rate MPEG Layer III stream, returns an MPEG-4 file that
// holds the same audio frames with a sample table (one sample per frame:
// its offset, size and 1152 or 576 samples of duration) and reports true.
// Without a seek table a player can only turn a time into a byte offset
// by the bit rate of the frames it has seen and lands seconds off
// (Chromium: 14 s early on a seek to 72 s in the web tests' chirp), and
// guesses the length (Firefox: 104 s for 90 s). A Xing table of contents
// does not help Firefox, whose MP3 demuxer labels a position by its byte
// offset over the average frame length (8.4 s late on the same seek, with
// or without the table); an MPEG-4 sample table is exact in every engine.
// MP3 in MPEG-4 is objectTypeIndication 0x6B (ISO/IEC 14496-1 table 5, as
// ffmpeg's mp4 muxer writes it).
//
// A Xing, Info or VBRI header frame holds no audio and is left out. When
// the Xing header is followed by a LAME tag (see [lameGap]), the MPEG-4
// file gets an edit list that plays the samples [delay + 529, total −
// padding): the encoder's delay plus the decoder's 529-sample delay are
// skipped at the start and the padding at the end, as ffmpeg's MP3
// demuxer does and as gapless playback needs.
//
// The frame index comes from walking every frame header as [mp3Duration]
// does (the whole file is read, no audio decoded). It reports false, with
// no error, for constant bit rate (with or without an Info header), other
// layers, and files whose MPEG-4 would need 64-bit offsets or durations
// (over 4 GiB, or 2^32 samples); errors wrap [ErrBadMedia] or are r's own.
func MP3AsMP4(r io.ReadSeeker, size int64) (MP4Remux, bool, error) {
	if size <= 0 {
		return MP4Remux{}, false, fmt.Errorf("%w: empty file", ErrBadMedia)
	}
	w := newWindow(r, size)
	defer w.release()
	off, end, h, err := mp3Stream(w)
	if err != nil || h.layer != 3 {
		return MP4Remux{}, false, err
	}
	_, tagged, err := mp3HeaderFrames(w, off, h)
	if err != nil {
		return MP4Remux{}, false, err
	}
	var gap mp4Edit
	if tagged {
		if gap, err = lameGap(w, off, h); err != nil {
			return MP4Remux{}, false, err
		}
		off += int64(h.length) // the header's frame holds no audio
	}
	var (
		sizes  []uint32
		chunks []mp4Chunk // runs of adjacent frames
		first  mpegHeader // the first audio frame's header
		last   int64      // the end of the last frame
		vbr    bool
	)
	n, err := mp3Walk(w, off, end, h.key, func(o int64, fh mpegHeader) {
		if len(sizes) == 0 {
			first, off = fh, o
		}
		sizes = append(sizes, uint32(fh.length))
		if len(chunks) == 0 || o != last {
			chunks = append(chunks, mp4Chunk{off: o})
		}
		chunks[len(chunks)-1].n++
		last = o + int64(fh.length)
		vbr = vbr || fh.bitrate != first.bitrate
	})
	if err != nil || !vbr || n == 0 || last-off > 1<<32-1<<20 || uint64(n)*uint64(h.samples) > 1<<32-1 {
		return MP4Remux{}, false, err
	}
	head := mp4Head(first, sizes, chunks, off, last, gap.fit(uint32(n)*uint32(h.samples)))
	return MP4Remux{Header: head, From: off, To: last}, true, nil
}

// mp4Edit is the part of a track's samples an MPEG-4 edit list plays:
// skip samples from the start, then keep samples (in 1/rate s). The zero
// value is no edit list: all of them.
type mp4Edit struct {
	skip, keep uint32
}

// mp3DecoderDelay is the delay, in samples, of the MPEG Layer III
// decoder's filter bank, which LAME's delay field does not count: 528 + 1
// (ffmpeg's mp3dec.c adds the same to the encoder delay).
const mp3DecoderDelay = 529

// fit returns the edit for a track of total samples: e as it is, but
// keeping no more than the samples after skip, and no edit at all if it
// would keep nothing.
func (e mp4Edit) fit(total uint32) mp4Edit {
	if e == (mp4Edit{}) || e.skip >= total {
		return mp4Edit{}
	}
	e.keep = min(e.keep, total-e.skip)
	return e
}

// lameGap reads the LAME tag after the Xing/Info header in the frame at
// off with header h and returns the edit that trims the encoder delay and
// padding: skip delay + [mp3DecoderDelay], keep frames × samples − delay −
// padding. The tag (http://gabriel.mp3-tech.org/mp3infotag.html) follows
// the Xing fields the flags announce (frame count 4 bytes, byte count 4,
// table of contents 100, quality 4): a 9-byte encoder version, which must
// start with "LAME", "Lavf" or "Lavc" as ffmpeg requires, then at byte 21
// the delay and padding in samples, 12 bits each, big-endian. A frame
// without a frame count or without such a tag gets no edit (zero, nil).
func lameGap(w *window, off int64, h mpegHeader) (mp4Edit, error) {
	side := h.sideInfo()
	at := []int{4 + side}
	if h.crc {
		at = append(at, 6+side)
	}
	for _, p := range at {
		if p+8 > h.length {
			continue
		}
		b, err := w.bytes(off+int64(p), 8)
		if err != nil {
			return mp4Edit{}, err
		}
		if tag := string(b[:4]); tag != "Xing" && tag != "Info" {
			continue
		}
		flags := binary.BigEndian.Uint32(b[4:8])
		if flags&1 == 0 {
			return mp4Edit{}, nil
		}
		lame := p + 8
		for i, n := range []int{4, 4, 100, 4} {
			if flags&(1<<i) != 0 {
				lame += n
			}
		}
		if lame+24 > h.length {
			return mp4Edit{}, nil
		}
		t, err := w.bytes(off+int64(lame), 24)
		if err != nil {
			return mp4Edit{}, err
		}
		if v := string(t[:4]); v != "LAME" && v != "Lavf" && v != "Lavc" {
			return mp4Edit{}, nil
		}
		frames, err := w.bytes(off+int64(p)+8, 4)
		if err != nil {
			return mp4Edit{}, err
		}
		v := uint32(t[21])<<16 | uint32(t[22])<<8 | uint32(t[23])
		delay, padding := v>>12, v&0xfff
		total := uint64(binary.BigEndian.Uint32(frames)) * uint64(h.samples)
		if total <= uint64(delay+padding) || total > 1<<32-1 {
			return mp4Edit{}, nil
		}
		return mp4Edit{skip: delay + mp3DecoderDelay, keep: uint32(total) - delay - padding}, nil
	}
	return mp4Edit{}, nil
}

// mp4Chunk is a run of n adjacent frames starting at off in the MP3 file:
// one MPEG-4 chunk.
type mp4Chunk struct {
	off int64
	n   uint32
}

// mp4Head builds ftyp, moov and the mdat header of [MP3AsMP4]'s file for
// the frames of header h with the given sizes, in chunks, the audio being
// the MP3 file's bytes [from, to), with edit list edit when it is not
// zero (the movie's and track's durations are then what it keeps). Box
// layouts: ISO/IEC 14496-12 sections 4.3 (ftyp), 8.2.2 (mvhd), 8.3.2
// (tkhd), 8.6.5 (edts), 8.6.6 (elst), 8.4.2 (mdhd), 8.4.3 (hdlr),
// 8.4.5.3 (smhd), 8.7.2 (dref), 8.5.2 (stsd, AudioSampleEntry), 8.6.1.2
// (stts), 8.7.4 (stsc), 8.7.3.2 (stsz), 8.7.5 (stco); esds: ISO/IEC
// 14496-14 section 5.6 and 14496-1 sections 7.2.6.5 to 7.2.6.8.
func mp4Head(h mpegHeader, sizes []uint32, chunks []mp4Chunk, from, to int64, edit mp4Edit) []byte {
	frames := uint32(len(sizes))
	dur := frames * uint32(h.samples) // in 1/rate s; < 2^32 for any file under 4 GiB
	shown, edts := dur, []byte(nil)
	if edit != (mp4Edit{}) {
		shown = edit.keep
		edts = mp4Box4("edts", mp4Box4("elst", be(0, 1, edit.keep, edit.skip, 0x10000)))
	}
	channels := uint16(2)
	if h.mono {
		channels = 1
	}
	avg := uint32(float64(to-from) * 8 * float64(h.rate) / float64(dur))
	matrix := be(0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
	esd := mp4Desc(3, cat(be16(1), []byte{0},
		mp4Desc(4, cat([]byte{0x6b, 0x15, 0, 0, 0}, be(320000, avg))), mp4Desc(6, []byte{2})))
	stsd := cat(be(0, 1), mp4Box4("mp4a", cat(make([]byte, 6), be16(1), make([]byte, 8),
		be16(channels), be16(16), make([]byte, 4), be(uint32(h.rate)<<16), mp4Box4("esds", cat(be(0), esd)))))
	var stsc, stco []byte
	for i, c := range chunks {
		if i == 0 || c.n != chunks[i-1].n {
			stsc = append(stsc, be(uint32(i+1), c.n, 1)...)
		}
	}
	stsz := be(0, 0, frames)
	for _, s := range sizes {
		stsz = binary.BigEndian.AppendUint32(stsz, s)
	}
	stbl := func(base int64) []byte {
		stco = be(0, uint32(len(chunks)))
		for _, c := range chunks {
			stco = binary.BigEndian.AppendUint32(stco, uint32(base+c.off-from))
		}
		return mp4Box4("stbl", cat(mp4Box4("stsd", stsd), mp4Box4("stts", be(0, 1, frames, uint32(h.samples))),
			mp4Box4("stsc", cat(be(0, uint32(len(stsc)/12)), stsc)), mp4Box4("stsz", stsz), mp4Box4("stco", stco)))
	}
	moov := func(base int64) []byte {
		minf := mp4Box4("minf", cat(mp4Box4("smhd", be(0, 0)),
			mp4Box4("dinf", mp4Box4("dref", cat(be(0, 1), mp4Box4("url ", be(1))))), stbl(base)))
		mdia := mp4Box4("mdia", cat(mp4Box4("mdhd", cat(be(0, 0, 0, uint32(h.rate), dur), be16(0x55c4), be16(0))),
			mp4Box4("hdlr", cat(be(0, 0), []byte("soun"), make([]byte, 12), []byte("SoundHandler\x00"))), minf))
		tkhd := cat(be(3, 0, 0, 1, 0, shown, 0, 0), be16(0), be16(0), be16(0x100), be16(0), matrix, be(0, 0))
		mvhd := cat(be(0, 0, 0, uint32(h.rate), shown, 0x10000), be16(0x100), make([]byte, 10), matrix, make([]byte, 24), be(2))
		return mp4Box4("moov", cat(mp4Box4("mvhd", mvhd), mp4Box4("trak", cat(mp4Box4("tkhd", tkhd), edts, mdia))))
	}
	ftyp := mp4Box4("ftyp", []byte("M4A \x00\x00\x00\x00M4A mp42isom"))
	// The chunk offsets count from the start of the file, moov included:
	// build it once to learn its size (which the offsets do not change).
	base := int64(len(ftyp) + len(moov(0)) + 8)
	mdat := be(uint32(8+to-from), 0)
	copy(mdat[4:], "mdat")
	return cat(ftyp, moov(base), mdat)
}

// mp4Box4 returns a box of type typ (4 characters) around body.
func mp4Box4(typ string, body []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(8+len(body)))
	return append(append(b, typ...), body...)
}

// mp4Desc returns an MPEG-4 descriptor (ISO/IEC 14496-1 section 8.3.3)
// with tag and body, its length in one byte (bodies here are short).
func mp4Desc(tag byte, body []byte) []byte {
	return append([]byte{tag, byte(len(body))}, body...)
}

// be returns each value as 4 big-endian bytes, one after the other.
func be(vs ...uint32) []byte {
	b := make([]byte, 0, 4*len(vs))
	for _, v := range vs {
		b = binary.BigEndian.AppendUint32(b, v)
	}
	return b
}

// be16 returns v as 2 big-endian bytes.
func be16(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }

// cat joins byte slices.
func cat(parts ...[]byte) []byte {
	var n int
	for _, p := range parts {
		n += len(p)
	}
	b := make([]byte, 0, n)
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}
