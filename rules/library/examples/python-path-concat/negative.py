import os

def config_path():
    return os.path.join(os.path.dirname(__file__), "config.yaml")

def url(base, path):
    return base + "/" + path

def with_separator(root):
    return os.path.join(root, "VC") + "/"
