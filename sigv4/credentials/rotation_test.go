package credentials

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func credsBody(id, secret string) string {
	return "[default]\naws_access_key_id = " + id + "\naws_secret_access_key = " + secret + "\n"
}

// age sets a file's mtime far enough in the past that its cached parse is
// trusted (not "racy").
func age(t *testing.T, path string, ago time.Duration) {
	t.Helper()
	when := time.Now().Add(-ago)
	require.NoError(t, os.Chtimes(path, when, when))
}

// replaceByRename writes content to a temporary file and renames it over
// path, as rotation tools do.
func replaceByRename(t *testing.T, path, content string, mtimeAgo time.Duration) {
	t.Helper()
	tmp := path + ".tmp"
	require.NoError(t, os.WriteFile(tmp, []byte(content), 0o600))
	if mtimeAgo > 0 {
		age(t, tmp, mtimeAgo)
	}
	require.NoError(t, os.Rename(tmp, path))
}

// rewriteInPlace truncates and rewrites path, keeping its inode.
func rewriteInPlace(t *testing.T, path, content string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	require.NoError(t, err)
	_, err = f.WriteString(content)
	require.NoError(t, err)
	require.NoError(t, f.Close())
}

func TestSharedFileParsesOnlyWhenChanged(t *testing.T) {
	dir := t.TempDir()
	isolateEnv(t)
	path := writeFile(t, dir, "credentials", credsBody("AKIDONE", "secretOne"))
	age(t, path, time.Hour)
	s := NewSharedFile(WithCredentialsFile(path), WithConfigFile(filepath.Join(dir, "none")))

	for range 5 {
		c, err := retrieve(t, s)
		require.NoError(t, err)
		require.Equal(t, "AKIDONE", c.AccessKeyID)
	}
	require.Equal(t, 1, s.credsFC.parses, "unchanged file parsed again")

	// Same size, same inode, new mtime.
	rewriteInPlace(t, path, credsBody("AKIDTWO", "secretTwo"))
	age(t, path, 30*time.Minute)
	c, err := retrieve(t, s)
	require.NoError(t, err)
	require.Equal(t, "AKIDTWO", c.AccessKeyID)
	require.Equal(t, 2, s.credsFC.parses)

	// Same size and the same mtime, but another inode (rename).
	st, err := os.Stat(path)
	require.NoError(t, err)
	tmp := path + ".tmp"
	require.NoError(t, os.WriteFile(tmp, []byte(credsBody("AKIDTRI", "secretTri")), 0o600))
	require.NoError(t, os.Chtimes(tmp, st.ModTime(), st.ModTime()))
	require.NoError(t, os.Rename(tmp, path))
	c, err = retrieve(t, s)
	require.NoError(t, err)
	require.Equal(t, "AKIDTRI", c.AccessKeyID)
	require.Equal(t, 3, s.credsFC.parses)

	// Other size, same inode, same mtime.
	st, err = os.Stat(path)
	require.NoError(t, err)
	rewriteInPlace(t, path, credsBody("AKIDFOURTH", "secretFourth"))
	require.NoError(t, os.Chtimes(path, st.ModTime(), st.ModTime()))
	c, err = retrieve(t, s)
	require.NoError(t, err)
	require.Equal(t, "AKIDFOURTH", c.AccessKeyID)

	// Deleted, then back.
	require.NoError(t, os.Remove(path))
	_, err = retrieve(t, s)
	require.ErrorIs(t, err, ErrNoCredentials)
	writeFile(t, dir, "credentials", credsBody("AKIDFIFTH", "secretFifth"))
	c, err = retrieve(t, s)
	require.NoError(t, err)
	require.Equal(t, "AKIDFIFTH", c.AccessKeyID)
}

func TestSharedFileRecentlyModifiedIsReparsed(t *testing.T) {
	dir := t.TempDir()
	isolateEnv(t)
	path := writeFile(t, dir, "credentials", credsBody("AKIDONE", "secretOne"))
	s := NewSharedFile(WithCredentialsFile(path), WithConfigFile(filepath.Join(dir, "none")))
	_, err := retrieve(t, s)
	require.NoError(t, err)
	// Same size, possibly the same mtime tick: still seen, as the file is
	// younger than the racy window.
	rewriteInPlace(t, path, credsBody("AKIDTWO", "secretTwo"))
	c, err := retrieve(t, s)
	require.NoError(t, err)
	require.Equal(t, "AKIDTWO", c.AccessKeyID)
}

