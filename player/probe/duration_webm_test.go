package probe

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"testing"

	"earshot/player/playertest"
)

// webmID returns an element ID's bytes: the ID as written, marker bits
// included, without leading zero bytes.
func webmID(id uint32) []byte {
	b := binary.BigEndian.AppendUint32(nil, id)
	for len(b) > 1 && b[0] == 0 {
		b = b[1:]
	}
	return b
}

// webmEl returns an element with the given ID and body, its size written
// as an 8-byte variable-length integer (0x01 then 7 bytes).
func webmEl(id uint32, body ...[]byte) []byte {
	data := bytes.Join(body, nil)
	size := binary.BigEndian.AppendUint64(nil, uint64(len(data)))
	size[0] = 0x01
	return durCat(webmID(id), size, data)
}

// webmUnknown returns an element of unknown size (all size bits set).
func webmUnknown(id uint32, body ...[]byte) []byte {
	return durCat(webmID(id), []byte{0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, bytes.Join(body, nil))
}

func webmUint(id uint32, v uint64) []byte {
	return durCat(webmID(id), []byte{0x88}, binary.BigEndian.AppendUint64(nil, v))
}

func webmFloat64(id uint32, v float64) []byte {
	return durCat(webmID(id), []byte{0x88}, binary.BigEndian.AppendUint64(nil, math.Float64bits(v)))
}

func webmFloat32(id uint32, v float32) []byte {
	return durCat(webmID(id), []byte{0x84}, binary.BigEndian.AppendUint32(nil, math.Float32bits(v)))
}

// webmHead is an EBML header with DocType "webm".
var webmHead = webmEl(ebmlHeaderID, webmID(0x4282), []byte{0x84}, []byte("webm"))

// webmTracks is a Tracks element with an audio track, then a 640×360
// video track.
var webmTracks = webmEl(ebmlTracksID,
	webmEl(ebmlTrackEntryID, webmUint(ebmlTrackTypeID, 2)),
	webmEl(ebmlTrackEntryID, webmEl(ebmlVideoID, webmUint(ebmlPixelWidth, 640), webmUint(ebmlPixelHeight, 360)), webmUint(ebmlTrackTypeID, 1)))

// webmCluster stands for the media data.
var webmCluster = webmEl(ebmlClusterID, webmUint(0xE7, 0), bytes.Repeat([]byte{0xA3}, 64))

// webmCase is a hand-made WebM file and what readVideoInfo must make of
// it: the info, or an error wrapping ErrBadMedia.
type webmCase struct {
	name string
	data []byte
	want videoInfo
	bad  bool
}

// webmCases are the hand-made WebM files of TestWebMVideo, which also seed
// FuzzReadDuration.
func webmCases() []webmCase {
	info := webmEl(ebmlInfoID, webmUint(ebmlTimescaleID, 1_000_000), webmFloat64(ebmlDurationID, 12345))
	full := durCat(webmHead, webmEl(ebmlSegmentID, webmEl(0x114D9B74), info, webmTracks, webmCluster))
	sized := videoInfo{video: true, dur: 12.345, width: 640, height: 360}
	return []webmCase{
		{name: "full", data: full, want: sized},
		{name: "float32 duration, microsecond ticks", data: durCat(webmHead, webmEl(ebmlSegmentID,
			webmEl(ebmlInfoID, webmFloat32(ebmlDurationID, 2_500_000), webmUint(ebmlTimescaleID, 1000)), webmTracks)),
			want: videoInfo{video: true, dur: 2.5, width: 640, height: 360}},
		{name: "default timestamp scale", data: durCat(webmHead, webmEl(ebmlSegmentID,
			webmEl(ebmlInfoID, webmFloat64(ebmlDurationID, 1500)), webmTracks)),
			want: videoInfo{video: true, dur: 1.5, width: 640, height: 360}},
		{name: "missing Duration (a live recording)", data: durCat(webmHead, webmEl(ebmlSegmentID,
			webmEl(ebmlInfoID, webmUint(ebmlTimescaleID, 1_000_000)), webmTracks, webmCluster)),
			want: videoInfo{video: true, width: 640, height: 360}},
		{name: "unknown-size segment and clusters", data: durCat(webmHead, webmUnknown(ebmlSegmentID, info, webmTracks, webmUnknown(ebmlClusterID, webmUint(0xE7, 0)))),
			want: sized},
		{name: "Info after Tracks", data: durCat(webmHead, webmEl(ebmlSegmentID, webmTracks, info, webmCluster)), want: sized},
		{name: "audio only", data: durCat(webmHead, webmEl(ebmlSegmentID, info,
			webmEl(ebmlTracksID, webmEl(ebmlTrackEntryID, webmUint(ebmlTrackTypeID, 2))))),
			want: videoInfo{video: true, dur: 12.345}},
		{name: "Void before the segment", data: durCat(webmHead, webmEl(0xEC, []byte("pad")), webmEl(ebmlSegmentID, info, webmTracks)), want: sized},

		{name: "truncated in Info", data: full[:len(webmHead)+12+12], bad: true},
		{name: "truncated header", data: webmHead[:6], bad: true},
		{name: "not EBML", data: []byte("RIFF\x10\x00\x00\x00WAVEfmt "), bad: true},
		{name: "no segment", data: durCat(webmHead, webmEl(0xEC)), bad: true},
		{name: "media before Info", data: durCat(webmHead, webmEl(ebmlSegmentID, webmCluster, info)), bad: true},
		{name: "Info larger than its segment", data: durCat(webmHead, webmID(ebmlSegmentID), []byte{0x84}, webmID(ebmlInfoID), []byte{0x8f}), bad: true},
		{name: "zero timestamp scale", data: durCat(webmHead, webmEl(ebmlSegmentID, webmEl(ebmlInfoID, webmUint(ebmlTimescaleID, 0), webmFloat64(ebmlDurationID, 5)))), bad: true},
		{name: "NaN duration", data: durCat(webmHead, webmEl(ebmlSegmentID, webmEl(ebmlInfoID, webmFloat64(ebmlDurationID, math.NaN())))), bad: true},
		{name: "negative duration", data: durCat(webmHead, webmEl(ebmlSegmentID, webmEl(ebmlInfoID, webmFloat64(ebmlDurationID, -3)))), bad: true},
		{name: "7-byte float", data: durCat(webmHead, webmEl(ebmlSegmentID, webmEl(ebmlInfoID, webmEl(ebmlDurationID, make([]byte, 7))))), bad: true},
		{name: "zero byte where an ID starts", data: durCat(webmHead, []byte{0, 0, 0, 0}), bad: true},
	}
}

// TestWebMVideo reads hand-made WebM files: lengths in both float sizes
// and any timestamp scale, missing Durations, segments and clusters of
// unknown size, and broken or truncated files.
func TestWebMVideo(t *testing.T) {
	for _, c := range webmCases() {
		t.Run(c.name, func(t *testing.T) {
			got, err := readVideoInfo(bytes.NewReader(c.data), int64(len(c.data)), WebM)
			if c.bad {
				if !errors.Is(err, ErrBadMedia) {
					t.Fatalf("readVideoInfo = %+v, %v; want an error wrapping ErrBadMedia", got, err)
				}
				return
			}
			if err != nil || got.video != c.want.video || math.Abs(got.dur-c.want.dur) > 1e-9 || got.width != c.want.width || got.height != c.want.height {
				t.Errorf("readVideoInfo = %+v, %v; want %+v", got, err, c.want)
			}
		})
	}
}

// TestWebMVideoReadsOnlyHeaders checks that a WebM file's media data is
// never read: of a file with a 100 MB cluster, only the first window.
func TestWebMVideoReadsOnlyHeaders(t *testing.T) {
	const media = 100 << 20
	size := func(n int) []byte {
		b := binary.BigEndian.AppendUint64(nil, uint64(n))
		b[0] = 0x01
		return b
	}
	info := webmEl(ebmlInfoID, webmFloat64(ebmlDurationID, 60_000))
	cluster := durCat(webmID(ebmlClusterID), size(media))
	head := durCat(webmHead, webmID(ebmlSegmentID), size(len(info)+len(webmTracks)+len(cluster)+media), info, webmTracks, cluster)
	r := &countingReader{r: &zeroTail{head: head, size: int64(len(head)) + media}}
	v, err := readVideoInfo(r, int64(len(head))+media, WebM)
	if err != nil || v.dur != 60 || v.width != 640 {
		t.Fatalf("readVideoInfo = %+v, %v; want 60 s, 640 px wide", v, err)
	}
	if r.read > windowSize {
		t.Errorf("read %d bytes of a 100 MB file, want at most one %d-byte window", r.read, windowSize)
	}
}

// zeroTail is a file of size bytes: head, then zeros.
type zeroTail struct {
	head      []byte
	size, off int64
}

func (z *zeroTail) Read(p []byte) (int, error) {
	if z.off >= z.size {
		return 0, io.EOF
	}
	n := int(min(int64(len(p)), z.size-z.off))
	for i := range p[:n] {
		if at := z.off + int64(i); at < int64(len(z.head)) {
			p[i] = z.head[at]
		} else {
			p[i] = 0
		}
	}
	z.off += int64(n)
	return n, nil
}

func (z *zeroTail) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		off += z.off
	case io.SeekEnd:
		off += z.size
	}
	z.off = off
	return off, nil
}

// videoFuzzSeeds adds hand-made and ffmpeg-made videos to f's corpus, for
// FuzzReadDuration.
func videoFuzzSeeds(f *testing.F) {
	for _, c := range webmCases() {
		f.Add(c.data, uint8(0))
	}
	dir := f.TempDir()
	names := []string{"v.mp4", "v.webm"}
	playertest.Generate(f, dir,
		playertest.Spec{Path: names[0], Kind: playertest.H264, Seconds: 0.3},
		playertest.Spec{Path: names[1], Kind: playertest.VP9, Seconds: 0.3})
	addDurationSeeds(f, dir, names)
}

// fuzzVideoInfo runs readVideoInfo on data for every video format; it must
// not panic nor state an impossible length or size.
func fuzzVideoInfo(t *testing.T, data []byte, size int64) {
	for _, fm := range []Format{MP4, MOV, WebM} {
		v, err := readVideoInfo(bytes.NewReader(data), size, fm)
		if err == nil && (math.IsNaN(v.dur) || math.IsInf(v.dur, 0) || v.dur < 0 || v.width < 0 || v.height < 0) {
			t.Errorf("readVideoInfo(%s) = %+v with no error", fm, v)
		}
	}
}
