// CallController: one 1-on-1 call. Composes the SDK (signaling, P2P session, local media, quality)
// and owns the call's state; it touches no DOM, so the page (main.js) only renders what it emits.
//
// Wire messages between the two pages go over signaling `message` (they survive a broken media
// path, and are queued across a signaling reconnect): {app: 'call', kind: 'state', micOn, cameraOn,
// screenSharing, name, e2ee} whenever the local state changes or the peer (re)appears, {app: 'call', kind: 'bye'}
// on hang-up. `name` is what the person typed (absent with a join token: the token names them).
import { P2PSession } from '/sdk/p2p-session.js';
import { LocalMedia, applyOpusSettings, applyVideoBitrateHints, capBitrate, preferCodecs, describeMediaError, restartEncoding } from '/sdk/media.js';
import { QualityMonitor } from '/sdk/call-quality.js';
import { describeTokenError, isTokenError } from '/sdk/join-token.js';
import { E2EE, fragmentWithPassphrase } from '/sdk/e2ee.js';
import { canMove, describeSessionStep, stateForSession } from './call-state.js';

/**
 * Events (CustomEvent detail): state {state, reason, previous}, local {micOn, cameraOn, screenSharing},
 * remote {peer}, quality {sample, quality}, signaling {state}, notice {text},
 * e2ee {enabled, sent, received, decryptFailures, failing} (end-to-end encryption on or off, and its counts).
 */
export class CallController extends EventTarget {
  /**
   * @param {import('/sdk/signaling.js').SignalingClient} signaling
   * @param {object} options from parseCallOptions, plus media constraints
   */
  constructor(signaling, options = {}) {
    super();
    this.signaling = signaling;
    this.options = options;
    this.media = new LocalMedia(options.media ?? {});
    this.state = 'preview';
    this.reason = CALL_REASON_START;
    this.history = ['preview'];
    /**
     * Epoch milliseconds (sub-ms) of milestones, for the setup benchmark: mediaReady, joinSent, joined,
     * peerJoined, remoteTrack, connected, firstFrameReceived and firstFrame (the first remote video
     * frame decoded and handed to the screen). The session's own marks cover negotiation and ICE.
     */
    this.marks = {};
    /** Every state with its reason, newest last (bounded): what the screen said, for debugging. */
    this.log = [];
    this.room = options.room ?? null;
    /** The name we show the other person; with a join token the token's name is used instead. */
    this.name = options.token ? null : options.name ?? null;
    /** True once the server refused our join token: no retry can help, only a new link. */
    this.tokenRefused = false;
    this.session = null;
    this.remote = null;
    this.remoteStream = new MediaStream();
    this.connectedAt = null;
    this.endedAt = null;
    this.senders = { audio: null, video: null };
    /** End-to-end encryption (web/sdk/e2ee.js) when a passphrase is set, else null. */
    this.e2ee = null;
    this.passphrase = null;
    /** Key frames forced by pausing and resuming the encoder after a reconnect (tests read it). */
    this.keyFramesForced = 0;
    this.quality = new QualityMonitor(() => this.session?.pc, {
      interval: options.qualityInterval ?? 2000,
      expectVideo: () => Boolean(this.remote && (this.remote.cameraOn || this.remote.screenSharing)),
    });
    this._off = [];
    this._byeFrom = new Set();
    this.quality.addEventListener('sample', (e) => this._emit('quality', e.detail));
    this.media.addEventListener('trackchange', (e) => this._onLocalTrack(e.detail));
    this.media.addEventListener('statechange', (e) => {
      this._emit('local', e.detail);
      this._announce();
    });
    this.media.addEventListener('error', (e) => this._notice(`${e.detail.what}: ${describeMediaError(e.detail.error)}`));
  }

  /** Opens camera and microphone, then joins the room (a new one when none was given). */
  async start() {
    this._listen();
    try {
      await this.media.start();
    } catch (error) {
      this._notice(`No camera or microphone (${describeMediaError(error)}): you can still see and hear the other person.`);
    }
    this.marks.mediaReady = epochNow();
    this._emit('local', { micOn: this.media.micOn, cameraOn: this.media.cameraOn, screenSharing: false });
    await this._join();
  }

