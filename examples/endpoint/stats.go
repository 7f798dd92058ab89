package main

import (
	"encoding/json"
	"io"
	"net/http"
	"sync"
)

// adminPrefix is the reserved path prefix of the unsigned admin endpoints. No
// AWS request uses it: Lambda paths start with a date, and S3 bucket names
// cannot contain '_'.
const adminPrefix = "/__awsv4/"

// stats counts verdicts. Requests to the admin endpoints are not counted.
type stats struct {
	mu       sync.Mutex
	accepted int64
	rejected int64
	byReason map[string]int64      // rejections by reason label (see authError.Reason)
	byKey    map[string]*keyCounts // verdicts by the access key id the request named
}

// keyCounts are the verdicts for one access key id. An access key id is not a
// secret (it is sent in clear in every Authorization header), so it may be
// shown; a test can see with it which key a client signed with, e.g. that a
// rotated credentials file was picked up.
type keyCounts struct {
	Accepted int64 `json:"accepted"`
	Rejected int64 `json:"rejected"`
}

// statsSnapshot is the JSON body of GET /__awsv4/stats.
type statsSnapshot struct {
	Accepted int64                `json:"accepted"`
	Rejected int64                `json:"rejected"`
	ByReason map[string]int64     `json:"by_reason"`
	ByKey    map[string]keyCounts `json:"by_key"`
}

func newStats() *stats { return &stats{byReason: map[string]int64{}, byKey: map[string]*keyCounts{}} }

// key returns the counters of akid, creating them. s.mu must be held.
func (s *stats) key(akid string) *keyCounts {
	kc := s.byKey[akid]
	if kc == nil {
		kc = &keyCounts{}
		s.byKey[akid] = kc
	}
	return kc
}

// accept counts an accepted request signed with akid.
func (s *stats) accept(akid string) {
	s.mu.Lock()
	s.accepted++
	if akid != "" {
		s.key(akid).Accepted++
	}
	s.mu.Unlock()
}

// reject counts a rejection; akid is the access key id the request named, or
// "" when it named none (or could not be parsed).
func (s *stats) reject(reason, akid string) {
	s.mu.Lock()
	s.rejected++
	s.byReason[reason]++
	if akid != "" {
		s.key(akid).Rejected++
	}
	s.mu.Unlock()
}

func (s *stats) snapshot() statsSnapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	snap := statsSnapshot{Accepted: s.accepted, Rejected: s.rejected,
		ByReason: make(map[string]int64, len(s.byReason)), ByKey: make(map[string]keyCounts, len(s.byKey))}
	for k, v := range s.byReason {
		snap.ByReason[k] = v
	}
	for k, v := range s.byKey {
		snap.ByKey[k] = *v
	}
	return snap
}

func (s *stats) reset() {
	s.mu.Lock()
	s.accepted, s.rejected = 0, 0
	s.byReason = map[string]int64{}
	s.byKey = map[string]*keyCounts{}
	s.mu.Unlock()
}

// serveAdmin answers the unsigned endpoints under adminPrefix:
//
//	GET  /__awsv4/health  → "ok"
//	GET  /__awsv4/stats   → {"accepted":N,"rejected":N,"by_reason":{...},
//	                         "by_key":{"AKID":{"accepted":N,"rejected":N},...}}
//	POST /__awsv4/reset   → zero the counters, answer the zeroed stats
//	*    /__awsv4/sink    → read the body, answer 200 "ok": a backend that does
//	                        nothing and verifies nothing, for benchmarks that
//	                        compare signed and unsigned requests through a proxy
func (s *stats) serveAdmin(w http.ResponseWriter, r *http.Request, path string) {
	var method string
	switch path {
	case adminPrefix + "sink":
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Content-Length", "3")
		_, _ = w.Write([]byte("ok\n"))
		return
	case adminPrefix + "health":
		method = http.MethodGet
	case adminPrefix + "stats":
		method = http.MethodGet
	case adminPrefix + "reset":
		method = http.MethodPost
	default:
		http.Error(w, "unknown admin endpoint; try "+adminPrefix+"health, "+adminPrefix+"stats, "+adminPrefix+"sink or POST "+adminPrefix+"reset", http.StatusNotFound)
		return
	}
	if r.Method != method && !(method == http.MethodGet && r.Method == http.MethodHead) {
		w.Header().Set("Allow", method)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	switch path {
	case adminPrefix + "health":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	case adminPrefix + "reset":
		s.reset()
		fallthrough
	default:
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(s.snapshot())
	}
}
