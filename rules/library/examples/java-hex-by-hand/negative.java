import java.util.HexFormat;

class Digests {
    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }
    static void print(int[] values) {
        for (int v : values) {
            System.out.println(String.format("%d", v));
        }
    }
}
