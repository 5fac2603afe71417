class Digests {
    static String hex(byte[] digest) {
        StringBuilder sb = new StringBuilder();
        // ruleid: library/java-hex-by-hand
        for (byte b : digest) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }
}
