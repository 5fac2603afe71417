import time
import requests

def fetch_prices(url):
    # ruleid: library/python-retry-loop
    for attempt in range(5):
        try:
            return requests.get(url, timeout=5).json()
        except requests.RequestException:
            time.sleep(2 ** attempt)
    raise RuntimeError("price service unavailable")
