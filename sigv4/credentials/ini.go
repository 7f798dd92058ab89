package credentials

import "strings"

// The shared-file INI dialect, as aws-sdk-go-v2's internal/ini reads it
// (botocore uses Python's configparser and agrees on everything a
// credentials profile uses):
//
//   - Lines end in \n or \r\n; a UTF-8 byte-order mark is skipped.
//   - Blank lines and lines whose first non-blank byte is '#' or ';' are
//     comments.
//   - "[name]" opens a section; inside the brackets the name is trimmed and
//     a run of blanks after the first word becomes one space ("[ profile
//     dev ]" is "profile dev"). A '#' or ';' after the header starts a
//     comment. Sections with the same name are merged.
//   - "key = value" (or the legacy "key: value", whichever separator comes
//     first) sets a key; keys are case-insensitive, both sides are trimmed.
//     A later duplicate wins. Keys before the first section are ignored.
//   - An inline comment in a value starts at a '#' or ';' preceded by a
//     space or a tab (aws-sdk-go-v2 since PR #2371), so '#' and ';' inside a
//     value survive. botocore never strips inline comments; the two agree
//     for every valid key, secret and token, which hold no blanks.
//   - One pair of matching quotes around a value is removed (aws-sdk-go-v2;
//     no escape sequences are interpreted).
//   - A line indented deeper than the key before it belongs to that key if
//     the key's value is empty (a nested sub-section, "s3 =" followed by
//     indented "key = value" lines: ignored) or if the line has no '=' or
//     ':' (a continuation: appended after a newline). An indented
//     "key = value" after a non-empty value is a key of its own (botocore
//     would append it, aws-sdk-go-v2 would drop it; neither helps a
//     credentials profile, where values are never multi-line).
//
// Errors carry the line number and a fixed reason, never the line.

const (
	reasonNoClose  = "section header has no closing ']'"
	reasonNoName   = "section header has an empty name"
	reasonNoKey    = "key name missing before '='"
	reasonBadLine  = "line is not a [section] header, a 'key = value' pair or a comment"
	utf8BOM        = "\uFEFF"
	iniBlankChars  = " \t"
	iniCommentHash = '#'
	iniCommentSemi = ';'
)

type iniValue struct {
	text string
	line int
}

type iniSection struct {
	name string
	line int // line of the first header
	keys map[string]iniValue
}

type iniFile struct {
	sections map[string]*iniSection
}

// section returns the section called name, or nil.
func (f *iniFile) section(name string) *iniSection {
	if f == nil {
		return nil
	}
	return f.sections[name]
}

// get returns the value of key (lower case) and whether it is set.
func (s *iniSection) get(key string) (iniValue, bool) {
	if s == nil {
		return iniValue{}, false
	}
	v, ok := s.keys[key]
	return v, ok
}

// parseINI parses a shared credentials or config file. It never panics;
// a syntax error is a *ParseError without the offending text.
func parseINI(data []byte) (*iniFile, error) {
	text := strings.TrimPrefix(string(data), utf8BOM)
	f := &iniFile{sections: map[string]*iniSection{}}
	var (
		cur       *iniSection
		curKey    string // key that indented lines continue; "" for none
		curIndent int
	)
	for n := 1; text != ""; n++ {
		var line string
		line, text, _ = strings.Cut(text, "\n")
		line = strings.TrimSuffix(line, "\r")
		trimmed := strings.Trim(line, iniBlankChars+"\r\f\v")
		if trimmed == "" || trimmed[0] == iniCommentHash || trimmed[0] == iniCommentSemi {
			continue
		}
		indent := len(line) - len(strings.TrimLeft(line, iniBlankChars))

		if trimmed[0] == '[' {
			name, reason := parseHeader(trimmed)
			if reason != "" {
				return nil, &ParseError{Line: n, Reason: reason}
			}
			cur = f.sections[name]
			if cur == nil {
				cur = &iniSection{name: name, line: n, keys: map[string]iniValue{}}
				f.sections[name] = cur
			}
			curKey = ""
			continue
		}

		if cur != nil && curKey != "" && indent > curIndent {
			v := cur.keys[curKey]
			switch {
			case v.text == "": // a nested sub-section ("s3 =" ...): not for credentials
				continue
			case !strings.ContainsAny(trimmed, "=:"): // a continuation line
				v.text += "\n" + trimmed
				cur.keys[curKey] = v
				continue
			} // else a key of its own, merely indented differently
		}

		key, value, ok := splitProperty(trimPropertyComment(trimmed))
		if !ok {
			return nil, &ParseError{Line: n, Reason: reasonBadLine}
		}
		if key == "" {
			return nil, &ParseError{Line: n, Reason: reasonNoKey}
		}
		if cur == nil {
			continue // keys before any section: ignored, as the SDKs do
		}
		key = strings.ToLower(key)
		cur.keys[key] = iniValue{text: unquote(value), line: n}
		curKey, curIndent = key, indent
	}
	return f, nil
}

// parseHeader returns the normalized name of a "[...]" line, or a reason.
func parseHeader(s string) (name, reason string) {
	if i := strings.IndexAny(s, "#;"); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimRight(s, iniBlankChars)
	if len(s) < 2 || s[len(s)-1] != ']' {
		return "", reasonNoClose
	}
	s = strings.Trim(s[1:len(s)-1], iniBlankChars)
	if s == "" {
		return "", reasonNoName
	}
	if i := strings.IndexAny(s, iniBlankChars); i >= 0 {
		s = s[:i] + " " + strings.TrimLeft(s[i:], iniBlankChars)
	}
	return s, ""
}

// trimPropertyComment cuts an inline comment: '#' or ';' after a blank.
func trimPropertyComment(s string) string {
	for i := 1; i < len(s); i++ {
		if (s[i] == iniCommentHash || s[i] == iniCommentSemi) && (s[i-1] == ' ' || s[i-1] == '\t') {
			return s[:i-1]
		}
	}
	return s
}

// splitProperty splits "key = value" at '=' or, if it comes first or '=' is
// absent, at ':'. Both parts are trimmed.
func splitProperty(s string) (key, value string, ok bool) {
	i := strings.IndexAny(s, "=:")
	if i < 0 {
		return "", "", false
	}
	return strings.Trim(s[:i], iniBlankChars), strings.Trim(s[i+1:], iniBlankChars), true
}

// unquote removes one pair of matching quotes around a value of 3+ bytes.
func unquote(s string) string {
	if len(s) > 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}
