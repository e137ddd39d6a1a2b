package dev.parley.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Interop with a TURN client no one here wrote: coturn's {@code turnutils_uclient}, relaying to
 * {@code turnutils_peer} (UDP echo), over UDP, TCP, TLS and RFC 6062 TCP relay. A run passes only
 * when bytes sent equal bytes received. The coturn binaries must be installed (Debian package
 * {@code coturn}); a missing binary fails the test, it never skips it.
 */
@Tag("interop")
class CoturnInteropTest {
    static final Pattern SENT = Pattern.compile("tot_send_bytes ~ (\\d+)");
    static final Pattern RECEIVED = Pattern.compile("tot_recv_bytes ~ (\\d+)");

    private final List<Process> processes = new ArrayList<>();
    private TurnServer server;
    private SimpleMeterRegistry registry;

    @AfterEach
    void stop() {
        processes.forEach(p -> p.descendants().forEach(ProcessHandle::destroy));
        processes.forEach(Process::destroy);
        if (server != null) server.close();
    }

    static String binary(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return p.toString();
        }
        Path fallback = Path.of("/usr/bin", name);
        if (Files.isExecutable(fallback)) return fallback.toString();
        fail(name + " not found on PATH: install the Debian package 'coturn' (apt-get install -y coturn) to run the interop tests");
        return null;
    }

    /**
     * turnutils_uclient picks channel numbers from RFC 5766's 0x4000-0x7FFF, which RFC 8656 cut to
     * 0x4000-0x4FFF; runs that use channels turn the compatibility switch on, runs with Send
     * indications (-s) keep the strict default.
     */
    void startServer(boolean allowLoopbackPeers, boolean rfc5766Channels) throws Exception {
        registry = new SimpleMeterRegistry();
        server = new TurnServer(TurnServerUdpTest.settings(allowLoopbackPeers).withRfc5766ChannelNumbers(rfc5766Channels),
                registry);
        server.start();
    }

    int startPeer() throws Exception {
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Process peer = new ProcessBuilder(binary("turnutils_peer"), "-L", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        processes.add(peer);
        return port;
    }

    /** Runs turnutils_uclient to completion and returns its output. */
    String uclient(List<String> flags) throws Exception {
        TurnCredentials.Credential c = TurnServerUdpTest.credential("interop");
        List<String> command = new ArrayList<>();
        command.add(binary("turnutils_uclient"));
        command.addAll(flags);
        command.addAll(List.of("-u", c.username(), "-w", c.password(), "127.0.0.1"));
        Path log = Files.createTempFile("uclient", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("turnutils_uclient did not finish:\n" + Files.readString(log));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        return output;
    }

    void assertAllBytesCameBack(String output) {
        long sent = last(SENT, output);
        long received = last(RECEIVED, output);
        assertTrue(sent > 0, () -> "nothing sent:\n" + output + serverView());
        assertEquals(sent, received, () -> "bytes sent != bytes received:\n" + output + serverView());
    }

    /** What the server saw, to tell client-side from relay-side loss in a failure message. */
    private String serverView() {
        StringBuilder s = new StringBuilder("\nserver meters:");
        registry.getMeters().stream().filter(m -> m.getId().getName().startsWith("parley.turn.relayed")
                        || m.getId().getName().startsWith("parley.turn.dropped") || m.getId().getName().startsWith("parley.turn.errors"))
                .forEach(m -> m.measure().forEach(x -> s.append("\n  ").append(m.getId().getName()).append(m.getId().getTags())
                        .append(" = ").append(x.getValue())));
        return s.toString();
    }

    static long last(Pattern pattern, String output) {
        Matcher m = pattern.matcher(output);
        long value = -1;
        while (m.find()) value = Long.parseLong(m.group(1));
        return value;
    }

    @Test
    void udpClientRelaysToUdpPeerOverChannels() throws Exception {
        startServer(true, true);
        int peer = startPeer();
        assertAllBytesCameBack(uclient(List.of("-c", "-n", "50", "-l", "120", "-e", "127.0.0.1", "-r", Integer.toString(peer),
                "-p", Integer.toString(server.udpPort()))));
    }

    @Test
    void udpClientWithSendIndicationsRelaysToUdpPeer() throws Exception {
        startServer(true, false);
        int peer = startPeer();
        assertAllBytesCameBack(uclient(List.of("-c", "-s", "-n", "50", "-l", "120", "-e", "127.0.0.1", "-r", Integer.toString(peer),
                "-p", Integer.toString(server.udpPort()))));
    }

    @Test
    void tcpClientRelaysToUdpPeerOverChannels() throws Exception {
        startServer(true, true);
        int peer = startPeer();
        assertAllBytesCameBack(uclient(List.of("-t", "-c", "-n", "50", "-l", "120", "-e", "127.0.0.1", "-r", Integer.toString(peer),
                "-p", Integer.toString(server.tcpPort()))));
    }

    @Test
    void tlsClientRelaysToUdpPeerOverChannels() throws Exception {
        startServer(true, true);
        int peer = startPeer();
        assertAllBytesCameBack(uclient(List.of("-t", "-S", "-c", "-n", "50", "-l", "120", "-e", "127.0.0.1", "-r", Integer.toString(peer),
                "-p", Integer.toString(server.tlsPort()))));
    }

    @Test
    void tcpClientWithSendIndicationsRelaysToUdpPeer() throws Exception {
        startServer(true, false);
        int peer = startPeer();
        assertAllBytesCameBack(uclient(List.of("-t", "-s", "-c", "-n", "50", "-l", "120", "-e", "127.0.0.1", "-r", Integer.toString(peer),
                "-p", Integer.toString(server.tcpPort()))));
    }

    @Test
    void tlsClientWithSendIndicationsRelaysToUdpPeer() throws Exception {
        startServer(true, false);
        int peer = startPeer();
        assertAllBytesCameBack(uclient(List.of("-t", "-S", "-s", "-c", "-n", "50", "-l", "120", "-e", "127.0.0.1", "-r",
                Integer.toString(peer), "-p", Integer.toString(server.tlsPort()))));
    }

    @Test
    void tcpRelayClientToClient() throws Exception {
        startServer(true, false);
        // uclient -T counts one message per read() on its RFC 6062 data connection, so it loses count when a
        // relay cuts a message in two. The splice keeps read buffers >= 2 KiB and flushes once per read batch
        // (PeerConnection.Splice), so the relay never splits what the sender wrote whole. Several clients at a
        // 5 ms interval pile messages up on a loaded machine; this failed about one run in two before that.
        assertAllBytesCameBack(uclient(List.of("-T", "-m", "4", "-z", "5", "-n", "50", "-l", "120", "-p",
                Integer.toString(server.tcpPort()))));
    }

    @Test
    void clientComputingRestCredentialsFromTheSecretIsAccepted() throws Exception {
        startServer(true, false);
        int peer = startPeer();
        // -W: turnutils_uclient derives "<expiry>:<user>" and its HMAC password itself, the coturn way
        List<String> command = List.of(binary("turnutils_uclient"), "-c", "-s", "-n", "20", "-l", "100", "-e", "127.0.0.1",
                "-r", Integer.toString(peer), "-p", Integer.toString(server.udpPort()), "-W", TurnServerUdpTest.SECRET,
                "-u", "rest-user", "127.0.0.1");
        Path log = Files.createTempFile("uclient", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "turnutils_uclient did not finish");
        String output = Files.readString(log);
        Files.deleteIfExists(log);
        assertAllBytesCameBack(output);
    }

    @Test
    void stunClientGetsItsReflexiveAddress() throws Exception {
        startServer(false, false);
        Process p = new ProcessBuilder(binary("turnutils_stunclient"), "-p", Integer.toString(server.udpPort()), "127.0.0.1")
                .redirectErrorStream(true).start();
        processes.add(p);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "turnutils_stunclient did not finish");
        assertTrue(output.contains("UDP reflexive addr: 127.0.0.1:"), () -> "no reflexive address:\n" + output);
    }

    @Test
    void udpClientWithRtcpAllocationsUsesEvenPortReservations() throws Exception {
        startServer(true, true);
        int peer = startPeer();
        // without -c every uclient session allocates an RTP/RTCP pair: EVEN-PORT with R, then RESERVATION-TOKEN
        assertAllBytesCameBack(uclient(List.of("-n", "30", "-l", "120", "-e", "127.0.0.1", "-r", Integer.toString(peer),
                "-p", Integer.toString(server.udpPort()))));
    }

    @Test
    void deniedPeerGets403() throws Exception {
        startServer(false, true);
        int peer = startPeer();
        String output = uclient(List.of("-c", "-s", "-n", "5", "-l", "100", "-e", "127.0.0.1", "-r", Integer.toString(peer),
                "-p", Integer.toString(server.udpPort())));
        assertTrue(output.contains("403"), () -> "expected a 403 for the loopback peer:\n" + output);
        assertTrue(last(RECEIVED, output) <= 0, () -> "nothing may reach a denied peer:\n" + output);
    }
}