  /** The button on the failed screen: join again, or rebuild the connection to the peer. */
  async retry() {
    if (this.state !== 'failed' || this.tokenRefused) return;
    if (!this.signaling.peerId || !this.signaling.room) {
      await this._join();
    } else if (this.session && this.session.state !== 'closed') {
      this.session.restart();
    } else if (this.remote) {
      this._startSession(this.remote);
    } else {
      this._move('waiting', 'waiting for the other person');
    }
  }

  /** "Call again" on the ended screen: camera back on, same room. */
  async rejoin() {
    if (this.state !== 'ended') return;
    this._byeFrom.clear();
    this.connectedAt = null;
    this.endedAt = null;
    this._move('preview', CALL_REASON_START);
    await this.start();
  }

  /** Changes the name the other person sees (trimmed, at most 40 characters; empty: none). Not with a token. */
  setName(name) {
    if (this.options.token) return;
    this.name = cleanName(name);
    this._announce();
  }

  toggleMic() {
    this.media.setMicEnabled(!this.media.micOn);
  }

  toggleCamera() {
    return this.media.setCameraEnabled(!this.media.cameraOn);
  }

  async switchCamera() {
    const label = await this.media.switchCamera();
    if (!label) this._notice('There is no other camera.');
    return label;
  }

  async toggleScreenShare() {
    if (this.media.screenSharing) {
      this.media.stopScreenShare();
      return;
    }
    try {
      await this.media.startScreenShare();
    } catch (error) {
      if (error.name !== 'NotAllowedError') this._notice(`Screen share: ${describeMediaError(error)}`);
    }
  }

  /** Hangs up: tells the peer, closes the connection, releases camera and microphone, leaves the room. */
  async hangUp(reason = 'You hung up.') {
    if (this.state === 'ended') return;
    const peer = this.remote;
    if (peer) this.signaling.sendTo(peer.id, 'message', { data: { app: 'call', kind: 'bye' } });
    this._teardown(reason);
    try {
      await this.signaling.leave();
    } catch {
      // the server drops the session after its grace period anyway
    }
  }

  /** Page is going away: release everything synchronously. */
  dispose() {
    if (this.remote && this.signaling.state === 'open') {
      this.signaling.sendTo(this.remote.id, 'message', { data: { app: 'call', kind: 'bye' } });
    }
    this._teardown('The page was closed.');
    this._off.forEach((off) => off());
    this._off = [];
    // leave() writes its request at once; closing right after is fine (its answer is not needed).
    this.signaling.leave().catch(() => {});
    this.signaling.close();
  }

  /** Milliseconds since the call first connected (0 before; frozen once the call ended). */
  get duration() {
    if (!this.connectedAt) return 0;
    return (this.endedAt ?? performance.now()) - this.connectedAt;
  }

  get pc() {
    return this.session?.pc ?? null;
  }

  shareLink(location = globalThis.location) {
    return this.room ? `${location.origin}/call?room=${encodeURIComponent(this.room)}${fragmentWithPassphrase('', this.passphrase)}` : null;
  }

  /**
   * Turns end-to-end encryption on with `passphrase` (null turns it off). Only before the
   * connection to the other person is built: both sides must encrypt from the first frame.
   */
  async setPassphrase(passphrase) {
    if (this.session) throw new Error('encryption is chosen before the call connects');
    if (passphrase) {
      if (!this.e2ee) {
        this.e2ee = new E2EE({ mode: this.options.e2eeApi ?? undefined });
        this.e2ee.addEventListener('status', ({ detail }) => this._emit('e2ee', { enabled: true, ...detail }));
      }
      await this.e2ee.setPassphrase(passphrase);
    } else {
      this.e2ee?.close();
      this.e2ee = null;
    }
    this.passphrase = passphrase || null;
    this._emit('e2ee', { enabled: Boolean(this.e2ee), ...(this.e2ee?.status() ?? {}) });
    this._announce();
    if (this.room) this._emit('room', { room: this.room, link: this.shareLink() });
  }

  // ---- signaling ---------------------------------------------------------------------------

