def load_users(path):
    users = []
    with open(path) as f:
        # ruleid: library/python-csv-split
        for line in f:
            name, email, age = line.strip().split(",")
            users.append((name, email, int(age)))
    return users
