// One peer-to-peer RTCPeerConnection to one remote peer, negotiated through Parley signaling
// with "perfect negotiation" (W3C webrtc-pc §10.7 example) and self-healing: ICE restart on
// disconnect/failure with jittered backoff, then a brand-new connection as the last resort.
import { backoffDelay } from './backoff.js';
import { statsReporterFor } from './stats-report.js';

/** Whether this side yields on offer collisions: exactly one side of a pair is polite. */
export function isPolite(localPeerId, remotePeerId) {
  return localPeerId < remotePeerId;
}

/**
 * States: new → connecting → connected ⇄ reconnecting → failed → (restart()) connecting; → closed.
 * Events (CustomEvent detail): statechange {state, step, reason, attempt, maxAttempts}, track {event},
 * datachannel {channel}, connection {pc, generation} for every new RTCPeerConnection (the `setup`
 * option runs before it). `step` is what the session is doing, for apps to put in their own words:
 * 'negotiating', 'connected', 'interrupted' (waiting out a short drop), 'ice-restart' (try
 * `attempt` of `maxAttempts`), 'rebuild' (a new RTCPeerConnection), 'gave-up', 'closed'; `reason`
 * is an English explanation for logs.
 */
export class P2PSession extends EventTarget {
  /**
   * @param {import('./signaling.js').SignalingClient} signaling joined client
   * @param {string} peerId remote peer id
   * @param {object} options
   * @param {(pc: RTCPeerConnection, info: {generation: number}) => void} [options.setup] adds tracks and
   *   negotiated data channels to each new connection (called again after a full reconnect)
   * @param {RTCConfiguration} [options.rtcConfig] defaults to the iceServers from join
   * @param {string} [options.label] separates several sessions between the same two peers
   * @param {number} [options.disconnectGrace] ms to wait on ICE "disconnected" before restarting ICE
   * @param {number} [options.restartTimeout] ms an ICE restart may take before the next attempt
   * @param {number} [options.maxIceRestarts] ICE restarts before a new connection is built
   * @param {number} [options.maxConnections] new connections before giving up (state failed)
   * @param {(sdp: string, type: 'offer'|'answer') => string} [options.sdpTransform] rewrites the SDP sent to
   *   the peer (not the local description), e.g. Opus fmtp parameters that steer the peer's encoder
   * @param {import('./e2ee.js').E2EE} [options.e2ee] encrypts every sender's and decrypts every
   *   receiver's frames end to end (attached before each offer and answer)
   */
  constructor(signaling, peerId, options = {}) {
    super();
    this.signaling = signaling;
    this.peerId = peerId;
    this.options = {
      label: 'main', disconnectGrace: 2000, restartTimeout: 8000, maxIceRestarts: 2, maxConnections: 3,
      backoff: { initial: 1000, max: 8000 }, ...options,
    };
    this.polite = options.polite ?? isPolite(signaling.peerId, peerId);
    this.state = 'new';
    /** Why the session is in its state (what is being tried while reconnecting). */
    this.reason = null;
    this.pc = null;
    this.generation = 0;
    this.attempt = 0;
    this._connectionsBuilt = 0;
    this._makingOffer = false;
    this._ignoreOffer = false;
    this._settingRemoteAnswer = false;
    this._failedSeen = false;
    // Candidates wait for their description: local ones until the offer/answer is signalled (Chrome
    // can fire icecandidate before setLocalDescription resolves), remote ones until a remote
    // description exists (else addIceCandidate throws and the candidate is lost).
    this._holdLocalCandidates = false;
    this._heldLocalCandidates = [];
    this._earlyRemoteCandidates = [];
    this._timers = { grace: null, restart: null };
    this._unsubscribe = [];
    /**
     * When each negotiation milestone first happened in this session (epoch ms, sub-ms precision):
     * offerSent, offerReceived, answerSent, answerReceived, firstLocalCandidate, firstRemoteCandidate,
     * iceChecking, iceConnected, connected (ICE + DTLS). For setup-time measurements and debugging.
     */
    this.marks = {};
    /** Negotiation counts over the session's life: offers/answers sent, collisions (glare) and how each side settled them. */
    this.counters = { offersSent: 0, answersSent: 0, collisions: 0, offersIgnored: 0, rollbacks: 0 };
  }

