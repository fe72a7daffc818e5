package subsonic

import (
	"errors"
	"strings"

	"earshot/player"
	"earshot/player/lyrics"
)

// getLyricsBySongId answers song id's lyrics (the songLyrics extension):
// one structured entry, synced when the library's are, language "und"
// (Earshot does not know it); none when the song has none.
func (h *Handler) getLyricsBySongId(c *call) (*Response, error) {
	id, err := c.need("id")
	if err != nil {
		return nil, err
	}
	t, err := h.lib.Track(id)
	if err != nil {
		return nil, notFound(err, "song")
	}
	out := &LyricsList{Structured: []StructuredLyrics{}}
	ly, err := h.lib.Lyrics(id)
	if errors.Is(err, player.ErrNoLyrics) {
		return &Response{LyricsList: out}, nil
	}
	if err != nil {
		return nil, err
	}
	s := StructuredLyrics{Lang: "und", Synced: ly.Synced, DisplayArtist: t.Artist, DisplayTitle: t.Title, Lines: []LyricsLine{}}
	if ly.Synced {
		for _, l := range ly.Lines {
			ms := int64(l.Time*1000 + 0.5)
			s.Lines = append(s.Lines, LyricsLine{Start: &ms, Value: l.Text})
		}
	} else {
		for _, line := range strings.Split(ly.Text, "\n") {
			s.Lines = append(s.Lines, LyricsLine{Value: line})
		}
	}
	out.Structured = append(out.Structured, s)
	return &Response{LyricsList: out}, nil
}

// getLyrics answers the plain lyrics of the first song whose artist and
// title match (ignoring case); empty lyrics when none has any.
func (h *Handler) getLyrics(c *call) (*Response, error) {
	artist, title := c.get("artist"), c.get("title")
	out := &LyricsText{Artist: artist, Title: title}
	if title != "" {
		for _, t := range h.lib.Search(title) {
			if !strings.EqualFold(t.Title, title) || artist != "" && !strings.EqualFold(t.Artist, artist) {
				continue
			}
			if ly, err := h.lib.Lyrics(t.ID); err == nil {
				out.Artist, out.Title, out.Value = t.Artist, t.Title, plainText(ly)
				break
			}
		}
	}
	return &Response{Lyrics: out}, nil
}

// plainText returns lyrics as text, one line each.
func plainText(ly lyrics.Lyrics) string {
	if !ly.Synced {
		return ly.Text
	}
	lines := make([]string, len(ly.Lines))
	for i, l := range ly.Lines {
		lines[i] = l.Text
	}
	return strings.Join(lines, "\n")
}
