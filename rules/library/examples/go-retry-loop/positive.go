package client

import (
	"net/http"
	"time"
)

func FetchWithRetry(url string) (*http.Response, error) {
	var err error
	// ruleid: library/go-retry-loop
	for attempt := 0; attempt < 5; attempt++ {
		resp, e := http.Get(url)
		err = e
		if err == nil {
			return resp, nil
		}
		time.Sleep(time.Duration(1<<attempt) * 100 * time.Millisecond)
	}
	return nil, err
}
