// Local media for calls: camera and microphone with device choice, camera off that really releases
// the camera, screen share, and the sending-side knobs (Opus FEC/DTX in SDP, codec order, bitrate
// caps). LocalMedia owns its tracks; whoever sends them listens to `trackchange` and calls
// RTCRtpSender.replaceTrack, which needs no renegotiation.

const DEFAULT_VIDEO = { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } };
const DEFAULT_AUDIO = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };

/** A readable reason for a getUserMedia / getDisplayMedia failure. */
export function describeMediaError(error) {
  switch (error?.name) {
    case 'NotAllowedError': return 'permission to use the device was denied';
    case 'NotFoundError': return 'no such device was found';
    case 'NotReadableError': return 'the device is in use by another application';
    case 'OverconstrainedError': return 'the chosen device is not available';
    case 'AbortError': return 'the device could not be started';
    default: return error?.message || String(error);
  }
}

/**
 * Camera, microphone and screen of this page.
 * Events: trackchange {kind: 'audio'|'video', track, waitUntil(promise)} whenever the track to send
 * changes (null = send nothing; pass replaceTrack's promise to waitUntil so the old track is stopped
 * only after it), previewchange {track}, statechange {micOn, cameraOn, screenSharing}, error {what, error}.
 */
export class LocalMedia extends EventTarget {
  constructor({ audio = DEFAULT_AUDIO, video = DEFAULT_VIDEO, mediaDevices = globalThis.navigator?.mediaDevices } = {}) {
    super();
    this.audioConstraints = audio;
    this.videoConstraints = video;
    this.devices = mediaDevices;
    this.audioTrack = null;
    this.cameraTrack = null;
    this.screenTrack = null;
    this.micOn = true;
    this.cameraOn = true;
    this.audioDeviceId = null;
    this.videoDeviceId = null;
    /** Preview stream: the camera (or screen) and no audio, so the preview never echoes. */
    this.preview = new MediaStream();
  }

  /** Opens microphone and camera; a missing camera or microphone alone is not fatal. */
  async start({ audioDeviceId, videoDeviceId } = {}) {
    this.audioDeviceId = audioDeviceId ?? this.audioDeviceId;
    this.videoDeviceId = videoDeviceId ?? this.videoDeviceId;
    const audio = this._audio();
    const video = this.cameraOn ? this._video() : false;
    let stream;
    try {
      stream = await this.devices.getUserMedia({ audio, video });
    } catch (error) {
      if (error.name === 'NotAllowedError') throw error;
      // One of the two may be missing: try each alone.
      stream = new MediaStream();
      for (const [kind, constraints] of [['audio', audio], ['video', video]]) {
        if (!constraints) continue;
        try {
          const single = await this.devices.getUserMedia({ [kind]: constraints });
          single.getTracks().forEach((t) => stream.addTrack(t));
        } catch (inner) {
          this._emit('error', { what: kind, error: inner });
        }
      }
      if (stream.getTracks().length === 0) throw error;
    }
    await this._adoptAudio(stream.getAudioTracks()[0] ?? null);
    await this._adoptCamera(stream.getVideoTracks()[0] ?? null);
    if (!this.cameraTrack) this.cameraOn = false;
    this._emitState();
    return this;
  }

  /** The video track to send: the screen while sharing, else the camera (null when off). */
  get videoTrack() {
    return this.screenTrack ?? this.cameraTrack;
  }

  get screenSharing() {
    return this.screenTrack !== null;
  }

  /** Mute keeps the microphone open (instant unmute) but sends silence. */
  setMicEnabled(on) {
    this.micOn = on;
    if (this.audioTrack) this.audioTrack.enabled = on;
    this._emitState();
  }

  /** Camera off stops the camera track, so the camera light goes off; on opens it again. */
  async setCameraEnabled(on) {
    if (on === this.cameraOn && (on ? this.cameraTrack : !this.cameraTrack)) return;
    this.cameraOn = on;
    if (!on) {
      this._stopCamera();
      if (!this.screenTrack) this._emit('trackchange', { kind: 'video', track: null });
    } else {
      try {
        const stream = await this.devices.getUserMedia({ video: this._video() });
        await this._adoptCamera(stream.getVideoTracks()[0]);
      } catch (error) {
        this.cameraOn = false;
        this._emit('error', { what: 'camera', error });
      }
    }
    this._emitState();
  }