  _listen() {
    if (this._off.length) return;
    const sig = this.signaling;
    this._off.push(
      sig.on('peer-joined', ({ peer }) => {
        if (this.state === 'ended') return;
        this.marks.peerJoined ??= epochNow();
        this._byeFrom.delete(peer.id);
        this._setRemote(peer);
        this._startSession(peer, true);
      }),
      sig.on('peer-left', ({ peerId }) => this._onPeerLeft(peerId)),
      sig.on('peer-disconnected', ({ peerId }) => this._peerAway(peerId, true)),
      sig.on('peer-reconnected', ({ peerId }) => {
        this._peerAway(peerId, false);
        if (this.remote?.id === peerId) this._announce();
      }),
      sig.on('message', (m) => this._onMessage(m)),
      sig.on('statechange', ({ state }) => this._emit('signaling', { state })),
      sig.on('resumed', () => this._announce()),
      sig.on('session-lost', () => this._notice('The server forgot this session; joining the room again.')),
      sig.on('rejoined', (result) => this._onJoined(result)),
    );
  }

  async _join() {
    this._move('joining', this.room ? `joining room ${this.room}` : 'creating a room');
    this.marks.joinSent = epochNow();
    try {
      const result = await this.signaling.join({ room: this.room ?? undefined, name: this.name ?? undefined, capacity: 2,
        token: this.options.token ?? undefined });
      this._onJoined(result);
    } catch (error) {
      if (isTokenError(error)) {
        // The link itself is refused (expired, invalid, …): the camera is of no use any more.
        this.tokenRefused = true;
        this.media.stop();
      }
      const reason = describeTokenError(error) ?? (error.code === 'room-full'
        ? 'This call already has two people in it.'
        : `Could not join the room: ${error.message}`);
      this._move('failed', reason);
    }
  }

  _onJoined(result) {
    this.marks.joined = epochNow();
    this.room = result.room;
    this._emit('room', { room: this.room, link: this.shareLink() });
    if (this.session) {
      this.session.close('rejoined');
      this.session = null;
    }
    const peer = result.peers?.[0];
    if (peer) {
      this._setRemote(peer);
      this._startSession(peer);
    } else {
      this._setRemote(null);
      this._move('waiting', 'nobody else is in this call yet');
    }
  }

  _onPeerLeft(peerId) {
    if (this.remote?.id !== peerId) return;
    const name = this.remote.name || 'The other person';
    const hungUp = this._byeFrom.has(peerId);
    if (this.session) {
      this.session.close('peer left');
      this.session = null;
    }
    this._clearRemoteMedia();
    this._setRemote(null);
    this.quality.stop();
    if (hungUp) {
      this._teardown(`${name} hung up.`);
      this.signaling.leave().catch(() => {});
    } else {
      this._move('waiting', `${name} lost their connection; waiting for them to come back`);
    }
  }

  _onMessage(message) {
    const data = message.data;
    if (!data || data.app !== 'call' || message.from !== this.remote?.id) return;
    if (data.kind === 'state') {
      // With join tokens the server's name (from the token) is the one to trust, not the peer's word.
      const name = this.options.token ? null : cleanName(data.name);
      this.remote = { ...this.remote, micOn: data.micOn !== false, cameraOn: data.cameraOn !== false,
        screenSharing: data.screenSharing === true, e2ee: data.e2ee === true, ...(name ? { name } : {}) };
      this._emit('remote', { peer: this.remote });
    } else if (data.kind === 'bye') {
      this._byeFrom.add(message.from);
    }
  }

  _peerAway(peerId, away) {
    if (this.remote?.id !== peerId) return;
    this.remote = { ...this.remote, away };
    this._emit('remote', { peer: this.remote });
  }

  _setRemote(peer) {
    const known = peer && this.remote?.id === peer.id ? this.remote : {};
    this.remote = peer ? { micOn: true, cameraOn: true, screenSharing: false, away: false, ...known, ...peer } : null;
    this._emit('remote', { peer: this.remote });
  }

  /** Tells the peer our mic/camera/screen state. */
  _announce() {
    if (!this.remote || this.state === 'ended') return;
    this.signaling.sendTo(this.remote.id, 'message', {
      data: { app: 'call', kind: 'state', micOn: this.media.micOn, cameraOn: this.media.cameraOn,
        screenSharing: this.media.screenSharing, name: this.name ?? undefined, e2ee: Boolean(this.e2ee) },
    });
  }

