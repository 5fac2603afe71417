class Codec {
    // ruleid: library/base64-by-hand
    private static final String TABLE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    static char at(int i) { return TABLE.charAt(i); }
}