// TestCacheSharedFileRotation: a cached shared-file provider picks up keys
// rotated by rename and by in-place rewrite after the recheck interval, and
// serves the old keys until then.
func TestCacheSharedFileRotation(t *testing.T) {
	for _, how := range []string{"rename", "in place"} {
		t.Run(how, func(t *testing.T) {
			dir := t.TempDir()
			isolateEnv(t)
			path := writeFile(t, dir, "credentials", credsBody("AKIDOLD", "secretOld"))
			clk := newFakeClock()
			s := NewSharedFile(WithCredentialsFile(path), WithConfigFile(filepath.Join(dir, "none")))
			s.now = clk.Now
			cache := NewCache(s, withClock(clk.Now))
			ctx := context.Background()

			c, err := cache.Retrieve(ctx)
			require.NoError(t, err)
			require.Equal(t, "AKIDOLD", c.AccessKeyID)

			if how == "rename" {
				replaceByRename(t, path, credsBody("AKIDNEW", "secretNew"), 0)
			} else {
				rewriteInPlace(t, path, credsBody("AKIDNEW", "secretNew")) // same size
			}

			clk.Add(time.Second) // before the refresh window (2.5 s): cached
			c, err = cache.Retrieve(ctx)
			require.NoError(t, err)
			require.Equal(t, "AKIDOLD", c.AccessKeyID)

			clk.Add(2 * time.Second) // in the window: background recheck
			c, err = cache.Retrieve(ctx)
			require.NoError(t, err)
			require.Equal(t, "AKIDOLD", c.AccessKeyID, "the refresh must not block the caller")
			require.Eventually(t, func() bool {
				c, err := cache.Retrieve(ctx)
				return err == nil && c.AccessKeyID == "AKIDNEW"
			}, 5*time.Second, time.Millisecond)
			c, _ = cache.Retrieve(ctx)
			require.Equal(t, "secretNew", c.SecretAccessKey)
			require.Equal(t, clk.Now().Add(DefaultRecheckInterval), c.Expires)

			// Rotated again, nobody asks during the window: the first call
			// after expiry re-reads synchronously.
			if how == "rename" {
				replaceByRename(t, path, credsBody("AKIDNW2", "secretNw2"), 0)
			} else {
				rewriteInPlace(t, path, credsBody("AKIDNW2", "secretNw2"))
			}
			clk.Add(DefaultRecheckInterval)
			c, err = cache.Retrieve(ctx)
			require.NoError(t, err)
			require.Equal(t, "AKIDNW2", c.AccessKeyID)
		})
	}
}

// TestCacheSharedFileRotationRealClock: the same with the real clock and a
// tiny recheck interval.
func TestCacheSharedFileRotationRealClock(t *testing.T) {
	dir := t.TempDir()
	isolateEnv(t)
	path := writeFile(t, dir, "credentials", credsBody("AKIDOLD", "secretOld"))
	cache := NewCache(NewSharedFile(WithCredentialsFile(path), WithConfigFile(filepath.Join(dir, "none")),
		WithRecheckInterval(20*time.Millisecond)))
	ctx := context.Background()
	c, err := cache.Retrieve(ctx)
	require.NoError(t, err)
	require.Equal(t, "AKIDOLD", c.AccessKeyID)

	replaceByRename(t, path, credsBody("AKIDNEW", "secretNew"), 0)
	require.Eventually(t, func() bool {
		c, err := cache.Retrieve(ctx)
		return err == nil && c.AccessKeyID == "AKIDNEW"
	}, 5*time.Second, time.Millisecond)

	rewriteInPlace(t, path, credsBody("AKIDNXT", "secretNxt"))
	require.Eventually(t, func() bool {
		c, err := cache.Retrieve(ctx)
		return err == nil && c.AccessKeyID == "AKIDNXT"
	}, 5*time.Second, time.Millisecond)
}
