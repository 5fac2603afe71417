def find_user(cursor, name):
    # ruleid: library/python-sql-escape
    safe = name.replace("'", "''")
    cursor.execute("SELECT * FROM users WHERE name = '" + safe + "'")
    return cursor.fetchall()