  /** Builds the first connection and starts listening for the peer's signals. */
  start() {
    const sig = this.signaling;
    const mine = (m) => m.from === this.peerId && (m.label ?? 'main') === this.options.label;
    this._unsubscribe.push(
      sig.on('offer', (m) => mine(m) && this._onDescription(m, { type: 'offer', sdp: m.sdp })),
      sig.on('answer', (m) => mine(m) && this._onDescription(m, { type: 'answer', sdp: m.sdp })),
      sig.on('candidate', (m) => mine(m) && this._onCandidate(m)),
      sig.on('peer-left', (m) => m.peerId === this.peerId && this.close('peer left')),
      sig.on('peer-reconnected', (m) => m.peerId === this.peerId && this.state === 'reconnecting' && this._restartIce('peer back')),
      // getStats summaries for the admin page (docs/protocol.md, stats)
      statsReporterFor(sig).add({ kind: 'p2p', peer: this.peerId, getPc: () => this.pc }),
    );
    this._build();
    return this;
  }

  /** Manual retry from the failed state (a "Retry" button). */
  restart() {
    if (this.state === 'closed') return;
    this.attempt = 0;
    this._connectionsBuilt = 0;
    this._rebuild('retry requested');
  }

  /** Hangs up: closes the connection and stops listening. */
  close(reason = 'closed') {
    if (this.state === 'closed') return;
    this._clearTimers();
    this._unsubscribe.forEach((off) => off());
    this._unsubscribe = [];
    if (this.pc) this.pc.close();
    this._setState('closed', 'closed', reason);
  }

  // ---- negotiation -------------------------------------------------------------------------

  /**
   * With E2EE, every sender and receiver gets its transform before it is negotiated (once each).
   * Receivers too: Chromium delivers no frames to a transform set on a receiver of an offerer's
   * own transceiver only in `track`, after its media started.
   */
  _encrypt(pc) {
    const e2ee = this.options.e2ee;
    if (!e2ee) return;
    for (const t of pc.getTransceivers()) {
      if (t.stopped || !t.receiver.track) continue;
      e2ee.attachSender(t.sender, t.receiver.track.kind);
      e2ee.attachReceiver(t.receiver, this.peerId, t.receiver.track.kind);
    }
  }

  _build() {
    this.generation += 1;
    this._connectionsBuilt += 1;
    const config = this.options.rtcConfig ?? { iceServers: this.signaling.iceServers };
    const pc = new RTCPeerConnection(this.options.e2ee ? this.options.e2ee.rtcConfig(config) : config);
    const generation = this.generation;
    this.pc = pc;
    this._makingOffer = false;
    this._ignoreOffer = false;
    this._settingRemoteAnswer = false;
    this._failedSeen = false;
    this._holdLocalCandidates = false;
    this._heldLocalCandidates = [];
    this._earlyRemoteCandidates = [];
    const current = () => this.pc === pc;
    pc.onnegotiationneeded = async () => {
      if (!current()) return;
      try {
        this._makingOffer = true;
        this._holdLocalCandidates = true;
        this._encrypt(pc);
        await pc.setLocalDescription();
        // A colliding remote offer may have rolled this offer back (polite side) while it was being
        // set: then the description is gone or already our answer, and there is no offer to send.
        if (current() && pc.localDescription?.type === 'offer') {
          this._signal('offer', { sdp: this._outgoing(pc.localDescription) });
          this.counters.offersSent += 1;
          this._mark('offerSent');
        }
      } catch (error) {
        console.warn('parley: offer failed', error);
      } finally {
        this._makingOffer = false;
        if (current()) this._releaseLocalCandidates();
      }
    };
    pc.onicecandidate = ({ candidate }) => {
      if (!current()) return;
      if (candidate) this._mark('firstLocalCandidate');
      const body = { candidate: candidate ? candidate.toJSON() : null };
      if (this._holdLocalCandidates) this._heldLocalCandidates.push(body);
      else this._signal('candidate', body);
    };
    pc.ontrack = (event) => {
      this.options.e2ee?.attachReceiver(event.receiver, this.peerId, event.track.kind);
      if (current()) this._emit('track', { event, streams: event.streams, track: event.track });
    };
    pc.ondatachannel = ({ channel }) => current() && this._emit('datachannel', { channel });
    pc.oniceconnectionstatechange = () => current() && this._onIceState();
    pc.onconnectionstatechange = () => current() && this._onIceState();
    if (this.state === 'new') this._setState('connecting', 'negotiating', 'negotiating');
    this.options.setup?.(pc, { generation });
    this._emit('connection', { pc, generation });
    // A first connection whose offer or answer got lost would otherwise wait forever.
    if (this.state === 'connecting') {
      clearTimeout(this._timers.restart);
      this._timers.restart = setTimeout(() => this._restartIce('connection did not come up'), this.options.restartTimeout);
    }
  }

