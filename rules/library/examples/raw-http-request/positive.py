import socket

def fetch(host, path):
    s = socket.create_connection((host, 80))
    # ruleid: library/raw-http-request
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
    return s.recv(65536)
