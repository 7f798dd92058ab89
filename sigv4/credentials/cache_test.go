package credentials

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// scripted is a provider whose answers tests control; it counts calls.
type scripted struct {
	calls atomic.Int32
	fn    func(n int32) (Credentials, error)
}

func (s *scripted) Retrieve(ctx context.Context) (Credentials, error) {
	return s.fn(s.calls.Add(1))
}

func expiring(clk *fakeClock, id string, d time.Duration) Credentials {
	return Credentials{AccessKeyID: id, SecretAccessKey: "s", CanExpire: true, Expires: clk.Now().Add(d)}
}

func TestCacheRetrieveNoAllocs(t *testing.T) {
	ctx := context.Background()
	static, err := NewStatic(testKeyID, testSecret, testToken)
	require.NoError(t, err)
	forever := NewCache(static)
	_, err = forever.Retrieve(ctx)
	require.NoError(t, err)

	clk := newFakeClock()
	p := &scripted{fn: func(int32) (Credentials, error) { return expiring(clk, "A", time.Hour), nil }}
	timed := NewCache(p, withClock(clk.Now))
	_, err = timed.Retrieve(ctx)
	require.NoError(t, err)

	for name, c := range map[string]*Cache{"never expires": forever, "expires": timed} {
		allocs := testing.AllocsPerRun(1000, func() {
			if _, err := c.Retrieve(ctx); err != nil {
				panic(err)
			}
		})
		require.Zero(t, allocs, name)
	}
	require.EqualValues(t, 1, p.calls.Load())

	// Also zero once a background refresh is running in the window.
	block := make(chan struct{})
	p.fn = func(int32) (Credentials, error) { <-block; return expiring(clk, "B", time.Hour), nil }
	clk.Add(56 * time.Minute)
	_, err = timed.Retrieve(ctx) // starts the refresh
	require.NoError(t, err)
	allocs := testing.AllocsPerRun(1000, func() { _, _ = timed.Retrieve(ctx) })
	require.Zero(t, allocs, "in the refresh window")
	close(block)
}

func BenchmarkCacheRetrieve(b *testing.B) {
	c := NewCache(ProviderFunc(func(context.Context) (Credentials, error) {
		return Credentials{AccessKeyID: "A", SecretAccessKey: "s", CanExpire: true, Expires: time.Now().Add(time.Hour)}, nil
	}))
	ctx := context.Background()
	if _, err := c.Retrieve(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			_, _ = c.Retrieve(ctx)
		}
	})
}

func TestCacheSingleFlight(t *testing.T) {
	clk := newFakeClock()
	release := make(chan struct{})
	p := &scripted{fn: func(int32) (Credentials, error) {
		<-release
		return expiring(clk, "A", time.Hour), nil
	}}
	c := NewCache(p, withClock(clk.Now))

	var wg sync.WaitGroup
	results := make(chan Credentials, 50)
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cr, err := c.Retrieve(context.Background())
			if err != nil {
				panic(err)
			}
			results <- cr
		}()
	}
	require.Eventually(t, func() bool { return p.calls.Load() == 1 }, 5*time.Second, time.Millisecond)
	time.Sleep(20 * time.Millisecond) // let the others pile up behind the refresh
	close(release)
	wg.Wait()
	close(results)
	for cr := range results {
		require.Equal(t, "A", cr.AccessKeyID)
	}
	require.EqualValues(t, 1, p.calls.Load())

	// Expired: again one call for all.
	clk.Add(2 * time.Hour)
	p.calls.Store(0)
	var wg2 sync.WaitGroup
	for range 50 {
		wg2.Add(1)
		go func() {
			defer wg2.Done()
			_, err := c.Retrieve(context.Background())
			if err != nil {
				panic(err)
			}
		}()
	}
	wg2.Wait()
	require.EqualValues(t, 1, p.calls.Load())
}