  _outgoing(description) {
    const transform = this.options.sdpTransform;
    return transform ? transform(description.sdp, description.type) : description.sdp;
  }

  _signal(type, body) {
    this.signaling.sendTo(this.peerId, type, { ...body, label: this.options.label, generation: this.generation });
  }

  async _onDescription(message, description) {
    this._mark(`${description.type}Received`);
    if ((message.generation ?? 1) > this.generation && description.type === 'offer') {
      // The other side built a new connection: follow it.
      this._adoptGeneration(message.generation);
    } else if ((message.generation ?? 1) < this.generation) {
      return; // stale, from a connection that no longer exists
    }
    const pc = this.pc;
    try {
      const readyForOffer = !this._makingOffer && (pc.signalingState === 'stable' || this._settingRemoteAnswer);
      const collision = description.type === 'offer' && !readyForOffer;
      this._ignoreOffer = !this.polite && collision;
      if (collision) {
        this.counters.collisions += 1;
        this.counters[this._ignoreOffer ? 'offersIgnored' : 'rollbacks'] += 1;
      }
      if (this._ignoreOffer) return;
      this._settingRemoteAnswer = description.type === 'answer';
      await pc.setRemoteDescription(description); // polite side rolls back implicitly
      this._settingRemoteAnswer = false;
      this._addEarlyRemoteCandidates(pc);
      if (description.type === 'offer' && this.pc === pc) {
        this._holdLocalCandidates = true;
        this._encrypt(pc);
        await pc.setLocalDescription();
        if (this.pc === pc) {
          this._signal('answer', { sdp: this._outgoing(pc.localDescription) });
          this.counters.answersSent += 1;
          this._mark('answerSent');
        }
      }
    } catch (error) {
      this._settingRemoteAnswer = false;
      console.warn('parley: applying remote description failed', error);
    } finally {
      if (this.pc === pc && !this._makingOffer) this._releaseLocalCandidates();
    }
  }

  _releaseLocalCandidates() {
    this._holdLocalCandidates = false;
    for (const body of this._heldLocalCandidates.splice(0)) this._signal('candidate', body);
  }

  _addEarlyRemoteCandidates(pc) {
    for (const candidate of this._earlyRemoteCandidates.splice(0)) {
      // Some may belong to an offer this side ignored (glare): those fail harmlessly.
      pc.addIceCandidate(candidate).catch(() => undefined);
    }
  }

  async _onCandidate(message) {
    if ((message.generation ?? 1) !== this.generation) return;
    if (message.candidate?.candidate) this._mark('firstRemoteCandidate');
    if (!this.pc.remoteDescription) {
      this._earlyRemoteCandidates.push(message.candidate ?? null);
      return;
    }
    try {
      await this.pc.addIceCandidate(message.candidate ?? null);
    } catch (error) {
      if (!this._ignoreOffer) console.warn('parley: bad remote candidate', error);
    }
  }

