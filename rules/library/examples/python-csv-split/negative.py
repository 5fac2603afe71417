import csv
import os

def load_users(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))

def allowed_hosts():
    return os.environ.get("HOSTS", "").split(",")

def words(lines):
    for line in lines:
        yield from line.split()
