package fakeaws

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
)

// s3Store is an in-memory S3 for Terraform's s3 backend (state objects and
// S3-native lock files), addressed path-style: /BUCKET/KEY. Buckets are
// per region, as S3's are.
type s3Store struct {
	mu      sync.Mutex
	objects map[string][]byte // region + "/" + bucket + "/" + key
}

func newS3() *s3Store { return &s3Store{objects: map[string][]byte{}} }

// PutObject stores body at bucket/key in region, as a test's setup.
func (s *Server) PutObject(region, bucket, key string, body []byte) {
	s.s3.mu.Lock()
	defer s.s3.mu.Unlock()
	s.s3.objects[region+"/"+bucket+"/"+key] = append([]byte(nil), body...)
}

// GetObject returns the object at bucket/key in region, if there is one.
func (s *Server) GetObject(region, bucket, key string) ([]byte, bool) {
	s.s3.mu.Lock()
	defer s.s3.mu.Unlock()
	b, ok := s.s3.objects[region+"/"+bucket+"/"+key]
	return b, ok
}

func (st *s3Store) handle(r *Request) *Response {
	path := strings.TrimPrefix(r.HTTP.URL.Path, "/")
	bucket, key, _ := strings.Cut(path, "/")
	if bucket == "" {
		return nil
	}
	id := r.Region + "/" + bucket + "/" + key
	st.mu.Lock()
	defer st.mu.Unlock()
	etag := func(b []byte) string { sum := md5.Sum(b); return `"` + hex.EncodeToString(sum[:]) + `"` }
	switch r.HTTP.Method {
	case http.MethodGet:
		if key == "" {
			return st.list(r, bucket)
		}
		body, ok := st.objects[id]
		if !ok {
			return s3Error(http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
		}
		h := http.Header{"Etag": {etag(body)}, "Content-Type": {"application/octet-stream"}, "Last-Modified": {"Sat, 01 Nov 2025 00:00:00 GMT"}}
		// The SDK's downloader reads in ranges and needs Content-Range to
		// know the whole size.
		var first, last int
		if n, _ := fmt.Sscanf(r.HTTP.Header.Get("Range"), "bytes=%d-%d", &first, &last); n == 2 && first <= last {
			if last >= len(body) {
				last = len(body) - 1
			}
			if first > last {
				return s3Error(http.StatusRequestedRangeNotSatisfiable, "InvalidRange", "The requested range is not satisfiable")
			}
			h.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", first, last, len(body)))
			return &Response{Status: http.StatusPartialContent, Header: h, Body: body[first : last+1]}
		}
		return &Response{Status: http.StatusOK, Header: h, Body: body}
	case http.MethodHead:
		body, ok := st.objects[id]
		if !ok {
			return &Response{Status: http.StatusNotFound, Header: http.Header{}}
		}
		return &Response{Status: http.StatusOK, Header: http.Header{"Etag": {etag(body)}, "Content-Length": {fmt.Sprint(len(body))}}}
	case http.MethodPut:
		if key == "" {
			return nil
		}
		if _, exists := st.objects[id]; exists && r.HTTP.Header.Get("If-None-Match") == "*" {
			return s3Error(http.StatusPreconditionFailed, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold")
		}
		st.objects[id] = append([]byte(nil), r.Body...)
		return &Response{Status: http.StatusOK, Header: http.Header{"Etag": {etag(r.Body)}}}
	case http.MethodDelete:
		delete(st.objects, id)
		return &Response{Status: http.StatusNoContent, Header: http.Header{}}
	}
	return nil
}

func (st *s3Store) list(r *Request, bucket string) *Response {
	prefix := r.HTTP.URL.Query().Get("prefix")
	var keys []string
	for id := range st.objects {
		rest, ok := strings.CutPrefix(id, r.Region+"/"+bucket+"/")
		if ok && strings.HasPrefix(rest, prefix) {
			keys = append(keys, rest)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	fmt.Fprintf(&b, `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>%s</Name><Prefix>%s</Prefix><KeyCount>%d</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>`, bucket, xmlEscape(prefix), len(keys))
	for _, k := range keys {
		fmt.Fprintf(&b, "<Contents><Key>%s</Key><Size>%d</Size></Contents>", xmlEscape(k), len(st.objects[r.Region+"/"+bucket+"/"+k]))
	}
	b.WriteString("</ListBucketResult>")
	return XMLResult(http.StatusOK, b.String())
}

func s3Error(status int, code, message string) *Response {
	return XMLResult(status, fmt.Sprintf("<Error><Code>%s</Code><Message>%s</Message><RequestId>%s</RequestId></Error>", code, xmlEscape(message), requestID))
}
