package main

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// object is a stored S3 object.
type object struct {
	Data        []byte
	ContentType string
	ETag        string // quoted hex MD5, as S3 gives it for single-part uploads
	ModTime     time.Time
	Meta        http.Header // x-amz-meta-* headers given at PUT (memory store only)
}

var (
	errNoSuchBucket = errors.New("NoSuchBucket")
	errNoSuchKey    = errors.New("NoSuchKey")
	errBadKey       = errors.New("key cannot be stored")
)

// objectStore keeps objects by bucket and key.
type objectStore interface {
	Get(bucket, key string) (*object, error)
	Put(bucket, key string, o *object) error
	Delete(bucket, key string) error
}

// memStore is the in-memory store used without -s3-root; every bucket exists.
type memStore struct {
	mu      sync.RWMutex
	buckets map[string]map[string]*object
}

func newMemStore() *memStore { return &memStore{buckets: map[string]map[string]*object{}} }

func (m *memStore) Get(bucket, key string) (*object, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	o, ok := m.buckets[bucket][key]
	if !ok {
		return nil, errNoSuchKey
	}
	return o, nil
}

func (m *memStore) Put(bucket, key string, o *object) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.buckets[bucket] == nil {
		m.buckets[bucket] = map[string]*object{}
	}
	m.buckets[bucket][key] = o
	return nil
}

func (m *memStore) Delete(bucket, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.buckets[bucket], key)
	return nil
}

// dirStore serves -s3-root: each sub-directory is a bucket, each file below
// it an object whose key is its relative path. os.Root keeps every access
// inside the directory whatever the key says.
type dirStore struct{ root *os.Root }

func newDirStore(dir string) (*dirStore, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	return &dirStore{root: root}, nil
}

// fsKey checks that a key maps to a file path: no empty, "." or ".." segments.
func fsKey(key string) bool {
	if key == "" || strings.ContainsRune(key, 0) {
		return false
	}
	for _, s := range strings.Split(key, "/") {
		if s == "" || s == "." || s == ".." {
			return false
		}
	}
	return true
}

func (d *dirStore) bucketExists(bucket string) bool {
	fi, err := d.root.Stat(bucket)
	return err == nil && fi.IsDir()
}

func (d *dirStore) Get(bucket, key string) (*object, error) {
	if !d.bucketExists(bucket) {
		return nil, errNoSuchBucket
	}
	if !fsKey(key) {
		return nil, errNoSuchKey
	}
	name := bucket + "/" + key
	fi, err := d.root.Stat(name)
	if err != nil || !fi.Mode().IsRegular() {
		return nil, errNoSuchKey
	}
	data, err := d.root.ReadFile(name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, errNoSuchKey
		}
		return nil, err
	}
	ct := mime.TypeByExtension(path.Ext(key))
	if ct == "" {
		ct = "binary/octet-stream"
	}
	return &object{Data: data, ContentType: ct, ETag: etagOf(data), ModTime: fi.ModTime()}, nil
}

