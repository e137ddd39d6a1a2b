package dev.parley.rtc;

import java.net.InetSocketAddress;

/**
 * Where a transport's packets go once ICE picked a pair: the shared UDP socket towards one
 * address, or one ICE-TCP connection (RFC 6544). Sends copy the bytes, so the caller may reuse
 * its buffer at once.
 */
interface MediaPath {
    void send(byte[] buf, int off, int len);

    /** The remote address of the pair (the ICE agent's selected address). */
    InetSocketAddress remote();

    /** The pair's transport protocol as ICE names it: "udp", or "tcp" for ICE-TCP (RFC 6544). */
    default String protocol() {
        return "udp";
    }

    /** Releases the path when its transport closes (an ICE-TCP connection is closed; UDP has nothing to free). */
    default void close() {}
}