  // ---- peer connection ---------------------------------------------------------------------

  /** @param {boolean} answerFirst true when the peer arrived after us (it offers first) */
  _startSession(peer, answerFirst = false) {
    if (this.session && this.session.peerId === peer.id && this.session.state !== 'closed') return;
    this._answerFirst = answerFirst;
    this.senders = { audio: null, video: null };
    if (this.session) this.session.close('replaced');
    const options = this.options;
    // A candidate pool starts gathering (TURN allocations included) when the connection is built,
    // not when its first description is set: the waiting side builds it on peer-joined, a signaling
    // round trip before the offer arrives, so its candidates are ready by the time it answers.
    const rtcConfig = { iceServers: this.signaling.iceServers, bundlePolicy: 'max-bundle',
      iceTransportPolicy: options.relayOnly ? 'relay' : 'all', iceCandidatePoolSize: 1 };
    const session = new P2PSession(this.signaling, peer.id, {
      label: 'call',
      rtcConfig,
      setup: (pc, info) => this._setupConnection(pc, info),
      e2ee: this.e2ee ?? undefined,
      // What we put in the SDP we send steers how the peer sends to us.
      sdpTransform: (sdp) => applyVideoBitrateHints(applyOpusSettings(sdp, {
        fec: options.fec !== false, dtx: options.dtx !== false,
        maxAverageBitrate: options.maxAudioKbps ? options.maxAudioKbps * 1000 : undefined,
      }), {
        startKbps: options.videoStartKbps ? Math.min(options.videoStartKbps, options.maxVideoKbps ?? Infinity) : undefined,
      }),
      ...options.session,
    });
    this.session = session;
    session.addEventListener('statechange', (e) => {
      if (this.session !== session) return;
      const next = stateForSession(e.detail.state);
      if (next === 'connected' && !this.connectedAt) {
        this.connectedAt = performance.now();
        this.marks.connected = epochNow();
      }
      if (next === 'connected' && this.state === 'reconnecting') this._sendKeyFrame();
      if (next) this._move(next, describeSessionStep(e.detail));
    });
    session.addEventListener('track', (e) => this.session === session && this._onRemoteTrack(e.detail.track));
    this._move('connecting', `connecting to ${peer.name || 'the other person'}`);
    session.start();
    this._announce();
    this.quality.start();
  }

  /**
   * Runs for every new RTCPeerConnection of the session (again after a full rebuild). The person
   * who was waiting in the room answers the first connection instead of offering too: it adds its
   * tracks when the newcomer's offer arrives (they then ride on the offered transceivers), so the
   * first negotiation has no offer collision. If no offer comes in time it offers itself.
   */
  _setupConnection(pc, { generation }) {
    this._clearRemoteMedia();
    const stream = new MediaStream();
    let attached = false;
    const attach = () => {
      if (attached || pc.signalingState === 'closed') return;
      attached = true;
      clearTimeout(fallback);
      const audio = this._claimTransceiver(pc, 'audio', this.media.audioTrack, stream);
      const video = this._claimTransceiver(pc, 'video', this.media.videoTrack, stream);
      this.senders = { audio: audio.sender, video: video.sender };
      // Encrypted frames keep only VP8's header clear (e2ee-frame.js): no other codec then.
      if (this.e2ee) preferCodecs(video, ['video/VP8']);
      else if (this.options.videoCodec) preferCodecs(video, [`video/${this.options.videoCodec}`]);
    };
    const waitForOffer = this._answerFirst && generation === 1;
    const fallback = waitForOffer ? setTimeout(attach, this.options.offerWait ?? 3000) : null;
    pc.addEventListener('signalingstatechange', () => {
      // Fires inside setRemoteDescription(offer), before the answer is created.
      if (pc.signalingState === 'have-remote-offer') attach();
      if (pc.signalingState === 'stable' && attached) this._applyBitrateCaps();
    });
    if (!waitForOffer) attach();
  }

