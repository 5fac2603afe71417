package web

import "strings"

func Escape(s string) string {
	// ruleid: library/go-html-escape
	s = strings.ReplaceAll(s, "&", "&amp;")
	// ruleid: library/go-html-escape
	return strings.ReplaceAll(s, "<", "&lt;")
}