  async useMicrophone(deviceId) {
    this.audioDeviceId = deviceId;
    const stream = await this.devices.getUserMedia({ audio: this._audio() });
    await this._adoptAudio(stream.getAudioTracks()[0]);
    this._emitState();
  }

  async useCamera(deviceId) {
    this.videoDeviceId = deviceId;
    if (!this.cameraOn) return;
    let stream;
    try {
      stream = await this.devices.getUserMedia({ video: this._video() });
    } catch (error) {
      // Phones often cannot open two cameras at once: release the current one and try again.
      if (error.name !== 'NotReadableError' && error.name !== 'AbortError') throw error;
      this._stopCamera();
      stream = await this.devices.getUserMedia({ video: this._video() });
    }
    await this._adoptCamera(stream.getVideoTracks()[0]);
    this._emitState();
  }

  /** Moves to the next camera in the device list (front/back on phones); returns its label. */
  async switchCamera() {
    const cameras = (await this.devices.enumerateDevices()).filter((d) => d.kind === 'videoinput');
    if (cameras.length < 2) return null;
    const current = this.cameraTrack?.getSettings().deviceId ?? this.videoDeviceId;
    const index = cameras.findIndex((c) => c.deviceId === current);
    const next = cameras[(index + 1) % cameras.length];
    await this.useCamera(next.deviceId);
    return next.label;
  }

  /** Replaces the camera with the screen (needs a user gesture); ends by itself when the user stops sharing. */
  async startScreenShare() {
    if (this.screenTrack) return;
    const stream = await this.devices.getDisplayMedia({ video: { frameRate: { ideal: 15 } }, audio: false });
    const track = stream.getVideoTracks()[0];
    if ('contentHint' in track) track.contentHint = 'detail';
    track.addEventListener('ended', () => { if (this.screenTrack === track) this.stopScreenShare(); });
    this.screenTrack = track;
    this._setPreview(track);
    this._emit('trackchange', { kind: 'video', track });
    this._emitState();
  }

  stopScreenShare() {
    if (!this.screenTrack) return;
    const track = this.screenTrack;
    this.screenTrack = null;
    this._setPreview(this.cameraTrack);
    this._swap('video', track, this.cameraTrack, true);
    this._emitState();
  }

  /** Stops every track (camera light off). */
  stop() {
    for (const t of [this.audioTrack, this.cameraTrack, this.screenTrack]) t?.stop();
    this.audioTrack = null;
    this.cameraTrack = null;
    this.screenTrack = null;
    this._setPreview(null);
  }

  // ---- internals --------------------------------------------------------------------------

  _audio() {
    return this.audioDeviceId ? { ...this.audioConstraints, deviceId: { exact: this.audioDeviceId } } : this.audioConstraints;
  }

  _video() {
    return this.videoDeviceId ? { ...this.videoConstraints, deviceId: { exact: this.videoDeviceId } } : this.videoConstraints;
  }

  _adoptAudio(track) {
    const old = this.audioTrack;
    this.audioTrack = track;
    if (track) {
      track.enabled = this.micOn;
      this.audioDeviceId = track.getSettings().deviceId ?? this.audioDeviceId;
    }
    return this._swap('audio', old, track, true);
  }

  _adoptCamera(track) {
    const old = this.cameraTrack;
    this.cameraTrack = track;
    if (track) this.videoDeviceId = track.getSettings().deviceId ?? this.videoDeviceId;
    if (!this.screenTrack) this._setPreview(track);
    return this._swap('video', old, track, !this.screenTrack);
  }

  /**
   * Announces the new track, and stops the old one only after every listener's replaceTrack has
   * settled: a sender whose track is stopped while replaceTrack is pending in Chromium can end up
   * sending no frames from the new track.
   */
  async _swap(kind, old, track, announce) {
    const pending = [];
    if (announce) this._emit('trackchange', { kind, track, waitUntil: (p) => pending.push(p) });
    if (old && old !== track) {
      await Promise.allSettled(pending);
      old.stop();
    }
  }