  /**
   * A transceiver that sends `track` (or is ready to, via replaceTrack): an offered one of that
   * kind when there is one, else a new one. addTrack reuses offered transceivers by itself.
   */
  _claimTransceiver(pc, kind, track, stream) {
    if (track) {
      const sender = pc.addTrack(track, stream);
      return pc.getTransceivers().find((t) => t.sender === sender);
    }
    const offered = pc.getTransceivers().find((t) => t.receiver.track.kind === kind && !t.sender.track
      && t.mid !== null && !Object.values(this.senders).includes(t.sender));
    if (offered) {
      offered.direction = 'sendrecv';
      offered.sender.setStreams?.(stream);
      return offered;
    }
    return pc.addTransceiver(kind, { direction: 'sendrecv', streams: [stream] });
  }

  async _applyBitrateCaps() {
    const { audio, video } = this.senders;
    const cap = async (sender, kbps) => {
      if (!sender || !kbps) return;
      try {
        await capBitrate(sender, kbps);
      } catch (error) {
        console.warn('parley call: bitrate cap not applied', error);
      }
    };
    await cap(video, this.options.maxVideoKbps);
    await cap(audio, this.options.maxAudioKbps);
  }

  /** After an outage the other side needs a key frame to show video again: send one now. */
  async _sendKeyFrame() {
    const sender = this.senders.video;
    if (!sender?.track) return;
    try {
      await restartEncoding(sender);
      this.keyFramesForced += 1;
    } catch (error) {
      console.warn('parley call: could not restart the video encoding', error);
    }
  }

  _onLocalTrack({ kind, track, waitUntil }) {
    const sender = this.senders[kind];
    if (!sender || this.session?.pc?.connectionState === 'closed') return;
    const replaced = sender.replaceTrack(track).catch((error) => console.warn('parley call: replaceTrack failed', error));
    waitUntil?.(replaced);
  }

  /**
   * The page calls this from requestVideoFrameCallback on the remote video: the frame's own
   * timestamps (when its last packet arrived, when it was decoded and handed to the compositor)
   * are used, not the time the callback happened to run.
   */
  markFirstFrame(metadata = {}) {
    if (this.marks.firstFrame) return;
    const at = (t) => performance.timeOrigin + t;
    if (metadata.receiveTime) this.marks.firstFrameReceived = at(metadata.receiveTime);
    this.marks.firstFrame = metadata.presentationTime ? at(metadata.presentationTime) : epochNow();
  }

  _onRemoteTrack(track) {
    for (const old of this.remoteStream.getTracks()) {
      if (old.kind === track.kind) this.remoteStream.removeTrack(old);
    }
    this.remoteStream.addTrack(track);
    if (track.kind === 'video') this.marks.remoteTrack ??= epochNow();
    this._emit('remotetrack', { track });
  }

  _clearRemoteMedia() {
    for (const old of this.remoteStream.getTracks()) this.remoteStream.removeTrack(old);
  }

  // ---- state -------------------------------------------------------------------------------

  _teardown(reason) {
    if (this.connectedAt) this.endedAt = performance.now();
    this.quality.stop();
    if (this.session) {
      this.session.close('hung up');
      this.session = null;
    }
    this.senders = { audio: null, video: null };
    this.media.stop();
    this._clearRemoteMedia();
    this._setRemote(null);
    this._move('ended', reason);
  }

  _move(state, reason) {
    if (state === this.state && state !== 'reconnecting' && reason === this.reason) return;
    if (state !== this.state && !canMove(this.state, state)) {
      console.warn(`parley call: ignoring move ${this.state} → ${state} (${reason})`);
      return;
    }
    const previous = this.state;
    this.state = state;
    this.reason = reason;
    if (previous !== state) this.history.push(state);
    this.log.push({ state, reason, at: Math.round(performance.now()) });
    if (this.log.length > 200) this.log.shift();
    this._emit('state', { state, reason, previous });
  }

  _notice(text) {
    this._emit('notice', { text });
  }

  _emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

const CALL_REASON_START = 'starting camera and microphone';

/** A display name as typed (trimmed, at most 40 characters), or null when there is none. */
function cleanName(name) {
  return typeof name === 'string' ? name.trim().slice(0, 40) || null : null;
}

function epochNow() {
  return performance.timeOrigin + performance.now();
}