func TestCacheForever(t *testing.T) {
	clk := newFakeClock()
	p := &scripted{fn: func(n int32) (Credentials, error) {
		return Credentials{AccessKeyID: fmt.Sprint("A", n), SecretAccessKey: "s"}, nil
	}}
	c := NewCache(p, withClock(clk.Now))
	for range 3 {
		cr, err := c.Retrieve(context.Background())
		require.NoError(t, err)
		require.Equal(t, "A1", cr.AccessKeyID)
		clk.Add(1000 * time.Hour)
	}
	require.EqualValues(t, 1, p.calls.Load())

	c.Invalidate()
	cr, err := c.Retrieve(context.Background())
	require.NoError(t, err)
	require.Equal(t, "A2", cr.AccessKeyID)
	require.Equal(t, "cache(*credentials.scripted)", c.String())
}

func TestCacheBackgroundRefresh(t *testing.T) {
	clk := newFakeClock()
	block := make(chan struct{})
	p := &scripted{fn: func(n int32) (Credentials, error) {
		if n > 1 {
			<-block
		}
		return expiring(clk, fmt.Sprint("A", n), time.Hour), nil
	}}
	c := NewCache(p, withClock(clk.Now)) // window 5 min
	ctx := context.Background()
	cr, err := c.Retrieve(ctx)
	require.NoError(t, err)
	require.Equal(t, "A1", cr.AccessKeyID)

	clk.Add(54 * time.Minute) // before the window
	_, _ = c.Retrieve(ctx)
	require.EqualValues(t, 1, p.calls.Load())

	clk.Add(2 * time.Minute) // in the window
	cctx, cancel := context.WithCancel(ctx)
	cr, err = c.Retrieve(cctx) // returns at once although the refresh blocks
	cancel()                   // the caller's cancellation must not cancel the refresh
	require.NoError(t, err)
	require.Equal(t, "A1", cr.AccessKeyID)
	require.Eventually(t, func() bool { return p.calls.Load() == 2 }, 5*time.Second, time.Millisecond)
	for range 100 { // no second refresh while one runs
		cr, _ = c.Retrieve(ctx)
		require.Equal(t, "A1", cr.AccessKeyID)
	}
	close(block)
	require.Eventually(t, func() bool {
		cr, _ := c.Retrieve(ctx)
		return cr.AccessKeyID == "A2"
	}, 5*time.Second, time.Millisecond)
	require.EqualValues(t, 2, p.calls.Load())
}

func TestCacheRefreshWindowIsCappedAtHalfLifetime(t *testing.T) {
	clk := newFakeClock()
	p := &scripted{fn: func(n int32) (Credentials, error) {
		return expiring(clk, fmt.Sprint("A", n), 10*time.Second), nil
	}}
	c := NewCache(p, withClock(clk.Now), WithExpiryWindow(time.Minute))
	_, err := c.Retrieve(context.Background())
	require.NoError(t, err)
	clk.Add(4 * time.Second) // window = min(1 min, 5 s): not yet
	_, _ = c.Retrieve(context.Background())
	require.EqualValues(t, 1, p.calls.Load())
	clk.Add(time.Second)
	_, _ = c.Retrieve(context.Background())
	require.Eventually(t, func() bool { return p.calls.Load() == 2 }, 5*time.Second, time.Millisecond)
}

