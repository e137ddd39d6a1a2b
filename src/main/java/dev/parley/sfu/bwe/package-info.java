/**
 * Congestion control for the SFU: transport-wide-cc feedback towards publishers
 * ({@link dev.parley.sfu.bwe.TransportCcReceiver}), a send-side bandwidth estimate per subscriber
 * in the spirit of Google Congestion Control ({@link dev.parley.sfu.bwe.SendSideBandwidthEstimator},
 * fed through {@link dev.parley.sfu.bwe.SubscriberCongestionControl}), and the division of that
 * estimate among a subscriber's video consumers ({@link dev.parley.sfu.bwe.BitrateAllocator}).
 *
 * <p>Everything here is single-threaded (one Router's event loop), takes time as a microsecond
 * argument of one monotonic clock ({@code System.nanoTime() / 1000}) instead of reading a clock,
 * and does no I/O, so tests drive it with a virtual clock.
 *
 * <h2>Wiring into the Router</h2>
 * (Done in {@code dev.parley.sfu.Router}; {@code VideoAllocator} builds the demands.)
 * <ul>
 *   <li><b>Publish transport</b>: one {@code TransportCcReceiver(SFU_SSRC)} per publisher. For
 *       every RTP packet (RTX and padding-only ones too, before they are dropped) whose
 *       transport-wide-cc extension the publisher negotiated:
 *       {@code int seq = view.transportSequenceNumber(id); if (seq >= 0) receiver.onPacket(seq,
 *       view.ssrc(), now)}; then {@code if (receiver.feedbackDue(now))} send each packet of
 *       {@code receiver.buildFeedback(now)} with {@code transport.sendRtcp}. Call
 *       {@code feedbackDue} from the once-a-second tick too, so the tail of a burst is reported.
 *   <li><b>Subscribe transport</b>: one {@code SubscriberCongestionControl(extId, random16)}
 *       per subscriber ({@code extId} 0 when the answer kept no transport-wide-cc extmap). Where
 *       a packet is copied into the send buffer, use {@code n = cc.prepare(src, 0, len, send, 0)}
 *       instead, rewrite SSRC/sequence/PT as now, and after {@code transport.sendRtp(send, 0, n)}
 *       succeeds call {@code cc.onSent(n, now)}. Retransmissions go the same way.
 *   <li><b>Subscriber RTCP</b>: for RTPFB FMT 15 and PSFB FMT 15 "REMB" call
 *       {@code cc.onRtcp(iterator.parse(), now)}.
 *   <li><b>Allocation</b>: on each feedback (or every 100-500 ms) and whenever demands change,
 *       {@code cc.allocate(demands, audioBps, now)}: one {@link
 *       dev.parley.sfu.bwe.BitrateAllocator.Demand} per video consumer (consumer id, priority,
 *       per-layer bitrates as measured on each producer layer's arrival,
 *       highest layer the subscriber wants). Apply {@code allocation.layerOf(id)} as each
 *       consumer's target layer (switching at the next keyframe); {@code PAUSED} pauses it.
 *   <li><b>Probing</b>: while {@code cc.probing(now)}, after each forwarded packet send
 *       {@code cc.paddingBytesDue(now)} bytes as padding-only packets on the RTX SSRC
 *       ({@code SubscriberCongestionControl.writePadding}, at most 255 bytes each), through
 *       {@code prepare}/{@code onSent} like media.
 * </ul>
 */
package dev.parley.sfu.bwe;
