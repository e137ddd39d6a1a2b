/**
 * The built-in STUN/TURN server (RFC 8489, RFC 8656, RFC 6062) on Netty. Public surface:
 * {@link dev.parley.turn.TurnSettings} (every knob), {@link dev.parley.turn.TurnServer}
 * (start / close / bound ports) and {@link dev.parley.turn.TurnCredentials} (TURN REST API
 * credentials for signaling's join response). Everything else is package-private.
 *
 * <p>Object model: a client 5-tuple owns at most one {@code Allocation} (relayed transport
 * address, permissions, channels, lifetime), which lives on one event loop; RFC 6062 adds
 * {@code PeerConnection}s per TCP allocation. {@code TurnProtocol} holds the request logic,
 * {@code UdpListenerHandler} / {@code StreamClientHandler} the listeners.
 */
package dev.parley.turn;
