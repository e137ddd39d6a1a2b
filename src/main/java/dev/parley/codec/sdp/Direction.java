package dev.parley.codec.sdp;

/** Media direction attributes (RFC 8866 §6.7); also the direction in a=extmap (RFC 8285 §8). */
public enum Direction implements Attribute {
    SENDRECV("sendrecv"), SENDONLY("sendonly"), RECVONLY("recvonly"), INACTIVE("inactive");

    private final String token;

    Direction(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    /** The direction the other side should use in an answer (RFC 8829 §5.3.1). */
    public Direction reverse() {
        return switch (this) {
            case SENDONLY -> RECVONLY;
            case RECVONLY -> SENDONLY;
            case SENDRECV, INACTIVE -> this;
        };
    }

    public boolean sends() {
        return this == SENDRECV || this == SENDONLY;
    }

    public boolean receives() {
        return this == SENDRECV || this == RECVONLY;
    }

    /** The direction for {@code token}, or null. */
    public static Direction fromName(String token) {
        for (Direction d : values()) {
            if (d.token.equals(token)) {
                return d;
            }
        }
        return null;
    }

    @Override
    public String attributeName() {
        return token;
    }

    @Override
    public String attributeValue() {
        return null;
    }
}
