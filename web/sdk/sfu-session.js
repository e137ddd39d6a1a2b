// Media through Parley's SFU: one RTCPeerConnection to publish (the browser offers, the SFU
// answers) and one to receive (the SFU offers whenever the room's tracks change, the browser
// answers). Two connections, as LiveKit and mediasoup-client use: no offer glare, ever.
import { statsReporterFor } from './stats-report.js';

/**
 * Events (CustomEvent detail):
 *  track       {peerId, trackId, track, stream, mid}  a remote track arrived (stream.id is the publisher's
 *                                             peer id; trackId is the SFU's id used by setConstraints)
 *  trackended  {peerId, trackId, track, mid}  the publisher left or stopped publishing it
 *  statechange {publish, subscribe}           connectionState of the two connections
 *  closed      {reason}                       the SFU closed our media (e.g. ICE consent lost)
 *  speaker     {peerId}                       the room's dominant speaker changed
 *  forwarding  {forwarded}                   track ids of the videos the SFU sends us now (others are held back)
 */

/** Three simulcast layers (RFC 8853 rids q/h/f): quarter, half and full resolution. */
export const SIMULCAST_ENCODINGS = Object.freeze([
  { rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  { rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 500_000 },
  { rid: 'f', scaleResolutionDownBy: 1, maxBitrate: 1_500_000 },
]);

/**
 * The layers of SIMULCAST_ENCODINGS a camera of `width`×`height` can really send. Chromium's
 * libwebrtc limits the number of simulcast layers by the input's pixel count (its simulcast.cc
 * table: 3 from 960×540, 2 from 480×270, else 1) and drops the highest encodings beyond that, so
 * asking a 640×480 camera for q/h/f gets q (160×120) and h (320×240) but never f: the SFU would
 * see 320×240 at most. Asking for the top layers that fit (h and f at 640×480) keeps full
 * resolution for large tiles. Unknown size (0): all three, as before.
 */
export function simulcastEncodingsFor(width, height) {
  const pixels = (width || 0) * (height || 0);
  const layers = pixels === 0 || pixels >= 960 * 540 ? 3 : pixels >= 480 * 270 ? 2 : 1;
  return SIMULCAST_ENCODINGS.slice(SIMULCAST_ENCODINGS.length - layers).map((e) => ({ ...e }));
}

/** mid -> {trackId, peerId} from the a=mid / a=msid lines of the SFU's offer. */
export function tracksOfOffer(sdp) {
  const tracks = new Map();
  for (const section of sdp.split(/\r?\nm=/).slice(1)) {
    const mid = /\na=mid:(\S+)/.exec(section)?.[1];
    const msid = /\na=msid:(\S+) (\S+)/.exec(section);
    if (mid && msid) tracks.set(mid, { peerId: msid[1], trackId: msid[2] });
  }
  return tracks;
}
export class SfuSession extends EventTarget {
  /**
   * @param {import('./signaling.js').SignalingClient} signaling a client that has joined a room
   * @param {{rtcConfig?: RTCConfiguration, subscribe?: boolean, e2ee?: import('./e2ee.js').E2EE}} [options]
   *   `subscribe: false` for a publish-only participant (a join token with canSubscribe false): no
   *   `sfu-join`, no receive connection; `e2ee` encrypts every published frame and decrypts every
   *   received one (end-to-end: the SFU forwards ciphertext)
   */
  constructor(signaling, options = {}) {
    super();
    this.signaling = signaling;
    this.e2ee = options.e2ee ?? null;
    this.rtcConfig = options.rtcConfig ?? { iceServers: [] };
    if (this.e2ee) this.rtcConfig = this.e2ee.rtcConfig(this.rtcConfig);
    this.subscribe = options.subscribe !== false;
    this.publishPc = null;
    this.subscribePc = null;
    this.remoteTracks = new Map(); // mid -> {peerId, track, stream}
    this._offers = Promise.resolve();
    this._publishing = Promise.resolve();
    this._unsubscribe = [];
    this.trackIds = new Map(); // mid -> {trackId, peerId} from the latest offer
    this.dominantSpeaker = null;
    this.forwarding = null; // {forwarded: trackIds} once the SFU reported it
  }

  /**
   * Joins the room's media; remote tracks start arriving through `track` events. Publish-only
   * (`subscribe: false`) sends nothing yet: the server places our media with the first `sfu-publish`.
   */
  async start() {
    this._unsubscribe.push(
      this.signaling.on('sfu-offer', (m) => {
        this._offers = this._offers.then(() => this._onOffer(m)).catch((error) => {
          console.warn('parley: could not apply the SFU offer', error);
          this._emit('closed', { reason: `offer failed: ${error.message}` });
        });
      }),
      this.signaling.on('sfu-closed', (m) => this._emit('closed', m)),
      this.signaling.on('sfu-speaker', ({ peerId }) => {
        this.dominantSpeaker = peerId;
        this._emit('speaker', { peerId });
      }),
      this.signaling.on('sfu-forwarding', ({ forwarded }) => {
        this.forwarding = { forwarded };
        this._emit('forwarding', this.forwarding);
      }),
      // getStats summaries of both connections for the admin page (docs/protocol.md, stats)
      statsReporterFor(this.signaling).add({ kind: 'sfu-publish', getPc: () => this.publishPc }),
      statsReporterFor(this.signaling).add({ kind: 'sfu-subscribe', getPc: () => this.subscribePc }),
    );
    if (this.subscribe) await this._placed('sfu-join');
    return this;
  }

  /**
   * A request that places our media (sfu-join, sfu-publish). Cluster mode: when the room's media is
   * on another node the answer is `redirect`; join the room there and ask again (docs/protocol.md).
   */
  async _placed(type, body = {}) {
    try {
      return await this.signaling.request(type, body);
    } catch (error) {
      if (error.code !== 'redirect' || !error.url) throw error;
      await this.signaling.moveTo(error.url);
      return this.signaling.request(type, body);
    }
  }

  /**
   * Publishes every track of `stream` (sendonly); resolves once the SFU answered.
   * `simulcast: true` sends video in the SIMULCAST_ENCODINGS layers its capture size allows
   * (simulcastEncodingsFor); `videoEncodings` sets them yourself.
   */
  publish(stream, { videoEncodings, simulcast = false } = {}) {
    this._publishing = this._publishing.then(async () => {
      const pc = this._ensurePublishPc();
      for (const track of stream.getTracks()) {
        const init = { direction: 'sendonly', streams: [stream] };
        if (track.kind === 'video' && videoEncodings) init.sendEncodings = videoEncodings;
        else if (track.kind === 'video' && simulcast) {
          const { width, height } = track.getSettings?.() ?? {};
          init.sendEncodings = simulcastEncodingsFor(width, height);
        }
        const transceiver = pc.addTransceiver(track, init);
        this.e2ee?.attachSender(transceiver.sender, track.kind);
      }
      await this._negotiatePublish();
    });
    return this._publishing;
  }

  /** Replaces a published track (camera switch, screen share) without renegotiation. */
  async replaceTrack(oldTrack, newTrack) {
    const sender = this.publishPc?.getSenders().find((s) => s.track === oldTrack);
    if (!sender) throw new Error('that track is not published');
    await sender.replaceTrack(newTrack);
  }

  /** Stops publishing one track; the others see it end. */
  unpublish(track) {
    this._publishing = this._publishing.then(async () => {
      const transceiver = this.publishPc?.getTransceivers().find((t) => t.sender.track === track);
      if (!transceiver) return;
      transceiver.stop();
      await this._negotiatePublish();
    });
    return this._publishing;
  }

  /**
   * Tells the SFU what to send us (`sfu-constraints`): `maxHeight` {trackId: pixels} (tile
   * sizes; 0 stops a video), `defaultMaxHeight`, `onStage` [trackId or peerId] served first,
   * `lastN` most videos at once. Each call replaces the previous constraints.
   */
  setConstraints({ maxHeight, defaultMaxHeight, onStage, lastN } = {}) {
    const body = {};
    if (maxHeight) body.maxHeight = maxHeight;
    if (defaultMaxHeight !== undefined) body.defaultMaxHeight = defaultMaxHeight;
    if (onStage) body.onStage = onStage;
    if (lastN !== undefined) body.lastN = lastN;
    return this.signaling.request('sfu-constraints', body);
  }

  /** Leaves the room's media and closes both connections. */
  close() {
    this._unsubscribe.forEach((off) => off());
    this._unsubscribe = [];
    this.publishPc?.close();
    this.subscribePc?.close();
    this.publishPc = null;
    this.subscribePc = null;
  }

  _ensurePublishPc() {
    if (!this.publishPc) {
      this.publishPc = new RTCPeerConnection(this.rtcConfig);
      this.publishPc.onconnectionstatechange = () => this._emitState();
    }
    return this.publishPc;
  }

  async _negotiatePublish() {
    const pc = this.publishPc;
    await pc.setLocalDescription(await pc.createOffer());
    const { sdp } = await this._placed('sfu-publish', { sdp: pc.localDescription.sdp });
    await pc.setRemoteDescription({ type: 'answer', sdp });
  }

  async _onOffer({ sdp, version }) {
    if (!this.subscribePc) {
      const pc = new RTCPeerConnection(this.rtcConfig);
      this.subscribePc = pc;
      pc.onconnectionstatechange = () => this._emitState();
      pc.ontrack = ({ track, streams, transceiver }) => {
        const stream = streams[0] ?? new MediaStream([track]);
        this.e2ee?.attachReceiver(transceiver.receiver, stream.id, track.kind);
        const ids = this.trackIds.get(transceiver.mid);
        const entry = { peerId: stream.id, trackId: ids?.trackId ?? track.id, track, stream, mid: transceiver.mid };
        this.remoteTracks.set(transceiver.mid, entry);
        track.addEventListener('ended', () => this._trackEnded(transceiver.mid));
        this._emit('track', entry);
      };
    }
    const pc = this.subscribePc;
    for (const [mid, ids] of tracksOfOffer(sdp)) this.trackIds.set(mid, ids);
    await pc.setRemoteDescription({ type: 'offer', sdp });
    await pc.setLocalDescription(await pc.createAnswer());
    // The SFU retires an m-line by making it inactive (it stays in the BUNDLE): its track is over.
    const live = new Set(pc.getTransceivers()
      .filter((t) => (t.currentDirection === 'recvonly' || t.currentDirection === 'sendrecv')
        && t.receiver.track.readyState !== 'ended')
      .map((t) => t.mid));
    for (const mid of [...this.remoteTracks.keys()]) {
      if (!live.has(mid)) this._trackEnded(mid);
    }
    await this.signaling.request('sfu-answer', { sdp: pc.localDescription.sdp, version });
  }

  _trackEnded(mid) {
    const entry = this.remoteTracks.get(mid);
    if (!entry) return;
    this.remoteTracks.delete(mid);
    this._emit('trackended', entry);
  }

  _emitState() {
    this._emit('statechange', {
      publish: this.publishPc?.connectionState ?? 'none',
      subscribe: this.subscribePc?.connectionState ?? 'none',
    });
  }

  _emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
