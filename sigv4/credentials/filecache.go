package credentials

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"
)

const (
	// maxSharedFileSize bounds what is read from a shared file (a config
	// file with hundreds of SSO profiles is a few hundred KiB).
	maxSharedFileSize = 4 << 20

	// racyWindow: a file modified this recently may be modified again
	// within the file system's timestamp granularity without its size or
	// mtime changing, so its cached parse is not trusted (git's "racily
	// clean" rule). Measured on the real clock: it is about file times.
	racyWindow = 2 * time.Second
)

var errIsDir = errors.New("is a directory")

// fileCache remembers the last parse of one file with the identity it had
// (device and inode, size, mtime, mode) and parses again only when that
// changes. Not safe for concurrent use: SharedFile holds its mutex.
type fileCache struct {
	path   string
	info   fs.FileInfo // nil when nothing is cached
	racy   bool
	ini    *iniFile
	err    error // a cached *ParseError
	parses int   // number of parses, for tests
}

// load returns the parsed file, or (nil, nil) when it does not exist. kind
// ("credentials file", "config file") names the file in errors.
func (c *fileCache) load(path, kind string) (*iniFile, error) {
	f, err := os.Open(path)
	if err != nil {
		c.info = nil
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, unreadable(kind, path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, unreadable(kind, path, err)
	}
	if fi.IsDir() {
		c.info = nil
		return nil, unreadable(kind, path, errIsDir)
	}
	if c.info != nil && c.path == path && !c.racy && sameVersion(c.info, fi) {
		return c.ini, c.err
	}
	data, err := io.ReadAll(io.LimitReader(f, maxSharedFileSize+1))
	if err != nil {
		return nil, unreadable(kind, path, err)
	}
	if len(data) > maxSharedFileSize {
		return nil, fmt.Errorf("credentials: %s too large: %s: more than %d bytes", kind, path, maxSharedFileSize)
	}
	ini, err := parseINI(data)
	var pe *ParseError
	if errors.As(err, &pe) {
		pe.File = path
	}
	c.path, c.info, c.ini, c.err = path, fi, ini, err
	c.racy = time.Since(fi.ModTime()) < racyWindow
	c.parses++
	return ini, err
}

// sameVersion reports whether two stats describe the same, unchanged file.
func sameVersion(a, b fs.FileInfo) bool {
	return os.SameFile(a, b) && a.Size() == b.Size() && a.ModTime().Equal(b.ModTime()) && a.Mode() == b.Mode()
}

// unreadable makes "credentials: <kind> unreadable: <path>: <reason>",
// wrapping the underlying error (errors.Is(err, fs.ErrPermission) works).
func unreadable(kind, path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("credentials: %s unreadable: %s: %w", kind, path, err)
}
