package api

import (
	"encoding/json"
	"fmt"
)

func UserJSON(name string) ([]byte, error) {
	return json.Marshal(map[string]string{"name": name})
}

const okBody = `{"status": "ok"}`

func Label(k string) string {
	return fmt.Sprintf("{%s}", k)
}
