package main

import (
	"encoding/json"
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
	byReason map[string]int64 // rejections by reason label (see authError.Reason)
}

// statsSnapshot is the JSON body of GET /__awsv4/stats.
type statsSnapshot struct {
	Accepted int64            `json:"accepted"`
	Rejected int64            `json:"rejected"`
	ByReason map[string]int64 `json:"by_reason"`
}

func newStats() *stats { return &stats{byReason: map[string]int64{}} }

func (s *stats) accept() {
	s.mu.Lock()
	s.accepted++
	s.mu.Unlock()
}

func (s *stats) reject(reason string) {
	s.mu.Lock()
	s.rejected++
	s.byReason[reason]++
	s.mu.Unlock()
}

func (s *stats) snapshot() statsSnapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	snap := statsSnapshot{Accepted: s.accepted, Rejected: s.rejected, ByReason: make(map[string]int64, len(s.byReason))}
	for k, v := range s.byReason {
		snap.ByReason[k] = v
	}
	return snap
}

func (s *stats) reset() {
	s.mu.Lock()
	s.accepted, s.rejected = 0, 0
	s.byReason = map[string]int64{}
	s.mu.Unlock()
}

// serveAdmin answers the unsigned endpoints under adminPrefix:
//
//	GET  /__awsv4/health  → "ok"
//	GET  /__awsv4/stats   → {"accepted":N,"rejected":N,"by_reason":{...}}
//	POST /__awsv4/reset   → zero the counters, answer the zeroed stats
func (s *stats) serveAdmin(w http.ResponseWriter, r *http.Request, path string) {
	var method string
	switch path {
	case adminPrefix + "health":
		method = http.MethodGet
	case adminPrefix + "stats":
		method = http.MethodGet
	case adminPrefix + "reset":
		method = http.MethodPost
	default:
		http.Error(w, "unknown admin endpoint; try "+adminPrefix+"health, "+adminPrefix+"stats or POST "+adminPrefix+"reset", http.StatusNotFound)
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
