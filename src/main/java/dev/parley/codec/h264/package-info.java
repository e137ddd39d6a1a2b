/**
 * H.264 RTP payload (RFC 6184): key frame detection across single NAL units, STAP-A/B and
 * FU-A/B via {@link dev.parley.codec.h264.H264Payload}. Errors: unchecked
 * {@link dev.parley.codec.h264.H264ParseException}.
 */
package dev.parley.codec.h264;
