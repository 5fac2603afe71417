import redis

# A comment that explains RESP: "*2\r\n$3\r\nGET\r\n" is what the client sends.
def cache_get(client: redis.Redis, key):
    return client.get(key)

def http_line(status):
    return f"HTTP/1.1 {status}\r\n"
