package subsonic

import (
	"fmt"
	"strconv"

	"earshot/player"
	"earshot/transcode"
)

// stream answers stream: the original bytes, or an MP3 transcode when
// format asks for one, when maxBitRate (kbit/s) is below the file's, or
// when timeOffset (seconds, the transcodeOffset extension) is above 0.
// The MP3's bit rate is the highest MPEG-1 one at most maxBitRate (32 to
// 320 kbit/s), else 128 kbit/s. format=raw, or the file's own format,
// sends the original; format=mp3 makes MP3; any other format (opus, aac,
// flac of another file…) is made MP3 too, the one compressed format
// Earshot encodes, and the answer says so in its Content-Type and in an
// X-Transcode-Note header. Videos are sent as they are; a track of a cue
// sheet is always its part of the file made into MP3.
func (h *Handler) stream(c *call) (*Response, error) {
	id, err := c.need("id")
	if err != nil {
		return nil, err
	}
	t, err := h.lib.Track(id)
	if err != nil {
		return nil, notFound(err, "song")
	}
	format := c.get("format")
	maxRate, err := c.intParam("maxBitRate", 0, 0, 1<<20)
	if err != nil {
		return nil, err
	}
	offset, err := strconv.ParseFloat(c.get("timeOffset"), 64)
	if err != nil || offset < 0 || offset != offset {
		offset = 0
	}
	h.np.set(c.client, t.ID)
	// A track of a cue sheet is part of its file: only a transcode can
	// send that part alone.
	if t.End == 0 && (format == "raw" || t.Video || !transcodes(format, maxRate, offset, &t)) {
		h.media.Stream(c.w, c.r, id, false)
		return nil, nil
	}
	rate := transcode.MP3BitRate
	if maxRate > 0 {
		rate = transcode.MP3BitRateAtMost(maxRate * 1000)
	}
	if format != "" && format != "mp3" && format != string(t.Format) {
		c.w.Header().Set("X-Transcode-Note", fmt.Sprintf("format %q is not made here: MP3 at %d kbit/s", format, rate/1000))
	}
	h.media.StreamMP3(c.w, c.r, id, offset, rate)
	return nil, nil
}

// transcodes reports whether a stream of t with these parameters is made
// into MP3: a format other than the file's own ("" keeps it), a
// maxBitRate under the file's average, or a time offset.
func transcodes(format string, maxRate int, offset float64, t *player.Track) bool {
	switch {
	case offset > 0:
		return true
	case format != "" && format != string(t.Format):
		return true
	case maxRate > 0 && t.Duration > 0:
		return float64(t.Size)*8/t.Duration/1000 > float64(maxRate)*1.05
	}
	return false
}

// download answers download: the original file as an attachment.
func (h *Handler) download(c *call) (*Response, error) {
	id, err := c.need("id")
	if err != nil {
		return nil, err
	}
	if _, err := h.lib.Track(id); err != nil {
		return nil, notFound(err, "song")
	}
	h.media.Stream(c.w, c.r, id, true)
	return nil, nil
}

// getCoverArt answers the cover of a song, or of an album or artist (the
// cover of their first track with one), scaled to size pixels when given.
func (h *Handler) getCoverArt(c *call) (*Response, error) {
	id, err := c.need("id")
	if err != nil {
		return nil, err
	}
	size, err := c.intParam("size", 0, 0, 1<<16)
	if err != nil {
		return nil, err
	}
	if _, err := h.lib.Track(id); err != nil {
		id = h.coverTrack(id)
		if id == "" {
			return nil, apiErr(CodeNotFound, "cover art not found")
		}
	}
	h.media.Cover(c.w, c.r, id, size)
	return nil, nil
}

// coverTrack returns the track whose cover stands for album or artist
// id, "" for none.
func (h *Handler) coverTrack(id string) string {
	if a, err := h.lib.Album(id); err == nil {
		return a.CoverTrack
	}
	if a, err := h.lib.Artist(id); err == nil {
		for _, al := range a.Albums {
			if al.CoverTrack != "" {
				return al.CoverTrack
			}
		}
	}
	return ""
}
