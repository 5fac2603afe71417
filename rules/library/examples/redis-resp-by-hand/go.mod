module example.com/redis-resp-by-hand

go 1.21

require github.com/redis/go-redis v1.0.0
