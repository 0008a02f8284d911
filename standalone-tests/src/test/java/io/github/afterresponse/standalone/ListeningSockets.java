package io.github.afterresponse.standalone;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The TCP sockets a process listens on, read from Linux's {@code /proc}: its file descriptors
 * name socket inodes, and {@code /proc/net/tcp} and {@code tcp6} give each listening socket's
 * local address. Reading them checks the binding without connecting anywhere but loopback.
 */
final class ListeningSockets {

    private static final String LISTEN = "0A";

    private ListeningSockets() {
    }

    static boolean available() {
        return Files.isReadable(Path.of("/proc/net/tcp"));
    }

    /** The local addresses ("127.0.0.1:8080", "[::]:6900") the process listens on. */
    static List<String> of(long pid) throws IOException {
        Set<String> inodes = socketInodes(pid);
        List<String> addresses = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.isReadable(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 9 && LISTEN.equals(fields[3]) && inodes.contains(fields[9])) {
                    addresses.add(address(fields[1]));
                }
            }
        }
        return addresses;
    }

    /** Whether every address is a loopback one. */
    static boolean allLoopback(List<String> addresses) {
        return addresses.stream().allMatch(a -> a.startsWith("127.") || a.startsWith("[::1]")
                || a.startsWith("[::ffff:127."));
    }

    private static Set<String> socketInodes(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        return inodes;
    }

    /** "0100007F:1F90" → "127.0.0.1:8080"; IPv6 as four little-endian words. */
    private static String address(String hex) {
        String[] parts = hex.split(":");
        int port = Integer.parseInt(parts[1], 16);
        String ip = parts[0];
        if (ip.length() == 8) {
            return Integer.parseInt(ip.substring(6, 8), 16) + "." + Integer.parseInt(ip.substring(4, 6), 16) + "."
                    + Integer.parseInt(ip.substring(2, 4), 16) + "." + Integer.parseInt(ip.substring(0, 2), 16)
                    + ":" + port;
        }
        byte[] bytes = new byte[16];
        for (int word = 0; word < 4; word++) {
            for (int b = 0; b < 4; b++) {
                int at = word * 8 + (3 - b) * 2;
                bytes[word * 4 + b] = (byte) Integer.parseInt(ip.substring(at, at + 2), 16);
            }
        }
        try {
            java.net.InetAddress parsed = java.net.InetAddress.getByAddress(bytes);
            String text = parsed.getHostAddress();
            if (parsed instanceof java.net.Inet4Address) {
                return "[::ffff:" + text + "]:" + port; // an IPv4-mapped address, as Java binds IPv4 on tcp6
            }
            return "[" + (text.equals("0:0:0:0:0:0:0:1") ? "::1" : text.equals("0:0:0:0:0:0:0:0") ? "::" : text)
                    + "]:" + port;
        } catch (java.net.UnknownHostException e) {
            return "[" + ip + "]:" + port;
        }
    }
}
