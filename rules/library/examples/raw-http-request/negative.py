import requests

def fetch(url):
    return requests.get(url, timeout=10).text

def status_line(code, reason):
    # A server writes the status line; that is not a hand-written client.
    return f"HTTP/1.1 {code} {reason}\r\n"