func (d *dirStore) Put(bucket, key string, o *object) error {
	if !d.bucketExists(bucket) {
		return errNoSuchBucket
	}
	if !fsKey(key) {
		return errBadKey
	}
	name := bucket + "/" + key
	if dir := path.Dir(name); dir != bucket {
		if err := d.root.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	return d.root.WriteFile(name, o.Data, 0o644)
}

func (d *dirStore) Delete(bucket, key string) error {
	if !d.bucketExists(bucket) {
		return errNoSuchBucket
	}
	if !fsKey(key) {
		return nil
	}
	err := d.root.Remove(bucket + "/" + key)
	if errors.Is(err, fs.ErrNotExist) {
		return nil // S3 answers 204 for a missing key too
	}
	return err
}

func etagOf(data []byte) string {
	sum := md5.Sum(data)
	return `"` + hex.EncodeToString(sum[:]) + `"`
}

// s3Location splits a verified request into bucket and key (decoded):
// virtual-hosted (bucket from the host, key = whole path) or path style
// (first path segment is the bucket).
func s3Location(rawPath string, t target) (bucket, key string, err error) {
	p := strings.TrimPrefix(rawPath, "/")
	if t.bucket != "" {
		key, err = url.PathUnescape(p)
		return t.bucket, key, err
	}
	rawBucket, rawKey, _ := strings.Cut(p, "/")
	if bucket, err = url.PathUnescape(rawBucket); err != nil {
		return "", "", err
	}
	key, err = url.PathUnescape(rawKey)
	return bucket, key, err
}

// validBucket is the S3 bucket naming rule (simplified: 3–63 characters of
// a-z 0-9 . -, starting and ending with a letter or digit).
func validBucket(b string) bool {
	if len(b) < 3 || len(b) > 63 {
		return false
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		alnum := c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
		if !alnum && c != '.' && c != '-' {
			return false
		}
		if (i == 0 || i == len(b)-1) && !alnum {
			return false
		}
	}
	return true
}

// serveS3 answers a verified S3 request: object GET, HEAD, PUT and DELETE.
func serveS3(w http.ResponseWriter, in *incoming, t target, store objectStore, reqID string) {
	r := in.r
	w.Header().Set("x-amz-request-id", reqID)
	bucket, key, err := s3Location(in.rawPath, t)
	switch {
	case err != nil:
		writeS3Error(w, r, http.StatusBadRequest, "InvalidURI", "Couldn't parse the specified URI.", reqID)
		return
	case bucket == "":
		writeS3Error(w, r, http.StatusNotImplemented, "NotImplemented", "awsv4-endpoint implements object operations only (ListBuckets is not implemented).", reqID)
		return
	case !validBucket(bucket):
		writeS3Error(w, r, http.StatusBadRequest, "InvalidBucketName", "The specified bucket is not valid.", reqID, [2]string{"BucketName", bucket})
		return
	case key == "":
		writeS3Error(w, r, http.StatusNotImplemented, "NotImplemented", "awsv4-endpoint implements object operations only (bucket operations are not implemented).", reqID, [2]string{"BucketName", bucket})
		return
	case len(key) > 1024:
		writeS3Error(w, r, http.StatusBadRequest, "KeyTooLongError", "Your key is too long", reqID)
		return
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		o, err := store.Get(bucket, key)
		if err != nil {
			writeStoreError(w, r, err, bucket, key, reqID)
			return
		}
		h := w.Header()
		h.Set("Content-Type", o.ContentType)
		h.Set("ETag", o.ETag)
		for k, v := range o.Meta {
			h[k] = v
		}
		// ServeContent sets Content-Length and Last-Modified, and handles
		// Range, If-None-Match, If-Modified-Since and HEAD.
		http.ServeContent(w, r, "", o.ModTime.UTC().Truncate(time.Second), bytes.NewReader(o.Data))
	case http.MethodPut:
		if r.Header.Get("X-Amz-Copy-Source") != "" {
			writeS3Error(w, r, http.StatusNotImplemented, "NotImplemented", "CopyObject is not implemented by awsv4-endpoint.", reqID)
			return
		}
		if cmd5 := r.Header.Get("Content-Md5"); cmd5 != "" {
			want, err := base64.StdEncoding.DecodeString(cmd5)
			if err != nil || len(want) != md5.Size {
				writeS3Error(w, r, http.StatusBadRequest, "InvalidDigest", "The Content-MD5 you specified is not valid.", reqID)
				return
			}
			if got := md5.Sum(in.body); !bytes.Equal(got[:], want) {
				writeS3Error(w, r, http.StatusBadRequest, "BadDigest", "The Content-MD5 you specified did not match what we received.", reqID)
				return
			}
		}
		o := &object{Data: in.body, ContentType: r.Header.Get("Content-Type"), ETag: etagOf(in.body), ModTime: time.Now(), Meta: http.Header{}}
		if o.ContentType == "" {
			o.ContentType = "binary/octet-stream"
		}
		for k, v := range r.Header {
			if strings.HasPrefix(strings.ToLower(k), "x-amz-meta-") {
				o.Meta[k] = v
			}
		}
		if err := store.Put(bucket, key, o); err != nil {
			writeStoreError(w, r, err, bucket, key, reqID)
			return
		}
		w.Header().Set("ETag", o.ETag)
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusOK)
	case http.MethodDelete:
		if err := store.Delete(bucket, key); err != nil {
			writeStoreError(w, r, err, bucket, key, reqID)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		w.Header().Set("Allow", "GET, HEAD, PUT, DELETE")
		writeS3Error(w, r, http.StatusMethodNotAllowed, "MethodNotAllowed", "The specified method is not allowed against this resource.", reqID,
			[2]string{"Method", r.Method}, [2]string{"ResourceType", "OBJECT"})
	}
}

func writeStoreError(w http.ResponseWriter, r *http.Request, err error, bucket, key, reqID string) {
	switch {
	case errors.Is(err, errNoSuchKey):
		writeS3Error(w, r, http.StatusNotFound, "NoSuchKey", "The specified key does not exist.", reqID, [2]string{"Key", key})
	case errors.Is(err, errNoSuchBucket):
		writeS3Error(w, r, http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist", reqID, [2]string{"BucketName", bucket})
	case errors.Is(err, errBadKey):
		writeS3Error(w, r, http.StatusBadRequest, "InvalidArgument", "This key cannot be stored under -s3-root (empty, '.' or '..' segments).", reqID, [2]string{"Key", key})
	default:
		writeS3Error(w, r, http.StatusInternalServerError, "InternalError", "We encountered an internal error. Please try again.", reqID)
	}
}

// writeS3Error answers an S3 XML error:
//
//	<Error><Code>…</Code><Message>…</Message>[fields…]<RequestId>…</RequestId><HostId>…</HostId></Error>
//
// A HEAD request gets the status and headers only, as from S3.
func writeS3Error(w http.ResponseWriter, r *http.Request, status int, code, msg, reqID string, fields ...[2]string) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString("<Error>")
	elem := func(name, val string) {
		b.WriteString("<" + name + ">")
		b.WriteString(xmlEscape(val))
		b.WriteString("</" + name + ">")
	}
	elem("Code", code)
	elem("Message", msg)
	for _, f := range fields {
		elem(f[0], f[1])
	}
	elem("RequestId", reqID)
	elem("HostId", "awsv4-endpoint")
	b.WriteString("</Error>\n")
	h := w.Header()
	h.Set("Content-Type", "application/xml")
	h.Set("x-amz-request-id", reqID)
	h.Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(b.Bytes())
	}
}

// xmlEscape escapes text for an XML element, keeping newlines literal (as S3
// does in CanonicalRequest and StringToSign) and replacing characters XML
// cannot carry.
func xmlEscape(s string) string {
	var b strings.Builder
	for _, c := range s {
		switch {
		case c == '&':
			b.WriteString("&amp;")
		case c == '<':
			b.WriteString("&lt;")
		case c == '>':
			b.WriteString("&gt;")
		case c == '\n' || c == '\t' || c == '\r' || c >= 0x20 && c != 0xFFFE && c != 0xFFFF:
			b.WriteRune(c)
		default:
			b.WriteRune(0xFFFD)
		}
	}
	return b.String()
}
