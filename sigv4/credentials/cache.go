package credentials

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"
)

const (
	// DefaultExpiryWindow is how long before expiry a [Cache] refreshes.
	DefaultExpiryWindow = 5 * time.Minute

	// retryBackoff: after a failed background refresh, the next one starts
	// no sooner than this.
	retryBackoff = time.Second

	// refreshTimeout bounds one call to the underlying provider: a refresh
	// runs detached from the caller's cancellation and must not hang the
	// single flight forever.
	refreshTimeout = time.Minute
)

// Cache wraps a provider for the hot path. Retrieve, while the cached
// credentials are valid, loads one atomic pointer, takes no lock and does
// not allocate.
//
//   - Credentials with CanExpire=false are cached forever (until Invalidate).
//   - Credentials that can expire enter a refresh window at
//     Expires - min(ExpiryWindow, lifetime/2), lifetime being Expires minus
//     the time they were retrieved. The first Retrieve inside the window
//     starts one background refresh and returns the cached credentials at
//     once. If that refresh fails the cached credentials are served until
//     they expire, and a later Retrieve tries again (at most once per
//     second).
//   - When nothing valid is cached, Retrieve refreshes synchronously: one
//     call to the provider, which concurrent callers wait for (each until
//     its own ctx is done); its error is returned.
//
// A refresh runs detached from the caller's cancellation (keeping its
// values), with a one-minute timeout. A provider that panics is reported as
// an error rather than crashing the process.
type Cache struct {
	provider Provider
	window   time.Duration
	now      func() time.Time

	cur         atomic.Pointer[cacheEntry]
	inflight    atomic.Pointer[refreshCall]
	nextAttempt atomic.Int64 // UnixNano before which no background refresh starts
}

// cacheEntry is immutable once published.
type cacheEntry struct {
	creds     Credentials
	refreshAt time.Time
}

// refreshCall is one call to the provider; creds and err are set before
// done is closed.
type refreshCall struct {
	done  chan struct{}
	creds Credentials
	err   error
}

// CacheOption configures [NewCache].
type CacheOption func(*Cache)

// WithExpiryWindow sets how long before expiry the cache refreshes in the
// background (default [DefaultExpiryWindow]; capped at half the lifetime).
func WithExpiryWindow(d time.Duration) CacheOption {
	return func(c *Cache) {
		if d >= 0 {
			c.window = d
		}
	}
}

// withClock injects a clock (tests).
func withClock(now func() time.Time) CacheOption { return func(c *Cache) { c.now = now } }

// NewCache returns a caching provider around p.
func NewCache(p Provider, opts ...CacheOption) *Cache {
	c := &Cache{provider: p, window: DefaultExpiryWindow, now: time.Now}
	for _, o := range opts {
		o(c)
	}
	return c
}

// String names the cache in errors.
func (c *Cache) String() string { return "cache(" + providerName(c.provider) + ")" }

// Invalidate drops the cached credentials: the next Retrieve refreshes (or
// joins a refresh already under way).
func (c *Cache) Invalidate() {
	c.cur.Store(nil)
	c.nextAttempt.Store(0)
}

// Retrieve implements [Provider]; see [Cache] for the rules.
func (c *Cache) Retrieve(ctx context.Context) (Credentials, error) {
	if e := c.cur.Load(); e != nil {
		if !e.creds.CanExpire {
			return e.creds, nil
		}
		now := c.now()
		if now.Before(e.creds.Expires) {
			if !now.Before(e.refreshAt) && c.inflight.Load() == nil && now.UnixNano() >= c.nextAttempt.Load() {
				c.start(ctx, e) // background; the result is not awaited
			}
			return e.creds, nil
		}
	}
	return c.refreshSync(ctx)
}

// refreshSync returns valid credentials, joining or starting a refresh.
func (c *Cache) refreshSync(ctx context.Context) (Credentials, error) {
	for {
		// Load inflight before cur: a refresh publishes cur before it
		// clears inflight, so seeing no refresh means cur is up to date.
		call := c.inflight.Load()
		e := c.cur.Load()
		if e != nil && !e.creds.Expired(c.now()) {
			return e.creds, nil
		}
		if call == nil {
			if call = c.start(ctx, e); call == nil {
				continue // another caller started one first: join it
			}
		}
		select {
		case <-call.done:
			return call.creds, call.err
		case <-ctx.Done():
			return Credentials{}, ctx.Err()
		}
	}
}

// start claims the single refresh slot and runs the provider in a new
// goroutine; it returns nil if another refresh holds the slot. seen is the
// entry the caller based its decision on: if a refresh published a newer
// valid entry in the meantime, no provider call is made.
func (c *Cache) start(ctx context.Context, seen *cacheEntry) *refreshCall {
	call := &refreshCall{done: make(chan struct{})}
	if !c.inflight.CompareAndSwap(nil, call) {
		return nil
	}
	if e := c.cur.Load(); e != seen && e != nil && !e.creds.Expired(c.now()) {
		call.creds = e.creds
		c.inflight.Store(nil)
		close(call.done)
		return call
	}
	go c.run(context.WithoutCancel(ctx), call)
	return call
}

func (c *Cache) run(ctx context.Context, call *refreshCall) {
	ctx, cancel := context.WithTimeout(ctx, refreshTimeout)
	defer cancel()
	creds, err := c.retrieve(ctx)
	now := c.now()
	if err == nil {
		switch {
		case !creds.HasKeys():
			err = fmt.Errorf("credentials: %s returned no access key ID or no secret", providerName(c.provider))
		case creds.Expired(now):
			err = fmt.Errorf("credentials: %s returned credentials that expired at %s",
				providerName(c.provider), creds.Expires.UTC().Format(time.RFC3339))
		}
	}
	if err == nil {
		c.cur.Store(c.newEntry(creds, now))
		c.nextAttempt.Store(0)
	} else {
		creds = Credentials{}
		c.nextAttempt.Store(now.Add(retryBackoff).UnixNano())
	}
	call.creds, call.err = creds, err
	c.inflight.Store(nil) // after cur: see refreshSync
	close(call.done)
}

// retrieve calls the provider, turning a panic into an error: a refresh
// runs in its own goroutine, where a panic would end the process.
func (c *Cache) retrieve(ctx context.Context) (creds Credentials, err error) {
	defer func() {
		if r := recover(); r != nil {
			creds, err = Credentials{}, fmt.Errorf("credentials: provider %s panicked", providerName(c.provider))
		}
	}()
	return c.provider.Retrieve(ctx)
}

func (c *Cache) newEntry(creds Credentials, now time.Time) *cacheEntry {
	e := &cacheEntry{creds: creds}
	if creds.CanExpire {
		window := min(c.window, creds.Expires.Sub(now)/2)
		e.refreshAt = creds.Expires.Add(-window)
	}
	return e
}