  _adoptGeneration(generation) {
    this._clearTimers();
    if (this.pc) this.pc.close();
    this.generation = generation - 1;
    this._build();
  }

  // ---- recovery ----------------------------------------------------------------------------

  _onIceState() {
    const ice = this.pc.iceConnectionState;
    const conn = this.pc.connectionState;
    // Chrome may report connectionState "failed" while ICE still says "disconnected": that is a failure.
    const failed = ice === 'failed' || conn === 'failed';
    if (ice === 'checking') this._mark('iceChecking');
    if (ice === 'connected' || ice === 'completed') this._mark('iceConnected');
    if (conn === 'connected') this._mark('connected');
    const failedBefore = this._failedSeen;
    this._failedSeen = failed;
    if (!failed && (ice === 'connected' || ice === 'completed' || conn === 'connected')) {
      this._clearTimers();
      this.attempt = 0;
      this._connectionsBuilt = 1;
      this._setState('connected', 'connected', 'media path up');
      return;
    }
    if (failed) {
      // Both state handlers report one failure: act once per failure, not once per event.
      if (failedBefore) return;
      clearTimeout(this._timers.grace);
      this._restartIce('connection failed');
    } else if (ice === 'disconnected' && this.state === 'connected') {
      this._setState('reconnecting', 'interrupted', 'connection interrupted, waiting for it to come back', 0);
      clearTimeout(this._timers.grace);
      this._timers.grace = setTimeout(() => this._restartIce('still disconnected'), this.options.disconnectGrace);
    }
  }

  _restartIce(reason) {
    if (this.state === 'closed' || this.state === 'failed') return;
    clearTimeout(this._timers.restart);
    if (this.attempt >= this.options.maxIceRestarts) {
      this._rebuild(`${reason}; ICE restarts exhausted`);
      return;
    }
    this.attempt += 1;
    this._setState('reconnecting', 'ice-restart', `restarting ICE (try ${this.attempt} of ${this.options.maxIceRestarts}): ${reason}`, this.attempt);
    this.pc.restartIce();
    const wait = this.options.restartTimeout + backoffDelay(this.attempt - 1, this.options.backoff);
    this._timers.restart = setTimeout(() => this._restartIce('ICE restart did not reconnect'), wait);
  }

  _rebuild(reason) {
    this._clearTimers();
    if (this._connectionsBuilt >= this.options.maxConnections) {
      this._setState('failed', 'gave-up', `could not reconnect: ${reason}`);
      return;
    }
    this.attempt = 0;
    this._setState('reconnecting', 'rebuild', `building a new connection: ${reason}`, 0);
    const delay = backoffDelay(this._connectionsBuilt - 1, this.options.backoff);
    this._timers.restart = setTimeout(() => {
      if (this.state === 'closed') return;
      this.pc.close();
      this._build();
      // The new connection negotiates itself (setup adds tracks/channels → negotiationneeded);
      // if setup added nothing, force an offer so the peer follows to the new generation.
      if (this.pc.getTransceivers().length === 0 && this.pc.sctp === null) this.pc.createDataChannel('parley-keepalive');
      this._timers.restart = setTimeout(() => this._restartIce('new connection did not come up'), this.options.restartTimeout);
    }, delay);
  }

  _clearTimers() {
    clearTimeout(this._timers.grace);
    clearTimeout(this._timers.restart);
  }

  _setState(state, step, reason, attempt = this.attempt) {
    if (this.state === state && state !== 'reconnecting') return;
    this.state = state;
    this.reason = reason;
    this._emit('statechange', { state, step, reason, attempt, maxAttempts: this.options.maxIceRestarts });
  }

  _emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  _mark(name) {
    this.marks[name] ??= performance.timeOrigin + performance.now();
  }
}
