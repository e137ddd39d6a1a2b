/**
 * Opus (RFC 6716 §3.1 TOC byte, §3.2 frame counts) and the RFC 6464 audio level header
 * extension used for dominant speaker detection. Errors: unchecked
 * {@link dev.parley.codec.opus.OpusParseException}.
 */
package dev.parley.codec.opus;
