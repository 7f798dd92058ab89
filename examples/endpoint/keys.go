package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
)

// key is one access key the endpoint accepts. Its secret and token never leave
// this process: String masks them, and no error message quotes a key line.
type key struct {
	AccessKeyID  string
	Secret       string
	SessionToken string // if set, requests must carry it in X-Amz-Security-Token
}

// String formats the key with the secret and token masked.
func (k key) String() string {
	s := k.AccessKeyID + ":****"
	if k.SessionToken != "" {
		s += ":<token>"
	}
	return s
}

// GoString masks like String, so %#v cannot leak the secret either.
func (k key) GoString() string { return "key(" + k.String() + ")" }

// keyStore holds the keys from -key flags and from the -keys file. The file is
// stat'ed on every lookup and re-read when its identity, size or mtime changes,
// so keys can be rotated without a restart. When a re-read fails the previous
// keys stay in use and the error is reported once on stderr.
type keyStore struct {
	static map[string]key
	path   string
	stderr io.Writer

	mu       sync.Mutex
	fileKeys map[string]key
	fileInfo os.FileInfo // of the last load attempt
}

// newKeyStore parses the -key flags and loads the key file (if any).
func newKeyStore(flags []string, path string, stderr io.Writer) (*keyStore, error) {
	ks := &keyStore{static: map[string]key{}, path: path, stderr: stderr}
	for i, f := range flags {
		k, err := parseKeyFlag(f, i+1)
		if err != nil {
			return nil, err
		}
		if _, dup := ks.static[k.AccessKeyID]; dup {
			return nil, fmt.Errorf("-key #%d: access key id %s given twice", i+1, k.AccessKeyID)
		}
		ks.static[k.AccessKeyID] = k
	}
	if path != "" {
		fi, err := os.Stat(path)
		if err != nil {
			return nil, fmt.Errorf("-keys: %v", err)
		}
		keys, err := loadKeyFile(path)
		if err != nil {
			return nil, err
		}
		ks.fileKeys, ks.fileInfo = keys, fi
	}
	return ks, nil
}

// parseKeyFlag parses the n-th -key value, AKID:SECRET[:SESSION_TOKEN].
// Errors name the flag by position, never by content.
func parseKeyFlag(f string, n int) (key, error) {
	parts := strings.SplitN(f, ":", 3)
	if len(parts) < 2 || parts[0] == "" || parts[1] == "" || (len(parts) == 3 && parts[2] == "") {
		return key{}, fmt.Errorf("-key #%d: want AKID:SECRET[:SESSION_TOKEN]", n)
	}
	if strings.ContainsAny(parts[0], "/ ") {
		return key{}, fmt.Errorf("-key #%d: the access key id must not contain '/' or spaces", n)
	}
	k := key{AccessKeyID: parts[0], Secret: parts[1]}
	if len(parts) == 3 {
		k.SessionToken = parts[2]
	}
	return k, nil
}

// lookup returns the key for an access key id. Keys from the file win over
// -key flags, so that a rotation in the file takes effect.
func (ks *keyStore) lookup(akid string) (key, bool) {
	if ks.path != "" {
		ks.mu.Lock()
		ks.refreshLocked()
		k, ok := ks.fileKeys[akid]
		ks.mu.Unlock()
		if ok {
			return k, true
		}
	}
	k, ok := ks.static[akid]
	return k, ok
}

// refreshLocked re-reads the key file if it changed since the last attempt.
func (ks *keyStore) refreshLocked() {
	fi, err := os.Stat(ks.path)
	if err != nil {
		if ks.fileInfo != nil {
			fmt.Fprintf(ks.stderr, "awsv4-endpoint: key file: %v (keeping the previous keys)\n", err)
			ks.fileInfo = nil
		}
		return
	}
	if prev := ks.fileInfo; prev != nil && os.SameFile(prev, fi) &&
		prev.Size() == fi.Size() && prev.ModTime().Equal(fi.ModTime()) {
		return
	}
	ks.fileInfo = fi
	keys, err := loadKeyFile(ks.path)
	if err != nil {
		fmt.Fprintf(ks.stderr, "awsv4-endpoint: %v (keeping the previous keys)\n", err)
		return
	}
	ks.fileKeys = keys
}

// loadKeyFile reads a key file. Errors name the line number, never its content.
func loadKeyFile(path string) (map[string]key, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("key file: %v", err)
	}
	return parseKeys(data, path)
}

// parseKeys parses lines "ACCESS_KEY_ID SECRET [SESSION_TOKEN]"; blank lines
// and lines whose first non-blank character is '#' are ignored.
func parseKeys(data []byte, name string) (map[string]key, error) {
	keys := map[string]key{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20) // session tokens can be a few KiB
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 2 || len(f) > 3 {
			return nil, fmt.Errorf("key file %s line %d: want ACCESS_KEY_ID SECRET [SESSION_TOKEN] (%d fields found)", name, n, len(f))
		}
		k := key{AccessKeyID: f[0], Secret: f[1]}
		if len(f) == 3 {
			k.SessionToken = f[2]
		}
		if strings.Contains(k.AccessKeyID, "/") {
			return nil, fmt.Errorf("key file %s line %d: access key id must not contain '/'", name, n)
		}
		if _, dup := keys[k.AccessKeyID]; dup {
			return nil, fmt.Errorf("key file %s line %d: access key id %s given twice", name, n, k.AccessKeyID)
		}
		keys[k.AccessKeyID] = k
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("key file %s: %v", name, err)
	}
	return keys, nil
}
