package dev.parley.rtc.dtls;

/** Which end of the handshake this endpoint is; SDP's a=setup decides it (RFC 5763 §5). */
public enum DtlsRole {
    /** a=setup:active — sends the ClientHello (Parley's Java load client). */
    CLIENT,
    /** a=setup:passive — answers it (Parley's SFU). */
    SERVER
}
