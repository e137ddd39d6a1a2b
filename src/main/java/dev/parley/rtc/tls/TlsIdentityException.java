package dev.parley.rtc.tls;

/** A certificate or key file that cannot serve as a TLS identity; the message names the file and what is wrong. */
public final class TlsIdentityException extends Exception {
    public TlsIdentityException(String message) {
        super(message);
    }

    public TlsIdentityException(String message, Throwable cause) {
        super(message, cause);
    }
}
