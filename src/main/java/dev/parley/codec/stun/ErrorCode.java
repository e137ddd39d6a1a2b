package dev.parley.codec.stun;

import java.nio.charset.StandardCharsets;

/** RFC 8489 §14.8 ERROR-CODE: a 3-digit code and a UTF-8 reason phrase. Codes from RFC 8489 §14.8, RFC 8656 §18.8, RFC 6062 §6.3. */
public record ErrorCode(int code, String reason) {
    public static final ErrorCode TRY_ALTERNATE = new ErrorCode(300, "Try Alternate");
    public static final ErrorCode BAD_REQUEST = new ErrorCode(400, "Bad Request");
    public static final ErrorCode UNAUTHORIZED = new ErrorCode(401, "Unauthorized");
    public static final ErrorCode FORBIDDEN = new ErrorCode(403, "Forbidden");
    public static final ErrorCode UNKNOWN_ATTRIBUTE = new ErrorCode(420, "Unknown Attribute");
    public static final ErrorCode ALLOCATION_MISMATCH = new ErrorCode(437, "Allocation Mismatch");
    public static final ErrorCode STALE_NONCE = new ErrorCode(438, "Stale Nonce");
    public static final ErrorCode ADDRESS_FAMILY_NOT_SUPPORTED = new ErrorCode(440, "Address Family not Supported");
    public static final ErrorCode WRONG_CREDENTIALS = new ErrorCode(441, "Wrong Credentials");
    public static final ErrorCode UNSUPPORTED_TRANSPORT_PROTOCOL = new ErrorCode(442, "Unsupported Transport Protocol");
    public static final ErrorCode PEER_ADDRESS_FAMILY_MISMATCH = new ErrorCode(443, "Peer Address Family Mismatch");
    public static final ErrorCode CONNECTION_ALREADY_EXISTS = new ErrorCode(446, "Connection Already Exists");
    public static final ErrorCode CONNECTION_TIMEOUT_OR_FAILURE = new ErrorCode(447, "Connection Timeout or Failure");
    public static final ErrorCode ALLOCATION_QUOTA_REACHED = new ErrorCode(486, "Allocation Quota Reached");
    public static final ErrorCode ROLE_CONFLICT = new ErrorCode(487, "Role Conflict");
    public static final ErrorCode SERVER_ERROR = new ErrorCode(500, "Server Error");
    public static final ErrorCode INSUFFICIENT_CAPACITY = new ErrorCode(508, "Insufficient Capacity");

    public ErrorCode {
        if (code < 300 || code > 699) throw new IllegalArgumentException("error code out of range: " + code);
        if (reason == null) reason = "";
    }

    public byte[] encode() {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[4 + text.length];
        value[2] = (byte) (code / 100);
        value[3] = (byte) (code % 100);
        System.arraycopy(text, 0, value, 4, text.length);
        return value;
    }

    static ErrorCode decode(byte[] raw, int at, int length) throws StunParseException {
        if (length < 4) throw new StunParseException("ERROR-CODE too short");
        int hundreds = raw[at + 2] & 0x07;
        int number = raw[at + 3] & 0xFF;
        if (hundreds < 3 || hundreds > 6 || number > 99) throw new StunParseException("ERROR-CODE out of range");
        return new ErrorCode(hundreds * 100 + number, new String(raw, at + 4, length - 4, StandardCharsets.UTF_8));
    }
}
