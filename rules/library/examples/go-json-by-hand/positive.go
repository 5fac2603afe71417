package api

import "fmt"

func UserJSON(name string, age int) string {
	// ruleid: library/go-json-by-hand
	return fmt.Sprintf(`{"name": "%s", "age": %d}`, name, age)
}

func ErrorJSON(msg string) string {
	// ruleid: library/go-json-by-hand
	return fmt.Sprintf("{\"error\": %q}", msg)
}