  _stopCamera() {
    if (this.cameraTrack) this.cameraTrack.stop();
    this.cameraTrack = null;
    if (!this.screenTrack) this._setPreview(null);
  }

  _setPreview(track) {
    for (const t of this.preview.getVideoTracks()) this.preview.removeTrack(t);
    if (track) this.preview.addTrack(track);
    this._emit('previewchange', { track });
  }

  _emitState() {
    this._emit('statechange', { micOn: this.micOn, cameraOn: this.cameraOn, screenSharing: this.screenSharing });
  }

  _emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

/** Microphones, cameras and speakers (labels appear once media permission was given). */
export async function listDevices(mediaDevices = navigator.mediaDevices) {
  const all = await mediaDevices.enumerateDevices();
  const pick = (kind) => all.filter((d) => d.kind === kind && d.deviceId);
  return { microphones: pick('audioinput'), cameras: pick('videoinput'), speakers: pick('audiooutput') };
}

/** Whether media elements can be sent to a chosen speaker (Chromium yes; Safari and Firefox partly). */
export function canChooseSpeaker() {
  return typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
}

/**
 * Adds Opus parameters to every Opus fmtp line of an SDP (RFC 7587 §6.1). Put into the SDP sent to
 * the peer, they tell the peer's encoder how to send to us: in-band FEC, DTX (fewer packets in
 * silence), an average bitrate cap, mono.
 * @param {string} sdp
 * @param {{fec?: boolean, dtx?: boolean, maxAverageBitrate?: number, stereo?: boolean}} options
 */
export function applyOpusSettings(sdp, { fec = true, dtx = true, maxAverageBitrate, stereo } = {}) {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(eol);
  const opusPayloads = new Set();
  for (const line of lines) {
    const match = /^a=rtpmap:(\d+) opus\/48000/i.exec(line);
    if (match) opusPayloads.add(match[1]);
  }
  if (opusPayloads.size === 0) return sdp;
  const wanted = {};
  if (fec !== undefined) wanted.useinbandfec = fec ? '1' : '0';
  if (dtx !== undefined) wanted.usedtx = dtx ? '1' : '0';
  if (maxAverageBitrate) wanted.maxaveragebitrate = String(Math.round(maxAverageBitrate));
  if (stereo !== undefined) wanted.stereo = stereo ? '1' : '0';
  const withFmtp = new Set();
  const out = lines.map((line) => {
    const match = /^a=fmtp:(\d+) (.*)$/.exec(line);
    if (!match || !opusPayloads.has(match[1])) return line;
    withFmtp.add(match[1]);
    const params = new Map(match[2].split(';').filter(Boolean).map((p) => {
      const [k, ...v] = p.trim().split('=');
      return [k, v.join('=')];
    }));
    for (const [k, v] of Object.entries(wanted)) params.set(k, v);
    return `a=fmtp:${match[1]} ${[...params].map(([k, v]) => `${k}=${v}`).join(';')}`;
  });
  // An Opus payload without an fmtp line gets one right after its rtpmap.
  const result = [];
  for (const line of out) {
    result.push(line);
    const match = /^a=rtpmap:(\d+) opus\/48000/i.exec(line);
    if (match && !withFmtp.has(match[1])) {
      result.push(`a=fmtp:${match[1]} ${Object.entries(wanted).map(([k, v]) => `${k}=${v}`).join(';')}`);
    }
  }
  return result.join(eol);
}

/**
 * Adds Chromium's bandwidth hints (x-google-start-bitrate / -max-bitrate, in kbps) to the fmtp line
 * of every video codec of an SDP. In the SDP sent to the peer they set where the peer's bandwidth
 * estimate starts: the default (300 kbps) paces the first keyframe out slowly, so the first frame
 * arrives later. Other browsers ignore them. RTX/RED/FEC payloads are left alone.
 */
export function applyVideoBitrateHints(sdp, { startKbps, maxKbps } = {}) {
  if (!startKbps && !maxKbps) return sdp;
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(eol);
  const video = new Set();
  let inVideo = false;
  for (const line of lines) {
    if (line.startsWith('m=')) inVideo = line.startsWith('m=video');
    const match = /^a=rtpmap:(\d+) ([A-Za-z0-9-]+)\/90000/.exec(line);
    if (inVideo && match && !/^(rtx|red|ulpfec|flexfec-03)$/i.test(match[2])) video.add(match[1]);
  }
  const hints = {};
  if (startKbps) hints['x-google-start-bitrate'] = String(Math.round(startKbps));
  if (maxKbps) hints['x-google-max-bitrate'] = String(Math.round(maxKbps));
  const withFmtp = new Set();
  const out = lines.map((line) => {
    const match = /^a=fmtp:(\d+) (.*)$/.exec(line);
    if (!match || !video.has(match[1])) return line;
    withFmtp.add(match[1]);
    const params = new Map(match[2].split(';').filter(Boolean).map((p) => {
      const [k, ...v] = p.trim().split('=');
      return [k, v.join('=')];
    }));
    for (const [k, v] of Object.entries(hints)) params.set(k, v);
    return `a=fmtp:${match[1]} ${[...params].map(([k, v]) => `${k}=${v}`).join(';')}`;
  });
  const result = [];
  for (const line of out) {
    result.push(line);
    const match = /^a=rtpmap:(\d+) /.exec(line);
    if (match && video.has(match[1]) && !withFmtp.has(match[1])) {
      result.push(`a=fmtp:${match[1]} ${Object.entries(hints).map(([k, v]) => `${k}=${v}`).join(';')}`);
      withFmtp.add(match[1]);
    }
  }
  return result.join(eol);
}

/**
 * Orders a transceiver's codecs so `mimeTypes` come first (e.g. ['video/VP8']); codecs the browser
 * does not have are ignored. Returns false where setCodecPreferences is not supported.
 */
export function preferCodecs(transceiver, mimeTypes) {
  if (!transceiver.setCodecPreferences || typeof RTCRtpReceiver === 'undefined' || !RTCRtpReceiver.getCapabilities) return false;
  const kind = transceiver.receiver.track.kind;
  const codecs = RTCRtpReceiver.getCapabilities(kind)?.codecs ?? [];
  const rank = (c) => {
    const i = mimeTypes.findIndex((m) => m.toLowerCase() === c.mimeType.toLowerCase());
    return i < 0 ? mimeTypes.length : i;
  };
  const ordered = [...codecs].sort((a, b) => rank(a) - rank(b));
  transceiver.setCodecPreferences(ordered);
  return true;
}

/**
 * Reads the sender's parameters, lets `change` edit every encoding, and writes them back
 * (RTCRtpSender.setParameters; no renegotiation). Parameters read while a negotiation is finishing
 * are stale (InvalidModificationError: "modified RTCP parameters"), so they are read again, a few
 * times. Resolves false when the sender has no encodings yet (call again after negotiation).
 */
export async function withFreshParameters(sender, change, tries = 5) {
  for (let attempt = 1; ; attempt += 1) {
    const params = sender.getParameters();
    if (!params.encodings || params.encodings.length === 0) return false;
    for (const encoding of params.encodings) change(encoding);
    try {
      await sender.setParameters(params);
      return true;
    } catch (error) {
      if (error.name !== 'InvalidModificationError' || attempt >= tries) throw error;
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }
}

/** Caps every encoding of the sender at `kbps`; null or 0 removes the cap. */
export function capBitrate(sender, kbps) {
  return withFreshParameters(sender, (encoding) => {
    if (kbps) encoding.maxBitrate = Math.round(kbps * 1000);
    else delete encoding.maxBitrate;
  });
}

/**
 * Makes the sender start again from a key frame, by pausing and resuming its encodings. After a
 * media path outage the receiver cannot decode the delta frames that follow the lost ones, and
 * Chromium only asks for a key frame once it has gone ~3 s without a decodable frame (measured:
 * frames came back 1–3.7 s after the path did); there is no sender.generateKeyFrame() to call.
 * Resolves true when the encodings are active again.
 */
export async function restartEncoding(sender) {
  if (!(await withFreshParameters(sender, (encoding) => { encoding.active = false; }))) return false;
  return withFreshParameters(sender, (encoding) => { encoding.active = true; });
}
