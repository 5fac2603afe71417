import functools

@functools.lru_cache(maxsize=256)
def price(symbol):
    return len(symbol)

class LruSettings:
    size: int = 128
