from packaging.version import Version

def newer(a, b):
    return Version(a) > Version(b)

def octets(ip):
    return [x for x in ip.split(".")]

def numbers(csv_line):
    return list(map(int, csv_line.split(",")))
