def find_user(cursor, name):
    cursor.execute("SELECT * FROM users WHERE name = ?", (name,))
    return cursor.fetchall()

def unquote(text):
    return text.replace("'", "")
