package web

import (
	"html"
	"strings"
)

func Escape(s string) string {
	return html.EscapeString(s)
}

func Slug(s string) string {
	return strings.ReplaceAll(s, "&", "and")
}
