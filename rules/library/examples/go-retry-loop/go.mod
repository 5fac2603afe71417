module example.com/go-retry-loop

go 1.21

require github.com/cenkalti/backoff v1.0.0
