import java.sql.Connection;
import java.sql.PreparedStatement;

class Users {
    PreparedStatement query(Connection c, String name) throws Exception {
        PreparedStatement ps = c.prepareStatement("SELECT * FROM users WHERE name = ?");
        ps.setString(1, name);
        return ps;
    }
    String clean(String s) { return s.replace("'", ""); }
}
