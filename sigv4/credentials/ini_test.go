package credentials

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// flat returns section -> key -> value, for comparisons.
func flat(f *iniFile) map[string]map[string]string {
	out := map[string]map[string]string{}
	for name, s := range f.sections {
		m := map[string]string{}
		for k, v := range s.keys {
			m[k] = v.text
		}
		out[name] = m
	}
	return out
}

func TestParseINI(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     map[string]map[string]string
	}{
		{"empty", "", map[string]map[string]string{}},
		{"basic", "[default]\naws_access_key_id = AKID\naws_secret_access_key = S/ec+ret\n",
			map[string]map[string]string{"default": {"aws_access_key_id": "AKID", "aws_secret_access_key": "S/ec+ret"}}},
		{"comments and blank lines", "# top\n; also\n\n[default]\n  # indented comment\n\t; tab comment\nk = v\n\n# end",
			map[string]map[string]string{"default": {"k": "v"}}},
		{"odd whitespace", "\uFEFF  [  profile \t dev  ]  \r\n\tAWS_Access_Key_ID\t=\t AKID \t\r\n  aws_secret_access_key=S\r\n",
			map[string]map[string]string{"profile dev": {"aws_access_key_id": "AKID", "aws_secret_access_key": "S"}}},
		{"no trailing newline, CRLF", "[a]\r\nk=v", map[string]map[string]string{"a": {"k": "v"}}},
		{"inline comments need a blank before", "[a]\nk1 = v1 # comment\nk2 = v2\t; comment\nk3 = v#3;x\nk4 = https://h/p?q#frag\nk5 = #start\nk6 =\n",
			map[string]map[string]string{"a": {"k1": "v1", "k2": "v2", "k3": "v#3;x", "k4": "https://h/p?q#frag", "k5": "", "k6": ""}}},
		{"header comments", "[a] # c\nk=v\n[b];c\nk=w\n", map[string]map[string]string{"a": {"k": "v"}, "b": {"k": "w"}}},
		{"separators", "[a]\nk1: v1\nk2 = u:v\nk3: u=v\nk4==v\n",
			map[string]map[string]string{"a": {"k1": "v1", "k2": "u:v", "k3": "u=v", "k4": "=v"}}},
		{"quotes", "[a]\nk1 = \"quoted\"\nk2 = 'single'\nk3 = \"\"\nk4 = \"mismatch'\nk5 = \"a\"b\"\n",
			map[string]map[string]string{"a": {"k1": "quoted", "k2": "single", "k3": `""`, "k4": `"mismatch'`, "k5": `a"b`}}},
		{"duplicates: later wins, sections merge", "[a]\nk=1\nk=2\n[b]\nx=1\n[a]\nj=3\n",
			map[string]map[string]string{"a": {"k": "2", "j": "3"}, "b": {"x": "1"}}},
		{"keys before any section are ignored", "k=v\n[a]\nx=y\n", map[string]map[string]string{"a": {"x": "y"}}},
		{"nested sub-section ignored", "[profile a]\ns3 =\n  max_concurrent_requests = 20\n  signature_version = s3v4\nregion = us-east-1\n",
			map[string]map[string]string{"profile a": {"s3": "", "region": "us-east-1"}}},
		{"continuation appended", "[a]\nk = first\n  second\n\tthird # kept\nj = x\n",
			map[string]map[string]string{"a": {"k": "first\nsecond\nthird # kept", "j": "x"}}},
		{"uniformly indented keys", "[a]\n  k = v\n  j = w\n", map[string]map[string]string{"a": {"k": "v", "j": "w"}}},
		{"deeper indented key after a value", "[a]\nk = v\n    j = w\n  x : y\n", map[string]map[string]string{"a": {"k": "v", "j": "w", "x": "y"}}},
		{"section names are case-sensitive", "[Dev]\nk=1\n[dev]\nk=2\n", map[string]map[string]string{"Dev": {"k": "1"}, "dev": {"k": "2"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := parseINI([]byte(tc.in))
			require.NoError(t, err)
			require.Equal(t, tc.want, flat(f))
		})
	}
}

func TestParseINILineNumbers(t *testing.T) {
	f, err := parseINI([]byte("\n# c\n[a]\n\nk = v\n"))
	require.NoError(t, err)
	require.Equal(t, 3, f.sections["a"].line)
	require.Equal(t, 5, f.sections["a"].keys["k"].line)
}

func TestParseINIErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		line     int
		reason   string
	}{
		{"unclosed header", "[default\nk=v", 1, reasonNoClose},
		{"junk after header", "[default] SECRETVALUE\n", 1, reasonNoClose},
		{"empty header", "# x\n[  ]\n", 2, reasonNoName},
		{"line without separator", "[a]\nk=v\nSECRETVALUE\n", 3, reasonBadLine},
		{"value cut by comment leaves no separator", "[a]\nk # = SECRETVALUE\n", 2, reasonBadLine},
		{"missing key", "[a]\n\n\n = SECRETVALUE\n", 4, reasonNoKey},
		{"crlf line counting", "[a]\r\nk=v\r\n\r\nbad SECRETVALUE\r\n", 4, reasonBadLine},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := parseINI([]byte(tc.in))
			require.Nil(t, f)
			var pe *ParseError
			require.True(t, errors.As(err, &pe), "%v", err)
			require.Equal(t, tc.line, pe.Line)
			require.Equal(t, tc.reason, pe.Reason)
			require.NotContains(t, err.Error(), "SECRETVALUE")
		})
	}
}

func FuzzParseINI(f *testing.F) {
	for _, seed := range []string{
		"",
		"[default]\naws_access_key_id = AKID\naws_secret_access_key = secret\n",
		"\uFEFF[profile dev] # c\r\nk: 'v' ; c\r\n  nested = 1\n\tcont\n",
		"[\n]\n[[]]\n=\n:\n#\n;\n \t\n",
		"k=v\n[a]\ns3 =\n  x = y\nk = \"\"\n",
	} {
		f.Add([]byte(seed))
	}
	known := map[string]bool{reasonNoClose: true, reasonNoName: true, reasonNoKey: true, reasonBadLine: true}
	f.Fuzz(func(t *testing.T, data []byte) {
		ini, err := parseINI(data)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || !known[pe.Reason] || pe.Line < 1 || pe.Line > strings.Count(string(data), "\n")+1 {
				t.Fatalf("unexpected error %#v", err)
			}
			if ini != nil {
				t.Fatal("file and error both returned")
			}
			return
		}
		for name, s := range ini.sections {
			if name == "" || name != s.name || strings.TrimSpace(name) != name && strings.Trim(name, " \t") != name {
				t.Fatalf("bad section name %q", name)
			}
			for k := range s.keys {
				if k == "" || k != strings.ToLower(k) || strings.Trim(k, " \t") != k {
					t.Fatalf("bad key %q", k)
				}
			}
		}
	})
}
