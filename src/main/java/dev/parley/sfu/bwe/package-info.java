/**
 * Congestion control for the SFU: transport-wide-cc feedback towards publishers
 * ({@link dev.parley.sfu.bwe.TransportCcReceiver}), a send-side bandwidth estimate per subscriber
 * in the spirit of Google Congestion Control ({@link dev.parley.sfu.bwe.SendSideBandwidthEstimator},
 * fed by {@link dev.parley.sfu.bwe.TransportSequenceStamper}), and the division of that estimate
 * among a subscriber's video consumers ({@link dev.parley.sfu.bwe.BitrateAllocator}).
 *
 * <p>Everything here is single-threaded (one Router's event loop), takes time as a microsecond
 * argument instead of reading a clock, and does no I/O, so tests drive it with a virtual clock.
 */
package dev.parley.sfu.bwe;
