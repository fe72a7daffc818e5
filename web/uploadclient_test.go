package web

import (
	"bytes"
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// tusClient speaks tus 1.0.0 to an Earshot server, as the page does: with
// the page's Origin, and Header added to every request.
type tusClient struct {
	base   string // "http://127.0.0.1:port"
	client *http.Client
	Header http.Header
}

// newTUSClient returns a client of the server at base.
func newTUSClient(base string) *tusClient {
	return &tusClient{base: base, client: &http.Client{}, Header: http.Header{}}
}

// tusResponse is an answer, its body read.
type tusResponse struct {
	Status int
	Header http.Header
	Body   string
}

// do sends one request; body may be nil.
func (c *tusClient) do(t testing.TB, method, target string, header http.Header, body io.Reader) tusResponse {
	t.Helper()
	if !strings.HasPrefix(target, "http") {
		target = c.base + target
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Tus-Resumable", "1.0.0")
	req.Header.Set("Origin", c.base)
	for k, v := range c.Header {
		req.Header[k] = v
	}
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := c.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return tusResponse{res.StatusCode, res.Header, string(b)}
}

// create starts an upload of size bytes named name, with more metadata
// (key, value pairs), and returns the answer; Location is its URL.
func (c *tusClient) create(t testing.TB, name string, size int64, meta ...string) tusResponse {
	t.Helper()
	pairs := []string{"filename " + base64.StdEncoding.EncodeToString([]byte(name))}
	for kv := range slices.Chunk(meta, 2) {
		pairs = append(pairs, kv[0]+" "+base64.StdEncoding.EncodeToString([]byte(kv[1])))
	}
	return c.do(t, http.MethodPost, "/api/uploads", http.Header{
		"Upload-Length":   {strconv.FormatInt(size, 10)},
		"Upload-Metadata": {strings.Join(pairs, ",")},
	}, nil)
}

// patch sends data at offset to the upload at loc.
func (c *tusClient) patch(t testing.TB, loc string, offset int64, data io.Reader) tusResponse {
	t.Helper()
	return c.do(t, http.MethodPatch, loc, http.Header{
		"Content-Type":  {"application/offset+octet-stream"},
		"Upload-Offset": {strconv.FormatInt(offset, 10)},
	}, data)
}

// offset asks the server how many bytes of the upload at loc it has.
func (c *tusClient) offset(t testing.TB, loc string) int64 {
	t.Helper()
	res := c.do(t, http.MethodHead, loc, nil, nil)
	n, err := strconv.ParseInt(res.Header.Get("Upload-Offset"), 10, 64)
	if res.Status != http.StatusOK || err != nil {
		t.Fatalf("HEAD %s = %d, Upload-Offset %q", loc, res.Status, res.Header.Get("Upload-Offset"))
	}
	return n
}

// upload sends data as name in chunks of at most chunk bytes and returns
// the last answer (the creation's, when it failed).
func (c *tusClient) upload(t testing.TB, name string, data []byte, chunk int, meta ...string) tusResponse {
	t.Helper()
	res := c.create(t, name, int64(len(data)), meta...)
	if res.Status != http.StatusCreated {
		return res
	}
	loc := c.location(t, res)
	for off := 0; ; {
		end := min(off+chunk, len(data))
		res = c.patch(t, loc, int64(off), bytes.NewReader(data[off:end]))
		if res.Status >= 300 || end == len(data) {
			return res
		}
		off = end
	}
}

// location returns a creation answer's upload URL, made absolute.
func (c *tusClient) location(t testing.TB, res tusResponse) string {
	t.Helper()
	base, _ := url.Parse(c.base + "/")
	loc, err := base.Parse(res.Header.Get("Location"))
	if err != nil || res.Header.Get("Location") == "" {
		t.Fatalf("creation answered %d without a Location: %s", res.Status, res.Body)
	}
	return loc.String()
}
