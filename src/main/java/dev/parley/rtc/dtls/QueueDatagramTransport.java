package dev.parley.rtc.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DatagramTransport;

/**
 * The {@link DatagramTransport} BouncyCastle blocks on, backed by a queue the event loop fills.
 * During the handshake {@code receive} waits (bounded by the handshake deadline, so a silent
 * peer ends the handshake rather than a thread); afterwards it never waits, so draining the odd
 * post-handshake record costs no parked thread.
 */
final class QueueDatagramTransport implements DatagramTransport {
    /** Records buffered per endpoint; a flight is a handful, more means a flood and is dropped. */
    static final int CAPACITY = 64;
    /** Largest datagram accepted from the network. */
    static final int RECEIVE_LIMIT = 1500;

    private static final byte[] WAKE = new byte[0];

    private final BlockingQueue<byte[]> inbound = new ArrayBlockingQueue<>(CAPACITY);
    private final DtlsEndpoint.RecordSender sender;
    private final int sendLimit;
    private volatile long deadlineNanos = Long.MAX_VALUE;
    private volatile boolean nonBlocking;
    private volatile boolean closed;

    QueueDatagramTransport(DtlsEndpoint.RecordSender sender, int sendLimit) {
        this.sender = sender;
        this.sendLimit = sendLimit;
    }

    /** Queues a copy of a received record; false when closed or full (the record is dropped). */
    boolean offer(byte[] buf, int off, int len) {
        if (closed || len <= 0 || len > RECEIVE_LIMIT) {
            return false;
        }
        byte[] copy = new byte[len];
        System.arraycopy(buf, off, copy, 0, len);
        return inbound.offer(copy);
    }

    boolean hasPending() {
        return !closed && !inbound.isEmpty();
    }

    void handshakeDeadline(long nanos) {
        deadlineNanos = nanos;
    }

    /** After the handshake: no deadline and no waiting. */
    void established() {
        deadlineNanos = Long.MAX_VALUE;
        nonBlocking = true;
    }

    boolean deadlinePassed() {
        return System.nanoTime() - deadlineNanos >= 0 && deadlineNanos != Long.MAX_VALUE;
    }

    @Override
    public int getReceiveLimit() {
        return RECEIVE_LIMIT;
    }

    @Override
    public int getSendLimit() {
        return sendLimit;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (closed) {
            throw new IOException("DTLS transport closed");
        }
        byte[] record;
        if (nonBlocking) {
            record = inbound.poll();
        } else {
            long remainingMillis = deadlineNanos == Long.MAX_VALUE ? Long.MAX_VALUE
                    : TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (remainingMillis <= 0) {
                throw new HandshakeTimeoutException();
            }
            long wait = waitMillis <= 0 ? remainingMillis : Math.min(waitMillis, remainingMillis);
            try {
                record = inbound.poll(wait, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("DTLS receive interrupted");
            }
            if (closed) {
                throw new IOException("DTLS transport closed");
            }
        }
        if (record == null) {
            return -1;
        }
        if (record == WAKE) {
            throw new IOException("DTLS transport closed");
        }
        int n = Math.min(len, record.length);
        System.arraycopy(record, 0, buf, off, n);
        return n;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("DTLS transport closed");
        }
        sender.send(buf, off, len);
    }

    @Override
    public void close() {
        closed = true;
        inbound.clear();
        // Wake a handshake parked in poll (BC waits up to its resend timer, which backs off to
        // a minute) so its executor thread is released now, not when the timer fires.
        inbound.offer(WAKE);
    }

    boolean isClosed() {
        return closed;
    }

    /** Thrown into BouncyCastle's handshake loop when the deadline passes. */
    static final class HandshakeTimeoutException extends IOException {
        private static final long serialVersionUID = 1L;

        HandshakeTimeoutException() {
            super("DTLS handshake timed out");
        }
    }
}
