import socket

def cache_get(key):
    sock = socket.create_connection(("localhost", 6379))
    # ruleid: library/redis-resp-by-hand
    sock.sendall(f"*2\r\n$3\r\nGET\r\n${len(key)}\r\n{key}\r\n".encode())
    return sock.recv(4096)
