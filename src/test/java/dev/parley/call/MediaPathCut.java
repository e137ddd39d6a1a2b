package dev.parley.call;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Cuts every UDP datagram inside the test's private network namespace while TCP (signaling, the
 * pages' HTTP) keeps working: a policy-routing rule sends UDP out of the namespace's veth, where
 * loopback-addressed packets are silently dropped. Senders see no error, as on a real dead path.
 * (This kernel has no tc actions or netem, so tc cannot do it.) Refuses to run outside a private
 * namespace: it would cut the machine's own UDP.
 */
final class MediaPathCut implements AutoCloseable {
    private static final String RULE_PREF = "10";
    private static final String TABLE = "100";
    private boolean cut;

    private MediaPathCut() {}

    /** Prepares the namespace (once per JVM is enough; repeating is harmless). Fails outside a private namespace. */
    static MediaPathCut prepare() {
        if (!inPrivateNamespace()) {
            throw new IllegalStateException("refusing to cut this machine's own UDP: run the browser tests through"
                    + " ./scripts/test, which makes a private network namespace (lo, pv0, pv1)");
        }
        MediaPathCut c = new MediaPathCut();
        c.ip(true, "sysctl", "-qw", "net.ipv4.conf.all.route_localnet=1", "net.ipv4.conf.pv0.route_localnet=1");
        c.ip(false, "ip", "route", "replace", "127.0.0.0/8", "dev", "pv0", "table", TABLE);
        // The local table is consulted at preference 0, before any rule we could add: move it behind ours.
        if (!c.output("ip", "rule", "show").contains("100:\tfrom all lookup local")) {
            c.ip(true, "ip", "rule", "add", "pref", "100", "lookup", "local");
            c.ip(false, "ip", "rule", "del", "pref", "0");
        }
        return c;
    }

    /** True only in a namespace whose interfaces are exactly lo, pv0 and pv1 (what ./scripts/test makes). */
    static boolean inPrivateNamespace() {
        try {
            // /proc/net is per network namespace (unlike /sys/class/net, which shows the mounter's).
            Set<String> interfaces = Files.readAllLines(Path.of("/proc/net/dev")).stream()
                    .filter(line -> line.contains(":"))
                    .map(line -> line.substring(0, line.indexOf(':')).trim())
                    .collect(Collectors.toSet());
            return interfaces.equals(Set.of("lo", "pv0", "pv1"));
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** From now on every UDP datagram in the namespace is lost. */
    void cut() {
        ip(true, "ip", "rule", "add", "pref", RULE_PREF, "ipproto", "udp", "lookup", TABLE);
        cut = true;
    }

    /** UDP flows again. */
    void restore() {
        if (!cut) return;
        ip(true, "ip", "rule", "del", "pref", RULE_PREF);
        cut = false;
    }

    @Override
    public void close() {
        restore();
    }

    private void ip(boolean mustWork, String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            int rc = p.waitFor();
            if (rc != 0 && mustWork) throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String output(String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