func TestCacheFailedRefreshKeepsServing(t *testing.T) {
	clk := newFakeClock()
	var fail atomic.Bool
	p := &scripted{fn: func(n int32) (Credentials, error) {
		if fail.Load() {
			return Credentials{}, errors.New("credentials: IMDS unreachable")
		}
		return expiring(clk, fmt.Sprint("A", n), time.Hour), nil
	}}
	c := NewCache(p, withClock(clk.Now))
	ctx := context.Background()
	_, err := c.Retrieve(ctx)
	require.NoError(t, err)

	fail.Store(true)
	clk.Add(56 * time.Minute)
	cr, err := c.Retrieve(ctx)
	require.NoError(t, err)
	require.Equal(t, "A1", cr.AccessKeyID)
	require.Eventually(t, func() bool { return p.calls.Load() == 2 && c.inflight.Load() == nil }, 5*time.Second, time.Millisecond)

	// Backoff: no new attempt within a second, still serving.
	for range 10 {
		cr, err = c.Retrieve(ctx)
		require.NoError(t, err)
		require.Equal(t, "A1", cr.AccessKeyID)
	}
	clk.Add(500 * time.Millisecond)
	_, _ = c.Retrieve(ctx)
	require.EqualValues(t, 2, p.calls.Load())
	clk.Add(600 * time.Millisecond)
	cr, err = c.Retrieve(ctx) // retries, in the background
	require.NoError(t, err)
	require.Equal(t, "A1", cr.AccessKeyID)
	require.Eventually(t, func() bool { return p.calls.Load() == 3 && c.inflight.Load() == nil }, 5*time.Second, time.Millisecond)

	// Expired: the error surfaces, synchronously, each time.
	clk.Add(5 * time.Minute)
	_, err = c.Retrieve(ctx)
	require.EqualError(t, err, "credentials: IMDS unreachable")
	_, err = c.Retrieve(ctx)
	require.Error(t, err)
	require.EqualValues(t, 5, p.calls.Load())

	// Recovery.
	fail.Store(false)
	cr, err = c.Retrieve(ctx)
	require.NoError(t, err)
	require.Equal(t, "A6", cr.AccessKeyID)
}

func TestCacheSyncErrors(t *testing.T) {
	clk := newFakeClock()
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		creds Credentials
		err   error
		want  string
	}{
		{"provider error", Credentials{}, noCreds("x", "none"), "credentials: no credentials from x: none"},
		{"no keys", Credentials{AccessKeyID: "A"}, nil, "credentials: *credentials.scripted returned no access key ID or no secret"},
		{"already expired", Credentials{AccessKeyID: "A", SecretAccessKey: testSecret, CanExpire: true, Expires: clk.Now().Add(-time.Second)}, nil,
			"credentials: *credentials.scripted returned credentials that expired at 2026-01-02T03:04:04Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &scripted{fn: func(int32) (Credentials, error) { return tc.creds, tc.err }}
			c := NewCache(p, withClock(clk.Now))
			_, err := c.Retrieve(ctx)
			require.EqualError(t, err, tc.want)
			if tc.err != nil {
				require.ErrorIs(t, err, ErrNoCredentials)
			}
			_, err = c.Retrieve(ctx) // errors are not cached
			require.Error(t, err)
			require.EqualValues(t, 2, p.calls.Load())
		})
	}
}

func TestCachePanickingProvider(t *testing.T) {
	c := NewCache(ProviderFunc(func(context.Context) (Credentials, error) { panic("boom " + testSecret) }))
	_, err := c.Retrieve(context.Background())
	require.EqualError(t, err, "credentials: provider credentials.ProviderFunc panicked")
	requireNoSecret(t, err.Error())
}

func TestCacheWaiterContext(t *testing.T) {
	release := make(chan struct{})
	p := &scripted{fn: func(int32) (Credentials, error) {
		<-release
		return Credentials{AccessKeyID: "A", SecretAccessKey: "s"}, nil
	}}
	c := NewCache(p)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := c.Retrieve(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	// The refresh went on and fills the cache for the next caller.
	close(release)
	cr, err := c.Retrieve(context.Background())
	require.NoError(t, err)
	require.Equal(t, "A", cr.AccessKeyID)
	require.EqualValues(t, 1, p.calls.Load())
}

func TestCacheInvalidateExpiring(t *testing.T) {
	clk := newFakeClock()
	p := &scripted{fn: func(n int32) (Credentials, error) { return expiring(clk, fmt.Sprint("A", n), time.Hour), nil }}
	c := NewCache(p, withClock(clk.Now))
	cr, _ := c.Retrieve(context.Background())
	require.Equal(t, "A1", cr.AccessKeyID)
	c.Invalidate()
	cr, _ = c.Retrieve(context.Background())
	require.Equal(t, "A2", cr.AccessKeyID)
	cr, _ = c.Retrieve(context.Background())
	require.Equal(t, "A2", cr.AccessKeyID)
}
