package dev.parley.turn;

import dev.parley.codec.stun.AttributeType;
import dev.parley.codec.stun.ChannelData;
import dev.parley.codec.stun.MessageIntegrity;
import dev.parley.codec.stun.MessageType;
import dev.parley.codec.stun.StunClass;
import dev.parley.codec.stun.StunMessage;
import dev.parley.codec.stun.StunMessageBuilder;
import dev.parley.codec.stun.StunParseException;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.cert.X509Certificate;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** A small blocking TURN client over UDP, TCP or TLS, written against the codec, for integration tests. */
final class TurnTestClient implements AutoCloseable {
    /** Generous: the shared CI machines can stall a JVM for seconds; no test waits this long when things work. */
    static final int TIMEOUT_MILLIS = 15_000;

    private final DatagramSocket udp;
    private final Socket stream;
    private final DataInputStream in;
    private final OutputStream out;
    private final InetSocketAddress server;
    String username;
    String password;
    String realm;
    String nonce;

    private TurnTestClient(DatagramSocket udp, Socket stream, InetSocketAddress server) throws IOException {
        this.udp = udp;
        this.stream = stream;
        this.server = server;
        this.in = stream == null ? null : new DataInputStream(stream.getInputStream());
        this.out = stream == null ? null : stream.getOutputStream();
    }

    static TurnTestClient udp(int port) throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        s.setSoTimeout(TIMEOUT_MILLIS);
        return new TurnTestClient(s, null, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    static TurnTestClient tcp(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(TIMEOUT_MILLIS);
        return new TurnTestClient(null, s, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    static TurnTestClient tls(int port) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        Socket s = context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(TIMEOUT_MILLIS);
        return new TurnTestClient(null, s, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    TurnTestClient credentials(String user, String pass) {
        this.username = user;
        this.password = pass;
        return this;
    }

    void sendRaw(byte[] bytes) throws IOException {
        if (udp != null) {
            udp.send(new DatagramPacket(bytes, bytes.length, server));
        } else {
            out.write(bytes);
            out.flush();
        }
    }

    /** Next STUN message or ChannelData frame from the server, raw. */
    byte[] receiveRaw() throws IOException {
        if (udp != null) {
            byte[] buf = new byte[65536];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            udp.receive(p);
            return java.util.Arrays.copyOf(buf, p.getLength());
        }
        byte[] header = new byte[4];
        in.readFully(header);
        int length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
        int total = (header[0] & 0xC0) == 0 ? 20 + length : ChannelData.streamFrameLength(length);
        byte[] frame = new byte[total];
        System.arraycopy(header, 0, frame, 0, 4);
        in.readFully(frame, 4, total - 4);
        return frame;
    }

    StunMessage receiveStun() throws IOException, StunParseException {
        while (true) {
            byte[] raw = receiveRaw();
            if ((raw[0] & 0xC0) == 0) return StunMessage.decode(raw);
        }
    }

    /** Sends an unauthenticated request and returns the response with the same transaction id. */
    StunMessage plain(StunMessageBuilder request) throws Exception {
        byte[] bytes = request.build();
        sendRaw(bytes);
        return awaitResponse(request.transactionId());
    }

    StunMessage awaitResponse(byte[] transactionId) throws Exception {
        while (true) {
            StunMessage m = receiveStun();
            if (m.hasTransactionId(transactionId)) return m;
        }
    }

    /**
     * Sends a long-term-authenticated request, learning realm and nonce from a 401/438 first when
     * needed. {@code attributes} adds the method's own attributes.
     */
    StunMessage request(int method, Consumer<StunMessageBuilder> attributes) throws Exception {
        for (int attempt = 0; attempt < 3; attempt++) {
            StunMessageBuilder b = StunMessageBuilder.create(MessageType.request(method));
            attributes.accept(b);
            if (nonce != null) {
                b.addText(AttributeType.USERNAME, username).addText(AttributeType.REALM, realm)
                        .addText(AttributeType.NONCE, nonce)
                        .addMessageIntegrity(MessageIntegrity.longTermKey(username, realm, password));
            }
            StunMessage response = plain(b.addFingerprint());
            if (response.stunClass() == StunClass.ERROR_RESPONSE) {
                int code = response.errorCode().code();
                if ((code == 401 && nonce == null || code == 438) && response.nonce() != null) {
                    realm = response.realm();
                    nonce = response.nonce();
                    continue;
                }
            }
            return response;
        }
        throw new AssertionError("authentication loop");
    }

    void sendIndication(int method, Consumer<StunMessageBuilder> attributes) throws IOException {
        StunMessageBuilder b = StunMessageBuilder.create(MessageType.indication(method));
        attributes.accept(b);
        sendRaw(b.build());
    }

    /** The IPv4 address behind an IPv4-mapped IPv6 socket address (epoll sockets are dual-stack), else the address itself. */
    static InetSocketAddress plainAddress(InetSocketAddress a) {
        byte[] b = a.getAddress().getAddress();
        if (b.length == 16 && java.util.Arrays.equals(java.util.Arrays.copyOf(b, 12),
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF})) {
            try {
                return new InetSocketAddress(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)), a.getPort());
            } catch (java.net.UnknownHostException e) {
                throw new AssertionError(e);
            }
        }
        return a;
    }

    Socket socket() {
        return stream;
    }

    InetSocketAddress localAddress() {
        return udp != null ? (InetSocketAddress) udp.getLocalSocketAddress() : (InetSocketAddress) stream.getLocalSocketAddress();
    }

    /** Whether nothing arrives within a short wait (for asserting that the server stayed silent). */
    boolean staysSilent() throws IOException {
        if (udp != null) udp.setSoTimeout(1000); else stream.setSoTimeout(1000);
        try {
            receiveRaw();
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } finally {
            if (udp != null) udp.setSoTimeout(TIMEOUT_MILLIS); else stream.setSoTimeout(TIMEOUT_MILLIS);
        }
    }

    @Override
    public void close() throws IOException {
        if (udp != null) udp.close();
        if (stream != null) stream.close();
    }
}
