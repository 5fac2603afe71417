import os

def config_path():
    # ruleid: library/python-path-concat
    return os.path.dirname(__file__) + "/config.yaml"

def data_dir(name):
    # ruleid: library/python-path-concat
    return os.getcwd() + "/" + name
