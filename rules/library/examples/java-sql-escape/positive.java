class Users {
    String query(String name) {
        // ruleid: library/java-sql-escape
        String safe = name.replace("'", "''");
        return "SELECT * FROM users WHERE name = '" + safe + "'";
    }
}
