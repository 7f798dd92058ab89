package conformance

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
)

// Report counts the checks of one run. One check is one (case, mode).
type Report struct {
	Passed, Failed, Skipped int
	Failures                []Failure
}

// Summary is the last line of a run: "N passed, N failed[, N skipped]".
func (r Report) Summary() string {
	s := fmt.Sprintf("%d passed, %d failed", r.Passed, r.Failed)
	if r.Skipped > 0 {
		s += fmt.Sprintf(", %d skipped", r.Skipped)
	}
	return s
}

// Run checks every case folder under dir (a folder holding one folder per
// case, such as the suite's v4/) in both modes, and writes each failure
// and skip to w.
func Run(dir string, w io.Writer) (Report, error) {
	var rep Report
	entries, err := os.ReadDir(dir)
	if err != nil {
		return rep, err
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		return rep, fmt.Errorf("%s: no case folders", dir)
	}
	for _, name := range names {
		c, err := Load(filepath.Join(dir, name))
		if err != nil {
			rep.Failed++
			rep.Failures = append(rep.Failures, Failure{Case: name, Stage: "load", Got: err.Error(), Want: "a readable case"})
			fmt.Fprintf(w, "FAIL %s: %v\n", name, err)
			continue
		}
		for _, mode := range []Mode{Header, Query} {
			f, checked, err := c.Check(mode)
			switch {
			case err != nil:
				f = &Failure{Case: name, Mode: mode, Stage: "read", Got: err.Error(), Want: "readable expected files"}
				fallthrough
			case f != nil:
				rep.Failed++
				rep.Failures = append(rep.Failures, *f)
				fmt.Fprintln(w, f.String())
			case !checked:
				rep.Skipped++
				fmt.Fprintf(w, "SKIP %s [%s]: no expected files\n", name, mode)
			default:
				rep.Passed++
			}
		}
	}
	return rep, nil
}
