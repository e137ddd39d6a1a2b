/**
 * VP8 RTP payload (RFC 7741): descriptor parsing, in-place PictureID/TL0PICIDX/TID/KEYIDX
 * rewriting for simulcast switching, and key frame detection, through the allocation-free
 * {@link dev.parley.codec.vp8.Vp8PayloadView}. Errors: unchecked
 * {@link dev.parley.codec.vp8.Vp8ParseException}.
 */
package dev.parley.codec.vp8;
